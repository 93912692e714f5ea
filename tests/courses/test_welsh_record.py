"""One learner record across languages: a Welsh lesson's progress, answers and reflections
are its English source's (courses.models.translations, courses.progress.lessons)."""

import uuid
from html import escape

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from courses import selectors, services
from courses.models import (
    ContentVersion,
    ForceModuleSummary,
    KnowledgeCheckResult,
    LessonProgress,
    ModulePage,
    ModuleProgress,
    Pathway,
    ProgressEvent,
    Verb,
    in_default_locale,
    localized_pages,
    source_id,
    source_ids,
)
from courses.pathway_admin import TRANSLATED_MODULE
from courses.progress.lessons import lesson_structures
from courses.progress.rules import ProgressConflict
from courses.xapi import iris
from courses.xapi.statements import statements
from tests.conftest import build_module_tree
from tests.courses.journey import complete
from tests.courses.test_pathways import pathway_data
from tests.factories import UserFactory, api_key, learner
from tests.welsh import WELSH_FEEDBACK, WELSH_MODULE_TITLE, welsh_translation


@pytest.fixture
def trees(home_page):
    tree = build_module_tree(home_page, lessons=2)
    return tree, welsh_translation(tree)


def test_a_translation_keeps_the_block_ids_of_its_source(trees):
    tree, welsh = trees
    english_ids = [child.id for child in tree.lessons[-1].body]
    assert [child.id for child in welsh.lessons[-1].body] == english_ids
    options = welsh.lessons[-1].body[1].value["options"]
    assert [option["is_correct"] for option in options] == [False, True, False]


def test_source_ids_map_translations_to_the_default_locale(trees, django_assert_num_queries):
    tree, welsh = trees
    source_id(tree.module)  # the default locale's id, then cached
    with django_assert_num_queries(0):
        assert source_ids([tree.module, *tree.lessons]) == {
            page.pk: page.pk for page in [tree.module, *tree.lessons]
        }
    with django_assert_num_queries(1):
        assert source_ids([welsh.module, *welsh.lessons]) == {
            welsh.module.pk: tree.module.pk,
            welsh.lessons[0].pk: tree.lessons[0].pk,
            welsh.lessons[1].pk: tree.lessons[1].pk,
        }


def test_in_default_locale_lists_each_module_once(trees):
    tree, welsh = trees
    assert ModulePage.objects.live().count() == 2
    assert list(in_default_locale(ModulePage.objects.live())) == [tree.module]


def test_localized_pages_in_the_active_language(trees):
    tree, welsh = trees
    with translation.override("cy"):
        found = localized_pages([tree.module])
    assert found[tree.module.pk].pk == welsh.module.pk
    assert found[tree.module.pk].title == WELSH_MODULE_TITLE
    with translation.override("en-gb"):
        assert localized_pages([welsh.module])[welsh.module.pk].pk == tree.module.pk


def test_a_welsh_lesson_has_its_english_lessons_structure(trees, django_assert_num_queries):
    tree, welsh = trees
    ids = [welsh.lessons[1].pk]
    found = lesson_structures(lesson_ids=ids)[welsh.lessons[1].pk]
    english = lesson_structures(lesson_ids=[tree.lessons[1].pk])[tree.lessons[1].pk]
    assert found == english
    assert found.lesson_id == tree.lessons[1].pk
    assert found.module_id == tree.module.pk
    assert found.live_lesson_ids == {lesson.pk for lesson in tree.lessons}
    assert found.checks == ((tree.lessons[1].pk, tree.check_block_id),)
    token = ContentVersion.current_token()
    with django_assert_num_queries(0):  # kept under the Welsh id too: a warm cache reads nothing
        assert lesson_structures(lesson_ids=ids, token=token)[welsh.lessons[1].pk] == found


def test_an_unpublished_translation_takes_no_progress(trees):
    tree, welsh = trees
    welsh.lessons[0].unpublish()
    found = lesson_structures(lesson_ids=[welsh.lessons[0].pk])[welsh.lessons[0].pk]
    assert not found.available
    assert found.lesson_id == tree.lessons[0].pk


def test_progress_on_welsh_pages_is_recorded_against_the_english_ones(trees):
    tree, welsh = trees
    user = learner("met")
    record = services.progress_record
    record(learner=user, event_id=uuid.uuid4(), lesson=tree.lessons[0], verb=Verb.COMPLETED)
    record(learner=user, event_id=uuid.uuid4(), lesson=welsh.lessons[1], verb=Verb.COMPLETED)
    result = record(
        learner=user,
        event_id=uuid.uuid4(),
        lesson=welsh.lessons[1].pk,
        verb=Verb.ANSWERED,
        result={"block_id": tree.check_block_id, "answers": [1]},
    )
    assert result.finished_module
    assert result.outcome.score == 100
    row = ModuleProgress.objects.get(learner=user)
    assert row.module_id == tree.module.pk and row.certificate_code
    english = {lesson.pk for lesson in tree.lessons}
    assert set(LessonProgress.objects.values_list("lesson_id", flat=True)) == english
    assert set(ProgressEvent.objects.values_list("lesson_id", flat=True)) == english
    assert set(ProgressEvent.objects.values_list("module_id", flat=True)) == {tree.module.pk}
    check = KnowledgeCheckResult.objects.get(learner=user)
    assert (check.lesson_id, check.block_id) == (tree.lessons[1].pk, tree.check_block_id)


