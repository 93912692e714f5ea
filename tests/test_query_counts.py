"""Pinned query counts for every learner page and API endpoint whose cost must not grow with
the number of modules, lessons or rows. Each test measures twice in the same test, before and
after the data grows, and pins the same number both times: a query per module, lesson or row
would show up as a difference.

Counts are for a signed-in learner (or a manager's key) in steady state: the first request
warms Wagtail's site-root cache and records a key's last use, so it is made before pinning.
"""

import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import (
    LearnerProfile,
    LessonPage,
    ModuleProgress,
    Pathway,
    PathwayStep,
    ProgressStatus,
    SupportService,
)
from tests.conftest import CSRF_TOKEN, build_module_tree, signed_in_api_client
from tests.factories import LessonPageFactory, ModuleProgressFactory, api_key, force, learner

# Every signed-in request reads the session and then the user (Django's SessionMiddleware and
# AuthenticationMiddleware): 2 queries. (The idle timeout's session save happens at most once a
# minute, so a steady-state request does not write.)
SESSION = 2

# The learner's profile (their force), read where a view needs it: 1 query.
PROFILE = 1

# Every page with the site header runs Wagtail's `{% wagtailuserbar %}`, whose
# has_perm("wagtailadmin.access_admin") reads the user's own and their groups' permissions.
USERBAR = 2

# My learning and a certificate offer the attitude survey's "post" stage to a trained learner
# who has not answered or declined it (selectors.post_survey_offer): 1 query.
POST_SURVEY_OFFER = 1

# A Wagtail page's language switch and hreflang alternates (its translations' URLs) are kept in
# the cache under the content token (courses.selectors.languages): the token's read (1) on a
# page that does not read it anyway (the lesson page does).
ALTERNATES = 1


def wagtail_serve(depth: int) -> int:
    """Queries Wagtail's own page serving makes for a page `depth` levels below the site root:
    the site (1); the Locale of the URL's language, to serve the root page's translation in it
    (1, WAGTAIL_I18N_ENABLED); the root page as its specific type (1); for each level, the
    child by its slug and then its specific page (2); the view-restriction check: the page's
    aliases and the restrictions on it and its ancestors (2). The same however many pages
    exist."""
    return 1 + 1 + 1 + 2 * depth + 2


@pytest.fixture
def officer(db):
    return learner("met")


@pytest.fixture
def browser(officer):
    return signed_in_api_client(officer)


class Growth:
    """Modules with lessons and progress rows for several learners, added in steps."""

    def __init__(self, home_page, officer):
        self.home_page, self.officer, self.trees = home_page, officer, []

    def add(self, modules: int, lessons: int = 3, learners: int = 2):
        for _ in range(modules):
            tree = build_module_tree(
                self.home_page, title=f"Module {len(self.trees) + 1}", lessons=lessons
            )
            self.trees.append(tree)
            ModuleProgressFactory(learner=self.officer, module=tree.module, lessons_total=lessons)
            for _ in range(learners):
                ModuleProgressFactory(learner=learner("met"), module=tree.module, completed=True)
        return self.trees[-1]


@pytest.fixture
def growth(home_page, officer):
    return Growth(home_page, officer)


def pinned(django_assert_num_queries, expected, growth, request, *, grow=lambda g: g.add(3, 6, 4)):
    """Call request() at two data sizes; both must take exactly `expected` queries."""
    for step in ("small", "large"):
        # Warm what is shared between requests, not the request's own (the lesson structure and
        # page fragments in the cache, which growing the content renews).
        request()
        with django_assert_num_queries(expected):
            response = request()
        assert response.status_code in (200, 201), (step, response.status_code)
        if step == "small":
            grow(growth)
    return response


# --- Learner pages ----------------------------------------------------------------------------


def test_home_page(db, growth, django_assert_num_queries):
    growth.add(1)
    # Signed out (its only readers: signed in, it is a redirect, below): Wagtail serving the
    # site root (5); the live modules (1), `.public()`'s restrictions (1) and their lessons'
    # times (1); the alternates. No session, and no user bar for an anonymous visitor.
    expected = wagtail_serve(0) + 3 + ALTERNATES
    pinned(django_assert_num_queries, expected, growth, lambda: Client().get("/en-gb/"))


