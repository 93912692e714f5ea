"""courses.structure: each process's copy of where lessons sit, renewed by the content token."""

import uuid

import pytest
from django.db import connection, transaction
from wagtail.models import PageViewRestriction, Site

from courses import structure
from courses.models import ContentVersion, ModuleProgress
from courses.services import ProgressRejected, progress_record
from tests.conftest import build_module_tree
from tests.factories import LessonPageFactory, learner


def record(user, lesson, verb="completed"):
    return progress_record(learner=user, event_id=uuid.uuid4(), lesson=lesson, verb=verb)


def test_a_lesson_is_read_once_then_served_from_the_process(module_tree, django_assert_num_queries):
    lessons = module_tree.lessons
    # 1 the content token; 2 the lesson; 3 unpublished or restricted ancestors; 4 the module;
    # 5 the module's live lessons with their bodies (every sibling is known after this)
    with django_assert_num_queries(5):
        found = structure.lessons([lessons[0].pk])
    with django_assert_num_queries(1):
        assert structure.lessons([lesson.pk for lesson in lessons]).keys() == {
            lesson.pk for lesson in lessons
        }
    first = found[lessons[0].pk]
    assert first.available
    assert first.module_id == module_tree.module.pk
    assert first.pass_mark == module_tree.module.pass_mark
    assert first.live_lesson_ids == {lesson.pk for lesson in lessons}
    assert first.checks == ((lessons[-1].pk, module_tree.check_block_id),)
    assert structure.lessons([lessons[-1].pk])[lessons[-1].pk].checks_by_id.keys() == {
        module_tree.check_block_id
    }


def test_ids_that_are_not_lessons_are_left_out_and_not_remembered(module_tree):
    before = len(structure._known)
    assert structure.lessons([module_tree.module.pk, 987654321]) == {}
    assert len(structure._known) == before


def test_publishing_a_new_lesson_counts_at_once(module_tree):
    user = learner()
    for lesson in module_tree.lessons[:2]:
        record(user, lesson)
    assert record(user, module_tree.lessons[0]).module_progress.lessons_total == 3

    LessonPageFactory(parent=module_tree.module, title="A fourth lesson")

    assert record(user, module_tree.lessons[0]).module_progress.lessons_total == 4


def test_an_unpublished_lesson_is_refused_at_once_and_accepted_again_when_republished(
    module_tree,
):
    user = learner()
    lesson = module_tree.lessons[0]
    record(user, lesson, "experienced")

    lesson.unpublish()
    with pytest.raises(ProgressRejected, match="not available"):
        record(user, lesson)

    lesson.save_revision().publish()
    assert record(user, lesson).created


def test_a_group_restriction_is_seen_at_once(module_tree):
    user = learner()
    record(user, module_tree.lessons[0], "experienced")
    restriction = PageViewRestriction.objects.create(
        page=module_tree.module, restriction_type=PageViewRestriction.GROUPS
    )
    with pytest.raises(ProgressRejected, match="not available"):
        record(user, module_tree.lessons[0])

    restriction.delete()
    assert record(user, module_tree.lessons[0]).created


def test_a_lesson_moved_to_another_module_records_against_its_new_module(module_tree, home_page):
    user = learner()
    lesson = module_tree.lessons[0]
    record(user, lesson, "experienced")
    other = build_module_tree(home_page, title="Men's role", lessons=1)

    lesson.move(other.module, pos="last-child")

    result = record(user, lesson)
    assert result.event.module_id == other.module.pk
    assert result.module_progress.lessons_total == 2


def test_a_change_made_by_another_process_is_seen_through_the_token(module_tree):
    """Other processes' changes reach this one only through the token in the database: change
    the content without this process's signals, then the token, as another process would."""
    user = learner()
    lesson = module_tree.lessons[0]
    record(user, lesson, "experienced")
    type(lesson).objects.filter(pk=lesson.pk).update(live=False)  # no signal here

    assert record(user, lesson).created  # this process's copy is still current

    ContentVersion.objects.update(token=uuid.uuid4().hex)
    with pytest.raises(ProgressRejected, match="not available"):
        record(user, lesson)


def test_a_rolled_back_change_does_not_leave_a_stale_copy(module_tree):
    user = learner()
    lesson = module_tree.lessons[0]
    token = structure.current_token()

    with pytest.raises(RuntimeError), transaction.atomic():
        lesson.unpublish()
        with pytest.raises(ProgressRejected):
            record(user, lesson)  # read and remembered under the change's token
        raise RuntimeError("the editor's change fails")

    assert structure.current_token() == token
    assert record(user, lesson).created  # the lesson is live again, and is read as such
    assert ModuleProgress.objects.get(learner=user).lessons_completed == 1


# --- Pages Wagtail serves: every change is served at once --------------------------------------


def test_a_change_to_the_site_is_seen_at_once(client, module_tree):
    programme = module_tree.programme
    old_url = programme.url
    assert old_url != "/" and client.get(old_url).status_code == 200
    site = Site.objects.get(is_default_site=True)
    site.root_page = programme  # the programme becomes the site's home
    site.save()
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["page"] == programme.specific
    assert client.get(old_url).status_code == 404  # its old address is gone


def test_a_change_to_the_home_page_is_seen_at_once(client, home_page):
    client.get("/")
    home_page.title = "Domestic abuse matters: start here"
    home_page.save_revision().publish()
    assert client.get("/").context["page"].title == "Domestic abuse matters: start here"