def test_an_event_sent_from_either_language_is_a_replay(trees):
    tree, welsh = trees
    user = learner("met")
    event_id = uuid.uuid4()
    first = services.progress_record(
        learner=user, event_id=event_id, lesson=welsh.lessons[0], verb=Verb.COMPLETED
    )
    again = services.progress_record(
        learner=user, event_id=event_id, lesson=tree.lessons[0], verb=Verb.COMPLETED
    )
    assert first.created and not again.created
    assert again.event.pk == first.event.pk
    with pytest.raises(ProgressConflict):
        services.progress_record(
            learner=user, event_id=event_id, lesson=welsh.lessons[1], verb=Verb.COMPLETED
        )


def test_a_reflection_in_welsh_is_the_english_lessons(trees):
    tree, welsh = trees
    user = learner("met")
    services.reflection_save(
        learner=user, lesson=welsh.lessons[1], block_id=tree.reflection_block_id, text="Gwrando."
    )
    assert selectors.learner_reflections(user, tree.lessons[1]) == {
        tree.reflection_block_id: "Gwrando."
    }
    assert selectors.learner_reflections(user, welsh.lessons[1]) == {
        tree.reflection_block_id: "Gwrando."
    }


# --- Through the real views: half in English, half in Welsh -----------------------------------


def _walk_half_and_half(client, tree, welsh):
    """Lesson 1 in English, lesson 2 and its knowledge check in Welsh, as a browser without
    JavaScript posts them; returns the Welsh lesson's page after the answer."""
    with translation.override("en-gb"):
        assert client.get(tree.lessons[0].get_url()).status_code == 200
        complete(client, tree.lessons[0])
    with translation.override("cy"):
        url = welsh.lessons[1].get_url()
        assert url.startswith("/cy/")
        assert client.get(url).status_code == 200
        # The module's last lesson, the check not yet passed: My learning, saying what is left.
        assert complete(client, welsh.lessons[1]).url == reverse("courses:dashboard")
        response = client.post(
            reverse("courses:lesson_answer", args=[welsh.lessons[1].pk]),
            {"block_id": tree.check_block_id, "answer": ["1"]},
        )
        assert response.status_code == 302
        assert response.url == f"{url}#check-{tree.check_block_id}"
        return client.get(url).content.decode()


def test_a_module_taken_half_in_each_language_is_one_record(client, trees):
    tree, welsh = trees
    user = learner("met")
    client.force_login(user)
    page = _walk_half_and_half(client, tree, welsh)

    # The feedback is the Welsh page's own, for the option chosen.
    assert WELSH_FEEDBACK[1] in page
    assert "Yes: his choice." not in page
    # One record, against the English pages.
    row = ModuleProgress.objects.get()
    assert (row.learner, row.module_id, row.lessons_completed) == (user, tree.module.pk, 2)
    assert row.completed_at is not None and row.certificate_code
    english = {lesson.pk for lesson in tree.lessons}
    assert set(ProgressEvent.objects.values_list("lesson_id", flat=True)) == english
    summary = ForceModuleSummary.objects.get()
    assert (summary.module_id, summary.completed, summary.in_progress) == (tree.module.pk, 1, 0)
    # A certificate link is ready on the Welsh page, for the one certificate.
    with translation.override("cy"):
        certificate_url = reverse("courses:certificate", args=[tree.module.pk])
    assert certificate_url in page


def test_my_learning_lists_the_module_once_in_the_learners_language(client, trees):
    tree, welsh = trees
    client.force_login(learner("met"))
    with translation.override("en-gb"):
        complete(client, tree.lessons[0])
        english = client.get(reverse("courses:dashboard")).content.decode()
    with translation.override("cy"):
        cymraeg = client.get(reverse("courses:dashboard")).content.decode()
    assert english.count('class="card module-card"') == 1
    assert cymraeg.count('class="card module-card"') == 1
    assert tree.module.title in english and WELSH_MODULE_TITLE not in english
    assert WELSH_MODULE_TITLE in cymraeg
    assert "1 of 2 lessons done" in english
    assert "1 o 2 gwers wedi'u cwblhau" in cymraeg  # the English lesson's progress, counted once
    # Carry on with the learner's language version of the next lesson.
    assert f'href="{welsh.lessons[1].url}"' in cymraeg
    assert f'href="{tree.lessons[1].url}"' in english


