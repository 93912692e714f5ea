"""courses.progress.lessons: where each lesson sits in the course, kept in the shared cache
under the content token, and what progress recording sees of course changes."""

import uuid

import pytest
from django.db import transaction
from wagtail.models import PageViewRestriction

from courses.models import ContentVersion, ModuleProgress
from courses.progress.lessons import lesson_structures
from courses.services import ProgressRejected, progress_record
from tests.conftest import build_module_tree
from tests.factories import LessonPageFactory, learner

pytestmark = pytest.mark.django_db


def record(user, lesson, verb="completed"):
    return progress_record(learner=user, event_id=uuid.uuid4(), lesson=lesson, verb=verb)


def test_a_lesson_is_read_once_then_served_from_the_cache(module_tree, django_assert_num_queries):
    lessons = module_tree.lessons
    # 1 the content token; 2 the lesson; 3 unpublished or restricted ancestors; 4 the module;
    # 5 the module's live lessons with their bodies (every sibling is cached after this)
    with django_assert_num_queries(5):
        found = lesson_structures(lesson_ids=[lessons[0].pk])
    with django_assert_num_queries(1):  # the token; the rest from the shared cache
        assert lesson_structures(lesson_ids=[lesson.pk for lesson in lessons]).keys() == {
            lesson.pk for lesson in lessons
        }
    first = found[lessons[0].pk]
    assert first.available
    assert first.module_id == module_tree.module.pk
    assert first.pass_mark == module_tree.module.pass_mark
    assert first.live_lesson_ids == {lesson.pk for lesson in lessons}
    assert first.checks == ((lessons[-1].pk, module_tree.check_block_id),)
    last = lesson_structures(lesson_ids=[lessons[-1].pk])[lessons[-1].pk]
    assert last.checks_by_id.keys() == {module_tree.check_block_id}


def test_ids_that_are_not_lessons_are_left_out_and_not_cached(
    module_tree, django_assert_num_queries
):
    for _ in range(2):
        # 1 the content token; 2-3 each id's lesson query, which finds nothing to cache
        with django_assert_num_queries(3):
            assert lesson_structures(lesson_ids=[module_tree.module.pk, 987654321]) == {}


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

    assert record(user, lesson).created  # the cached structure, under the token, is still current

    ContentVersion.objects.update(token=uuid.uuid4().hex)
    with pytest.raises(ProgressRejected, match="not available"):
        record(user, lesson)


def test_a_rolled_back_change_does_not_leave_a_stale_copy(module_tree):
    user = learner()
    lesson = module_tree.lessons[0]
    token = ContentVersion.current_token()

    with pytest.raises(RuntimeError), transaction.atomic():
        lesson.unpublish()
        with pytest.raises(ProgressRejected):
            record(user, lesson)  # read and remembered under the change's token
        raise RuntimeError("the editor's change fails")

    assert ContentVersion.current_token() == token
    assert record(user, lesson).created  # the lesson is live again, and is read as such
    assert ModuleProgress.objects.get(learner=user).lessons_completed == 1


def test_a_check_added_by_another_process_can_be_answered_at_once(module_tree):
    """A change made elsewhere (SQL here) replaces the token: the next event reads the lesson
    again under the new token, and scores an answer to the new question."""
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