def test_home_page_signed_in_is_a_redirect(browser, growth, django_assert_num_queries):
    growth.add(1)
    # Wagtail serving the site root (5), then HomePage.serve redirects to My learning before
    # reading anything else.
    for _ in ("small", "large"):
        browser.get("/en-gb/")
        with django_assert_num_queries(SESSION + wagtail_serve(0)):
            assert browser.get("/en-gb/")["Location"] == reverse("courses:dashboard")
        growth.add(3, 6, 4)


def test_programme_page(browser, growth, django_assert_num_queries):
    programme = growth.add(1).programme
    # Wagtail serving the programme; the modules (1) and their counted lessons' times (1: each
    # module's time is the sum of its lessons', models.lessons_minutes); the user bar; the
    # alternates. 1 module or 4.
    expected = SESSION + wagtail_serve(1) + 2 + USERBAR + ALTERNATES
    pinned(django_assert_num_queries, expected, growth, lambda: browser.get(programme.url))


def test_module_page(browser, growth, django_assert_num_queries):
    tree = growth.add(1)
    # Wagtail serving the module; the lessons without their bodies (1); the content notice's
    # support services, the chosen national ones and the learner's force's (1); the learner's
    # state: their rows for those lessons (1) and for the module (1: selectors.learner_module,
    # for each lesson's status and where to carry on); the user bar; the alternates. The same
    # for 3 lessons and 11.
    pinned(
        django_assert_num_queries,
        SESSION + wagtail_serve(2) + 4 + USERBAR + ALTERNATES,
        growth,
        lambda: browser.get(tree.module.url),
        grow=lambda g: [g.add(2), more_lessons(tree, 8)],
    )


def more_lessons(tree, count):
    return [LessonPageFactory(parent=tree.module) for _ in range(count)]


LESSON_PAGE = SESSION + wagtail_serve(3) + 2 + 2 + USERBAR


def test_lesson_page(browser, growth, django_assert_num_queries):
    tree = growth.add(1)
    # Wagtail serving the lesson; its place: the live sibling lessons' titles and paths (1) and
    # the module (1); the content token (1), under which the cached lesson structure says whether
    # the lesson takes progress and the shared fragments are keyed (the testimony, images and
    # support services inside them are read only when a fragment renders); the learner's
    # lesson status (1); the user bar. No reflections query (no reflection prompt). 3 lessons
    # or 11. (The first view also records "experienced"; the warm-up request made it, as a
    # learner's first visit would.)
    pinned(
        django_assert_num_queries,
        LESSON_PAGE,
        growth,
        lambda: browser.get(tree.lessons[1].url),
        grow=lambda g: [g.add(2), more_lessons(tree, 8)],
    )


def test_lesson_page_with_a_reflection_prompt(browser, growth, django_assert_num_queries):
    tree = growth.add(1)
    # The lesson page's, and the learner's reflections on this lesson (1). The knowledge check
    # and the reflection prompt make no queries of their own. 3 lessons or 11.
    pinned(
        django_assert_num_queries,
        LESSON_PAGE + 1,
        growth,
        lambda: browser.get(tree.lessons[-1].url),
        grow=lambda g: [g.add(2), more_lessons(tree, 8)],
    )


def test_lesson_page_with_content_warnings(browser, growth, django_assert_num_queries):
    tree = growth.add(1)
    national = [SupportService.objects.create(name=f"Line {i}", description=".") for i in range(3)]
    lesson = LessonPage.objects.get(pk=tree.lessons[1].pk)
    lesson.body = [
        ("content_warning", {"text": "<p>Warning.</p>", "support_services": national[:2]}),
        ("paragraph", "<p>Between.</p>"),
        ("content_warning", {"text": "<p>Another.</p>", "support_services": national[1:]}),
    ]
    lesson.save_revision().publish()

    def grow(g):
        g.add(2)
        more_lessons(tree, 8)
        for code in ("met", "met", "gmp"):
            SupportService.objects.create(name=f"{code} team", description=".", force=force(code))

    # The lesson page's; the content warnings' chosen services, for every warning at once (1);
    # the learner's own force's services (1). Rendered on each request, as they list the
    # learner's force's services. 0 force services or 2; 3 lessons or 11.
    response = pinned(
        django_assert_num_queries,
        LESSON_PAGE + 2,
        growth,
        lambda: browser.get(tree.lessons[1].url),
        grow=grow,
    )
    assert "met team" in response.text and "gmp team" not in response.text