def test_the_module_page_shows_the_learners_progress_in_either_language(client, trees):
    tree, welsh = trees
    client.force_login(learner("met"))
    with translation.override("cy"):
        complete(client, welsh.lessons[0])
        page = client.get(welsh.module.url).content.decode()
    assert WELSH_MODULE_TITLE in page
    assert page.count("lesson-state--completed") == 1
    assert f'href="{welsh.lessons[1].url}"' in page


def test_the_certificate_is_issued_once_and_shown_in_the_pages_language(client, trees):
    tree, welsh = trees
    client.force_login(learner("met"))
    _walk_half_and_half(client, tree, welsh)
    code = ModuleProgress.objects.get().certificate_code
    with translation.override("cy"):
        by_english_id = client.get(reverse("courses:certificate", args=[tree.module.pk]))
        by_welsh_id = client.get(reverse("courses:certificate", args=[welsh.module.pk]))
        verify_cy = client.get(reverse("courses:certificate_verify", args=[code]))
    with translation.override("en-gb"):
        english = client.get(reverse("courses:certificate", args=[tree.module.pk]))
        verify_en = client.get(reverse("courses:certificate_verify", args=[code]))
    for response in (by_english_id, by_welsh_id, verify_cy):
        assert response.status_code == 200
        assert WELSH_MODULE_TITLE in response.content.decode()
    for response in (english, verify_en):
        assert response.status_code == 200
        assert tree.module.title in response.content.decode()
        assert WELSH_MODULE_TITLE not in response.content.decode()
    assert code in verify_cy.content.decode() and code in verify_en.content.decode()


def test_managers_see_one_row_and_xapi_one_activity(client, trees):
    tree, welsh = trees
    officer = learner("met")
    client.force_login(officer)
    _walk_half_and_half(client, tree, welsh)
    manager = Client()
    manager.defaults["HTTP_AUTHORIZATION"] = f"Bearer {api_key('met').key}"
    modules = manager.get(reverse("manager-modules")).json()
    assert [m["slug"] for m in modules] == [tree.module.slug]
    completions = manager.get(reverse("manager-force-completions", kwargs={"code": "met"})).json()
    assert len(completions["results"]) == 1
    filtered = manager.get(
        reverse("manager-force-completions", kwargs={"code": "met"}),
        {"module": tree.module.slug},
    )
    assert filtered.status_code == 200 and len(filtered.json()["results"]) == 1
    # The statements of lesson 2's events, sent from the Welsh page, name the English lesson's
    # activity, as lesson 1's (sent from the English page) name theirs.
    built = statements(ProgressEvent.objects.order_by("recorded_at"))
    lesson_iris = {iris.activity_iri("lesson", lesson.translation_key) for lesson in tree.lessons}
    objects = {s["object"]["id"] for s in built}
    lessons = {iri.split("/check/")[0] for iri in objects if "/activities/lesson/" in iri}
    assert lessons == lesson_iris
    check = iris.check_iri(tree.lessons[1].translation_key, tree.check_block_id)
    assert check in objects
    assert iris.activity_iri("module", tree.module.translation_key) in objects


def test_a_pathway_takes_the_english_module_only(client, trees):
    tree, welsh = trees
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    data = pathway_data("pcso", [{"module": welsh.module.pk, "days": 10}])
    response = client.post(reverse("wagtailsnippets_courses_pathway:add"), data)
    assert response.status_code == 200
    assert escape(TRANSLATED_MODULE) in response.text
    assert not Pathway.objects.exists()


# --- What a Welsh page costs ------------------------------------------------------------------


def _queries(request) -> int:
    """Queries of a request in steady state (what is shared between requests warmed first)."""
    request()
    with CaptureQueriesContext(connection) as captured:
        response = request()
    assert response.status_code == 200
    return len(captured)


def test_welsh_pages_cost_the_same_whatever_the_number_of_modules(client, home_page):
    """My learning in Welsh reads the modules' and the lessons-to-resume's translations in one
    query each (two more than in English); a Welsh lesson finds its record through the cached
    lesson structure (the reflections' source lesson: one query more). Neither grows."""
    officer = learner("met")
    client.force_login(officer)
    first = build_module_tree(home_page, title="Leadership", lessons=2)
    welsh = welsh_translation(first)
    with translation.override("cy"):
        dashboard = reverse("courses:dashboard")
    english_dashboard = reverse("courses:dashboard")
    lesson = welsh.lessons[1].url

    counts = []
    for step in ("small", "large"):
        counts.append(
            (
                _queries(lambda: client.get(english_dashboard)),
                _queries(lambda: client.get(dashboard)),
                _queries(lambda: client.get(lesson)),
            )
        )
        if step == "small":
            for title in ("Voices", "Men's role"):
                welsh_translation(build_module_tree(home_page, title=title, lessons=3))
    assert counts[0] == counts[1]
    english, cymraeg, _ = counts[0]
    assert cymraeg == english + 2
