"""One learner record across languages: a Welsh lesson's progress, answers and reflections
are its English source's (courses.models.translations, courses.progress.lessons)."""

import uuid

import pytest
from django.utils import translation

from courses import services
from courses.models import (
    ContentVersion,
    KnowledgeCheckResult,
    LessonProgress,
    ModulePage,
    ModuleProgress,
    ProgressEvent,
    Verb,
    in_default_locale,
    localized_pages,
    source_id,
    source_ids,
)
from courses.progress.lessons import lesson_structures
from courses.progress.rules import ProgressConflict
from tests.conftest import build_module_tree
from tests.factories import learner
from tests.welsh import WELSH_MODULE_TITLE, welsh_translation


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