def test_dashboard(browser, growth, django_assert_num_queries):
    growth.add(1)
    # The live modules (1) and their counted lessons (1: selectors.course_outline); the
    # learner's completed lessons (1) and module rows (1); the user bar; the site, for the
    # lessons' URLs (1; Wagtail keeps the site root paths in the cache); the learner's profile
    # with whether they are trained, for the Champions invitation (PROFILE: one query whatever
    # the pathway's length); whether the learner is offered the post survey (1:
    # selectors.post_survey_offer, trained and not yet answered or declined, in one query).
    # 1 module or 4, 3 lessons or 6 each.
    dashboard = reverse("courses:dashboard")
    response = pinned(
        django_assert_num_queries,
        SESSION + 4 + USERBAR + 1 + PROFILE + POST_SURVEY_OFFER,
        growth,
        lambda: browser.get(dashboard),
    )
    assert response.text.count('class="card module-card"') == 4


def test_dashboard_with_required_modules(browser, officer, growth, django_assert_num_queries):
    """The same count with a role pathway: each module row's place in the pathway is a
    subquery of the module rows' own query, and due dates are on those rows."""
    LearnerProfile.objects.filter(user=officer).update(role="pcso")
    pathway = Pathway.objects.create(role="pcso")

    def grow(g):
        g.add(3, 6, 4)
        for tree in g.trees:
            PathwayStep.objects.get_or_create(pathway=pathway, module=tree.module)
        services.enrolments_sync()

    grow(growth)
    dashboard = reverse("courses:dashboard")
    response = pinned(
        django_assert_num_queries,
        SESSION + 4 + USERBAR + 1 + PROFILE + POST_SURVEY_OFFER,  # as above
        growth,
        lambda: browser.get(dashboard),
        grow=grow,
    )
    assert response.text.count('class="card module-card"') == 6
    assert response.text.count("Due ") == 6


def test_certificate(browser, officer, growth, django_assert_num_queries):
    tree = growth.add(1)
    ModuleProgress.objects.filter(learner=officer, module=tree.module).update(
        status=ProgressStatus.COMPLETED,
        completed_at=timezone.now(),
        certificate_code="ABCD-EFGH-JKMN",
    )
    url = reverse("courses:certificate", args=[tree.module.pk])
    # The learner's completed row with its module (1); the post survey's offer (1); the user
    # bar. However many modules and rows exist.
    response = pinned(
        django_assert_num_queries,
        SESSION + 1 + POST_SURVEY_OFFER + USERBAR,
        growth,
        lambda: browser.get(url),
    )
    assert "ABCD-EFGH-JKMN" in response.text


def test_support_page(browser, growth, django_assert_num_queries):
    growth.add(1)
    # The services, the learner's force joined in (1); the user bar.
    support = reverse("courses:support")
    pinned(django_assert_num_queries, SESSION + 1 + USERBAR, growth, lambda: browser.get(support))


# --- Learner API ------------------------------------------------------------------------------


def test_my_progress(browser, growth, django_assert_num_queries):
    growth.add(1)
    # Session, user and learner profile; module rows with their pages (1); lesson rows with
    # their pages (1). 1 module or 4.
    response = pinned(
        django_assert_num_queries,
        SESSION + PROFILE + 2,
        growth,
        lambda: browser.get("/api/v1/me/progress/"),
    )
    assert len(response.json()["modules"]) == 4


def test_progress_post(browser, growth, django_assert_num_queries):
    tree = growth.add(1)

    def record():
        body = {"id": str(uuid.uuid4()), "lesson": tree.lessons[0].pk, "verb": "experienced"}
        return browser.post(
            "/api/v1/progress/",
            json.dumps(body),
            content_type="application/json",
            HTTP_X_CSRFTOKEN=CSRF_TOKEN,
        )

    # Session and user (SESSION), the learner profile (1). Then the content token (1; the lesson's
    # place in the course is in the shared cache under it), the transaction (2: savepoint and
    # release, as the test runs inside one), lock the module row (1), look the event id up (1),
    # insert the event (1), the learner's check results (1) and lesson rows (1) in the module, the
    # module row update (1), whether the force sends to an LRS (1: it does not, so no outbox row);
    # the lesson row is already started, so it is not written, and the module stays in progress,
    # so the (force, module) totals are not either (an event that changes them adds one UPDATE:
    # tests/courses/test_progress_service.py). The same with 3 lessons or 11 in the module, and 1
    # module or 3, on SQLite and PostgreSQL alike (courses.progress.engine).
    pinned(
        django_assert_num_queries,
        SESSION + PROFILE + 10,
        growth,
        record,
        grow=lambda g: [g.add(2), more_lessons(tree, 8)],
    )