def test_an_edit_to_a_lesson_or_its_module_is_served_at_once(client, module_tree):
    client.force_login(learner())
    first, middle, last = module_tree.lessons
    assert "Lesson 2 of 3" in client.get(middle.url).text

    middle.title = "Why doesn't he stop?"
    middle.save_revision().publish()
    assert "<h1>Why doesn&#x27;t he stop?</h1>" in client.get(middle.url).text

    last.unpublish()
    html = client.get(middle.url).text
    assert "Lesson 2 of 2" in html
    assert 'rel="next"' not in html

    module = module_tree.module.specific
    module.title = "Leadership and culture"
    module.save_revision().publish()
    assert "in Leadership and culture" in client.get(middle.url).text


def test_a_moved_lesson_is_served_at_its_new_address_in_its_new_module(
    client, module_tree, home_page
):
    client.force_login(learner())
    lesson = module_tree.lessons[0]
    old_url = lesson.url
    assert client.get(old_url).status_code == 200
    other = build_module_tree(home_page, title="Men's role", lessons=1)
    lesson.move(other.module, pos="last-child")
    lesson.refresh_from_db()

    assert client.get(old_url).url == lesson.url  # Wagtail's redirect, made on moving it
    html = client.get(lesson.url).text
    assert "Lesson 2 of 2" in html
    assert "in Men&#x27;s role" in html


@pytest.mark.parametrize("on", ["module", "lesson"])
def test_a_view_restriction_added_after_a_page_was_served_applies_at_once(client, module_tree, on):
    client.force_login(learner())
    lesson = module_tree.lessons[0]
    assert client.get(lesson.url).status_code == 200
    page = module_tree.module if on == "module" else lesson
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="s3cret-for-pilot"
    )
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert "password" in response.text.lower()
    assert lesson.title not in response.text  # the password form, not the lesson
    assert response["Cache-Control"].startswith("max-age=0")  # Wagtail's never-cache

    restriction.delete()
    assert lesson.title in client.get(lesson.url).text


def test_a_group_restriction_served_from_the_copy_still_asks_for_the_group(client, module_tree):
    from django.contrib.auth.models import Group

    user = learner()
    client.force_login(user)
    lesson = module_tree.lessons[0]
    pilots = Group.objects.create(name="Pilot forces")
    restriction = PageViewRestriction.objects.create(
        page=module_tree.programme, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(pilots)
    assert client.get(lesson.url).status_code == 302  # not in the group: Wagtail's sign-in
    user.groups.add(pilots)  # no content change: the copy's restriction asks the database
    assert client.get(lesson.url).status_code == 200


def test_a_change_made_by_another_process_reaches_served_pages_through_the_token(
    client, module_tree
):
    client.force_login(learner())
    lesson = module_tree.lessons[0]
    assert lesson.title in client.get(lesson.url).text
    type(lesson).objects.filter(pk=lesson.pk).update(title="Renamed elsewhere")  # no signal
    assert lesson.title in client.get(lesson.url).text  # this process's copy is current

    ContentVersion.objects.update(token=uuid.uuid4().hex)
    assert "Renamed elsewhere" in client.get(lesson.url).text


def test_page_urls_follow_a_change_of_site_root(client, module_tree):
    client.force_login(learner())
    programme, module = module_tree.programme, module_tree.module
    assert f'href="{module.url}"' in client.get(programme.url).text
    site = Site.objects.get(is_default_site=True)
    site.root_page = programme
    site.save()
    assert f'href="/{module.slug}/"' in client.get("/").text


def test_a_check_added_by_another_process_can_be_answered_at_once(module_tree):
    """The process's copy would refuse an answer to a question it does not know; the service
    then reads the lesson again (on PostgreSQL, where the copy is used without reading the
    token first), and scores it."""
    from courses.models import LessonPage
    from tests.factories import KNOWLEDGE_CHECK

    user = learner()
    lesson = module_tree.lessons[0]
    record(user, lesson, "experienced")  # the copy is kept
    lesson.body = [("knowledge_check", KNOWLEDGE_CHECK)]
    body = LessonPage._meta.get_field("body").get_prep_value(lesson.body)
    LessonPage.objects.filter(pk=lesson.pk).update(body=body)  # no signal here
    ContentVersion.objects.update(token=uuid.uuid4().hex)
    block_id = LessonPage.objects.get(pk=lesson.pk).body[0].id

    result = progress_record(
        learner=user,
        event_id=uuid.uuid4(),
        lesson=lesson,
        verb="answered",
        result={"block_id": block_id, "answers": [1]},
    )
    assert result.created and result.outcome.score == 100


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's array literals")
def test_a_modules_arrays_are_what_postgresql_reads_back():
    lesson = structure.LessonStructure(
        lesson_id=3,
        available=True,
        module_id=1,
        live_lesson_ids=frozenset({12, 3, 7}),
        checks=((3, "0d9f6a1e-2b3c"), (7, 'quote " and back\\slash'), (7, "{braces}, comma")),
    )
    live, check_lessons, check_blocks = lesson.module_arrays
    assert lesson.module_arrays is lesson.module_arrays  # made once
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::integer[], %s::integer[], %s::varchar[], '{}'::integer[]",
            [live, check_lessons, check_blocks],
        )
        assert cursor.fetchone() == (
            [3, 7, 12],
            [3, 7, 7],
            ["0d9f6a1e-2b3c", 'quote " and back\\slash', "{braces}, comma"],
            [],
        )
    empty = structure.LessonStructure(lesson_id=4, available=False).module_arrays
    assert empty == ("{}", "{}", "{}")