def test_progress_post_batch(browser, growth, django_assert_num_queries):
    tree = growth.add(1)

    def record():
        lessons = tree.lessons  # 3 events, however many lessons the module grows to
        body = [
            {"id": str(uuid.uuid4()), "lesson": lesson.pk, "verb": "experienced"}
            for lesson in lessons
        ]
        response = browser.post(
            "/api/v1/progress/",
            json.dumps(body),
            content_type="application/json",
            HTTP_X_CSRFTOKEN=CSRF_TOKEN,
        )
        assert len(response.json()) == len(lessons)
        return response

    # Session and user (SESSION), the learner profile (1). Then the content token (1), the
    # transaction (2: savepoint and release), lock the module row (1), look the event ids up (1),
    # and per event: insert it, the check results, the lesson rows, the module row update (4 x 3;
    # the lessons are already started, so their rows are not written, and the module's totals do not
    # change, so they are not written either), and once whether the force sends to an LRS. On
    # SQLite and PostgreSQL alike, however many lessons and modules exist.
    pinned(
        django_assert_num_queries,
        SESSION + PROFILE + 18,
        growth,
        record,
        grow=lambda g: [g.add(2), more_lessons(tree, 8)],
    )


# --- Managers' API ----------------------------------------------------------------------------


@pytest.fixture
def manager(db):
    key = api_key("met", "gmp").key
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def test_forces(manager, growth, django_assert_num_queries):
    # 2: key by prefix; the key's forces. Rows and modules do not matter.
    pinned(django_assert_num_queries, 2, growth, lambda: manager.get(reverse("manager-forces")))


def test_modules(manager, growth, django_assert_num_queries):
    growth.add(1)
    # 3: key; published modules; lesson paths, counted per module in Python. 1 module or 4.
    modules = reverse("manager-modules")
    pinned(django_assert_num_queries, 3, growth, lambda: manager.get(modules))


def test_force_summary(manager, growth, django_assert_num_queries):
    growth.add(1)
    url = reverse("manager-force-summary", kwargs={"code": "met"})
    # 7: key; force in the key's scope; published modules; learner count; the force's
    # per-module totals (ForceModuleSummary, no scan of progress rows); the required and
    # overdue rows grouped by module (1, from the index of required rows only:
    # moduleprogress_required_idx); access-log insert.
    response = pinned(django_assert_num_queries, 7, growth, lambda: manager.get(url))
    assert response.json()["totals"]["completed"] == 2 + 3 * 4  # 2 learners, then 3 x 4


def test_completions_page(manager, growth, django_assert_num_queries):
    growth.add(1)
    url = reverse("manager-force-completions", kwargs={"code": "met"})
    # 5: key; force in scope; one page of rows with learner and profile joined in; every
    # module's slug by id (1, whatever the modules and rows: selectors.module_slugs, cheaper
    # than a join or subquery per row); access-log insert. 3 rows or 18.
    response = pinned(django_assert_num_queries, 5, growth, lambda: manager.get(url))
    assert len(response.json()["results"]) == 3 + 3 * 5


def test_completions_csv(manager, growth, django_assert_num_queries):
    growth.add(1)
    url = reverse("manager-force-completions", kwargs={"code": "met"}) + "?format=csv"

    def export():
        response = manager.get(url)
        b"".join(response.streaming_content)  # the rows are read while streaming
        return response

    # 6: key; force in scope; access-log insert; one streamed SELECT of every row with the
    # learner and profile joined in; every module's slug by id (1); the row count written at
    # the end. 3 rows or 18.
    response = pinned(django_assert_num_queries, 6, growth, export)
    assert response["Content-Type"].startswith("text/csv")


def test_completions_filtered(manager, growth, django_assert_num_queries):
    growth.add(1)
    url = reverse("manager-force-completions", kwargs={"code": "met"})
    module = growth.trees[0].module.slug
    # 5: key; force in scope; the module filter's published-module lookup; the filtered page;
    # access-log insert. (No row matches, so no module slugs are read: see
    # test_completions_page.)
    pinned(
        django_assert_num_queries,
        5,
        growth,
        lambda: manager.get(url, {"module": module, "status": "completed", "role": "pcso"}),
    )
