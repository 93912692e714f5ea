"""progress_record(): the one write path for learner progress (SQLite and PostgreSQL)."""

import re
import uuid
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from wagtail.models import PageViewRestriction

from courses import services
from courses.models import (
    KnowledgeCheckResult,
    LessonProgress,
    ModuleProgress,
    ProgressEvent,
    ProgressStatus,
)
from courses.progress.rules import certificate_code
from courses.selectors import learner_progress
from courses.services import (
    NotALearner,
    ProgressConflict,
    ProgressRejected,
    progress_record,
    progress_record_many,
)
from tests.conftest import build_module_tree
from tests.factories import KNOWLEDGE_CHECK, UserFactory, learner

pytestmark = pytest.mark.django_db


def record(user, lesson, verb, **kwargs):
    kwargs.setdefault("event_id", uuid.uuid4())
    return progress_record(learner=user, lesson=lesson, verb=verb, **kwargs)


def answer(user, tree, answers, **kwargs):
    result = {"block_id": tree.check_block_id, "answers": answers}
    return record(user, tree.lessons[-1], "answered", result=result, **kwargs)


def complete_all_lessons(user, tree):
    for lesson in tree.lessons:
        result = record(user, lesson, "completed")
    return result


def nothing_written():
    return not (
        ProgressEvent.objects.exists()
        or LessonProgress.objects.exists()
        or ModuleProgress.objects.exists()
        or KnowledgeCheckResult.objects.exists()
    )


# --- Recording and aggregates -----------------------------------------------------------------


def test_experienced_starts_the_lesson_and_module(module_tree):
    user = learner("gmp")
    result = record(user, module_tree.lessons[0], "experienced")

    assert result.created is True
    event = ProgressEvent.objects.get()
    assert event == result.event
    assert (event.learner, event.force.code, event.module_id) == (
        user,
        "gmp",
        module_tree.module.pk,
    )
    lesson_row = LessonProgress.objects.get(learner=user, lesson=module_tree.lessons[0])
    assert lesson_row.status == ProgressStatus.IN_PROGRESS
    assert lesson_row.started_at == event.recorded_at
    assert lesson_row.force.code == "gmp"
    module_row = result.module_progress
    assert module_row.status == ProgressStatus.IN_PROGRESS
    assert module_row.force.code == "gmp"
    assert (module_row.lessons_completed, module_row.lessons_total) == (0, 3)
    assert module_row.score is None  # no check answered yet: no score to report
    assert module_row.completed_at is None
    assert module_row.certificate_code is None


def test_completing_lessons_counts_them(module_tree):
    user = learner()
    record(user, module_tree.lessons[0], "completed")
    result = record(user, module_tree.lessons[1], "completed")

    assert result.module_progress.lessons_completed == 2
    assert result.module_progress.status == ProgressStatus.IN_PROGRESS
    lesson_row = LessonProgress.objects.get(learner=user, lesson=module_tree.lessons[1])
    assert lesson_row.status == ProgressStatus.COMPLETED
    assert lesson_row.completed_at == result.event.recorded_at


def test_module_completes_once_every_lesson_is_done_and_the_check_is_passed(module_tree):
    module_tree.module.save_revision().publish()
    module_tree.module.refresh_from_db()
    user = learner()
    before_pass = complete_all_lessons(user, module_tree)
    assert before_pass.module_progress.status == ProgressStatus.IN_PROGRESS  # not answered

    passed = answer(user, module_tree, [1])

    row = passed.module_progress
    assert row.status == ProgressStatus.COMPLETED
    assert row.score == 100
    assert row.completed_at == passed.event.recorded_at
    assert row.completed_revision_id == module_tree.module.live_revision_id is not None
    assert re.fullmatch(
        r"[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}", row.certificate_code
    )


def test_answering_first_then_completing_lessons_completes_on_the_last_lesson(module_tree):
    user = learner()
    answer(user, module_tree, [1])
    record(user, module_tree.lessons[0], "completed")
    record(user, module_tree.lessons[1], "completed")
    last = record(user, module_tree.lessons[2], "completed")

    assert last.module_progress.status == ProgressStatus.COMPLETED
    assert last.module_progress.completed_at == last.event.recorded_at


def test_a_failed_check_blocks_completion(module_tree):
    user = learner()
    complete_all_lessons(user, module_tree)
    failed = answer(user, module_tree, [0])

    assert failed.outcome.score == 0
    assert failed.outcome.correct is False
    assert failed.module_progress.status == ProgressStatus.IN_PROGRESS
    assert failed.module_progress.lessons_completed == 3


def test_module_without_checks_completes_on_lessons_alone_with_no_score(home_page):
    tree = build_module_tree(home_page, title="Survivor voices", lessons=2)
    tree.lessons[-1].body = [("paragraph", "<p>Listen first.</p>")]
    tree.lessons[-1].save_revision().publish()
    user = learner()

    result = complete_all_lessons(user, tree)

    assert result.module_progress.score is None
    assert result.module_progress.status == ProgressStatus.COMPLETED


def test_module_score_is_the_mean_over_every_check_in_live_lessons(module_tree):
    second = module_tree.lessons[0]
    second.body = [("knowledge_check", KNOWLEDGE_CHECK)]
    second.save_revision().publish()
    second.refresh_from_db()
    user = learner()

    result = answer(user, module_tree, [1])  # one of two checks right: (100 + 0) / 2

    assert result.module_progress.score == 50
    lesson_row = LessonProgress.objects.get(learner=user, lesson=module_tree.lessons[-1])
    assert lesson_row.score == 100
    assert lesson_row.status == ProgressStatus.IN_PROGRESS  # answering does not complete


def test_answered_keeps_the_best_score_and_stores_the_servers_score(module_tree):
    user = learner()
    right = answer(user, module_tree, [1])
    wrong = answer(user, module_tree, [2])

    assert right.event.result == {
        "block_id": module_tree.check_block_id,
        "answers": [1],
        "score": 100,
    }
    assert wrong.event.result["score"] == 0
    check = KnowledgeCheckResult.objects.get(learner=user)
    assert (check.best_score, check.last_score, check.attempts) == (100, 0, 2)
    assert wrong.module_progress.score == 100
    assert [f[3] for f in wrong.outcome.feedback] == [
        o["feedback"] for o in KNOWLEDGE_CHECK["options"]
    ]


def joined_long_ago(force_code="met"):
    return learner(force_code, user__date_joined=timezone.now() - timedelta(days=60))


def test_occurred_at_defaults_to_now_and_accepts_a_past_time(module_tree):
    user = joined_long_ago()
    earlier = timezone.now() - timedelta(days=2)
    before = timezone.now()
    past_event = record(user, module_tree.lessons[0], "experienced", occurred_at=earlier).event
    now_event = record(user, module_tree.lessons[0], "experienced").event

    assert now_event.occurred_at >= before
    assert past_event.occurred_at == earlier  # the ledger keeps what the device said
    # Reports read the server's time: an offline event is dated when it arrived.
    row = LessonProgress.objects.get(learner=user)
    assert row.started_at == past_event.recorded_at >= before


@pytest.mark.parametrize(
    ("days_ago", "message"),
    [(15, "more than 14 days ago"), (365 * 126, "more than 14 days ago")],
)
def test_occurred_at_beyond_the_offline_window_is_refused(module_tree, days_ago, message):
    user = joined_long_ago()
    with pytest.raises(ProgressRejected) as caught:
        record(
            user,
            module_tree.lessons[0],
            "completed",
            occurred_at=timezone.now() - timedelta(days=days_ago),
        )
    assert message in caught.value.message_dict["occurred_at"][0]
    assert nothing_written()


def test_occurred_at_before_the_account_existed_is_refused(module_tree):
    user = learner(user__date_joined=timezone.now() - timedelta(days=1))
    with pytest.raises(ProgressRejected) as caught:
        record(
            user,
            module_tree.lessons[0],
            "completed",
            occurred_at=timezone.now() - timedelta(days=2),
        )
    assert "before your account was created" in caught.value.message_dict["occurred_at"][0]
    assert nothing_written()


def test_the_offline_window_is_a_setting(module_tree, settings):
    settings.PROGRESS_OFFLINE_WINDOW_DAYS = 30
    at = timezone.now() - timedelta(days=20)
    result = record(joined_long_ago(), module_tree.lessons[0], "experienced", occurred_at=at)
    assert result.event.occurred_at == at


def test_a_backdated_completion_is_dated_by_the_server(module_tree):
    """Certificates and reports use the server's clock: a device cannot date a completion."""
    user = joined_long_ago()
    before = timezone.now()
    at = timezone.now() - timedelta(days=13)
    for lesson in module_tree.lessons:
        record(user, lesson, "completed", occurred_at=at)
    result = answer(user, module_tree, [1], occurred_at=at)
    row = result.module_progress
    assert row.certificate_code
    assert row.completed_at >= before and row.started_at >= before
    assert ModuleProgress.objects.get(pk=row.pk).completed_at == result.event.recorded_at
    assert set(LessonProgress.objects.values_list("completed_at", flat=True)) != {at}


def test_a_little_clock_skew_is_accepted(module_tree):
    skewed = timezone.now() + timedelta(minutes=4)
    result = record(learner(), module_tree.lessons[0], "experienced", occurred_at=skewed)
    assert result.event.occurred_at == skewed


# --- Idempotency and conflicts ----------------------------------------------------------------


def test_replay_returns_the_original_and_changes_nothing(module_tree):
    user = learner()
    event_id = uuid.uuid4()
    first = record(user, module_tree.lessons[0], "completed", event_id=event_id)
    row_before = ModuleProgress.objects.values().get()

    replay = record(user, module_tree.lessons[0], "completed", event_id=event_id)

    assert replay.created is False
    assert replay.event.recorded_at == first.event.recorded_at
    assert ProgressEvent.objects.count() == 1
    assert ModuleProgress.objects.values().get() == row_before
    assert replay.module_progress.lessons_completed == 1


def test_replay_still_succeeds_after_the_lesson_is_unpublished(module_tree):
    # A device retrying an old event must get its answer, not be stuck on an error forever.
    user = learner()
    event_id = uuid.uuid4()
    record(user, module_tree.lessons[0], "completed", event_id=event_id)
    module_tree.lessons[0].unpublish()

    replay = record(user, module_tree.lessons[0], "completed", event_id=event_id)

    assert replay.created is False
    assert ProgressEvent.objects.count() == 1


def test_replay_of_an_answer_returns_the_scoring_again(module_tree):
    user = learner()
    event_id = uuid.uuid4()
    first = answer(user, module_tree, [1], event_id=event_id)
    replay = answer(user, module_tree, [1], event_id=event_id)

    assert replay.created is False
    assert replay.outcome == first.outcome
    assert KnowledgeCheckResult.objects.get().attempts == 1


def test_replay_with_the_same_explicit_time_in_another_timezone_notation(module_tree):
    user = joined_long_ago()
    event_id = uuid.uuid4()
    at = timezone.now().replace(microsecond=0) - timedelta(hours=1)
    record(user, module_tree.lessons[0], "experienced", event_id=event_id, occurred_at=at)
    as_london = at.astimezone(timezone.get_default_timezone())
    replay = record(
        user, module_tree.lessons[0], "experienced", event_id=event_id, occurred_at=as_london
    )
    assert replay.created is False


@pytest.mark.parametrize(
    "change",
    [
        {"verb": "completed"},
        {"lesson_index": 1},
        {"occurred_at": timezone.now() - timedelta(hours=1)},
    ],
    ids=["verb", "lesson", "time"],
)
def test_same_id_with_a_different_body_is_a_conflict(module_tree, change):
    user = learner()
    event_id = uuid.uuid4()
    record(user, module_tree.lessons[0], "experienced", event_id=event_id)
    lesson = module_tree.lessons[change.pop("lesson_index", 0)]
    verb = change.pop("verb", "experienced")

    with pytest.raises(ProgressConflict, match="already recorded"):
        record(user, lesson, verb, event_id=event_id, **change)
    assert ProgressEvent.objects.count() == 1


def test_another_learner_reusing_an_id_is_a_conflict_and_sees_nothing(module_tree):
    event_id = uuid.uuid4()
    record(learner(), module_tree.lessons[0], "experienced", event_id=event_id)
    other = learner()

    with pytest.raises(ProgressConflict):
        record(other, module_tree.lessons[0], "experienced", event_id=event_id)
    assert not ModuleProgress.objects.filter(learner=other).exists()


# --- Never backwards --------------------------------------------------------------------------


def test_a_stale_tab_cannot_undo_a_completion(module_tree):
    user = learner()
    complete_all_lessons(user, module_tree)
    done = answer(user, module_tree, [1]).module_progress
    lesson_before = LessonProgress.objects.get(learner=user, lesson=module_tree.lessons[0])

    stale = record(user, module_tree.lessons[0], "experienced")
    wrong = answer(user, module_tree, [0])
    again = record(user, module_tree.lessons[0], "completed")

    for row in (stale.module_progress, wrong.module_progress, again.module_progress):
        assert row.status == ProgressStatus.COMPLETED
        assert row.completed_at == done.completed_at
        assert row.certificate_code == done.certificate_code
        assert row.lessons_completed == 3
    lesson_after = LessonProgress.objects.get(pk=lesson_before.pk)
    assert lesson_after.status == ProgressStatus.COMPLETED
    assert lesson_after.completed_at == lesson_before.completed_at


def test_certificate_codes_are_unique_per_completion(home_page):
    tree = build_module_tree(home_page)
    codes = set()
    for _ in range(3):
        user = learner()
        complete_all_lessons(user, tree)
        codes.add(answer(user, tree, [1]).module_progress.certificate_code)
    assert len(codes) == 3


# --- Bad input: rejected, nothing written -----------------------------------------------------


def test_user_without_a_learner_profile_is_refused(module_tree):
    with pytest.raises(NotALearner, match="not linked to a police force"):
        record(UserFactory(), module_tree.lessons[0], "experienced")
    assert nothing_written()


def test_unknown_verb(module_tree):
    with pytest.raises(ProgressRejected) as error:
        record(learner(), module_tree.lessons[0], "jumped")
    assert "Unknown verb" in error.value.message_dict["verb"][0]
    assert nothing_written()


def test_event_id_that_is_not_a_uuid(module_tree):
    with pytest.raises(ProgressRejected) as error:
        record(learner(), module_tree.lessons[0], "experienced", event_id="42")
    assert "UUID" in error.value.message_dict["id"][0]
    assert nothing_written()


def test_event_id_as_a_uuid_string_is_accepted(module_tree):
    event_id = uuid.uuid4()
    record(learner(), module_tree.lessons[0], "experienced", event_id=str(event_id))
    assert ProgressEvent.objects.get().pk == event_id


def test_time_far_in_the_future(module_tree):
    future = timezone.now() + timedelta(minutes=6)
    with pytest.raises(ProgressRejected) as error:
        record(learner(), module_tree.lessons[0], "experienced", occurred_at=future)
    assert "future" in error.value.message_dict["occurred_at"][0]
    assert nothing_written()


def test_time_without_a_timezone(module_tree):
    naive = timezone.now().replace(tzinfo=None)
    with pytest.raises(ProgressRejected) as error:
        record(learner(), module_tree.lessons[0], "experienced", occurred_at=naive)
    assert "timezone" in error.value.message_dict["occurred_at"][0]
    assert nothing_written()


def test_unpublished_lesson(module_tree):
    lesson = module_tree.lessons[0]
    lesson.unpublish()
    with pytest.raises(ProgressRejected) as error:
        record(learner(), lesson, "experienced")
    assert "not available" in error.value.message_dict["lesson"][0]
    assert nothing_written()


def test_lesson_of_an_unpublished_module(module_tree):
    module_tree.module.unpublish()  # its lessons stay live
    with pytest.raises(ProgressRejected, match="not available"):
        record(learner(), module_tree.lessons[0], "experienced")
    assert nothing_written()


@pytest.mark.parametrize("restriction", [PageViewRestriction.PASSWORD, PageViewRestriction.GROUPS])
def test_lesson_behind_a_view_restriction_learners_cannot_pass(module_tree, restriction):
    PageViewRestriction.objects.create(
        page=module_tree.module, restriction_type=restriction, password="not-for-learners"
    )
    with pytest.raises(ProgressRejected, match="not available"):
        record(learner(), module_tree.lessons[0], "experienced")
    assert nothing_written()


def test_a_sign_in_restriction_is_fine_for_a_signed_in_learner(module_tree):
    PageViewRestriction.objects.create(
        page=module_tree.programme, restriction_type=PageViewRestriction.LOGIN
    )
    assert record(learner(), module_tree.lessons[0], "experienced").created


@pytest.mark.parametrize(
    ("result", "message"),
    [
        (None, "block_id"),
        ({"answers": [1]}, "block_id"),
        ({"block_id": "no-such-check", "answers": [1]}, "no such knowledge check"),
        ({"block_id": "CHECK", "answers": []}, "non-empty list"),
        ({"block_id": "CHECK", "answers": "1"}, "non-empty list"),
        ({"block_id": "CHECK", "answers": ["1"]}, "non-empty list"),
        ({"block_id": "CHECK", "answers": [True]}, "non-empty list"),
        ({"block_id": "CHECK", "answers": [7]}, "does not match any option"),
        ({"block_id": "CHECK", "answers": [-1]}, "does not match any option"),
        ({"block_id": "CHECK", "answers": [0, 1]}, "single answer"),
    ],
)
def test_bad_answers(module_tree, result, message):
    if result and result.get("block_id") == "CHECK":
        result = {**result, "block_id": module_tree.check_block_id}
    with pytest.raises(ProgressRejected) as error:
        record(learner(), module_tree.lessons[-1], "answered", result=result)
    assert message in error.value.message_dict["result"][0]
    assert nothing_written()


def test_an_oversized_result_is_refused(module_tree):
    with pytest.raises(ProgressRejected) as error:
        record(learner(), module_tree.lessons[0], "experienced", result={"note": "x" * 5000})
    assert "under 4096 characters" in error.value.message_dict["result"][0]
    assert nothing_written()


def test_a_check_in_another_lesson_is_not_this_lessons(module_tree):
    result = {"block_id": module_tree.check_block_id, "answers": [1]}
    with pytest.raises(ProgressRejected, match="no such knowledge check"):
        record(learner(), module_tree.lessons[0], "answered", result=result)
    assert nothing_written()


# --- Batches ----------------------------------------------------------------------------------


def batch_event(lesson, verb="completed", **kwargs):
    return {"event_id": uuid.uuid4(), "lesson": lesson, "verb": verb, **kwargs}


def test_batch_applies_events_in_order(module_tree):
    user = learner()
    events = [batch_event(lesson) for lesson in module_tree.lessons]
    events.append(
        batch_event(
            module_tree.lessons[-1],
            "answered",
            result={"block_id": module_tree.check_block_id, "answers": [1]},
        )
    )

    results = progress_record_many(learner=user, events=events)

    assert [r.created for r in results] == [True] * 4
    assert results[-1].module_progress.status == ProgressStatus.COMPLETED
    assert ProgressEvent.objects.count() == 4


def test_batch_is_all_or_nothing(module_tree):
    user = learner()
    events = [
        batch_event(module_tree.lessons[0]),
        batch_event(module_tree.lessons[1], occurred_at=timezone.now() + timedelta(hours=1)),
    ]
    with pytest.raises(ProgressRejected) as error:
        progress_record_many(learner=user, events=events)
    assert error.value.index == 1
    assert nothing_written()


def test_batch_with_a_conflict_writes_nothing(module_tree):
    user = learner()
    taken = record(user, module_tree.lessons[0], "experienced").event.pk
    events = [
        batch_event(module_tree.lessons[1]),
        batch_event(module_tree.lessons[0], event_id=taken),
    ]
    with pytest.raises(ProgressConflict):
        progress_record_many(learner=user, events=events)
    assert ProgressEvent.objects.count() == 1
    assert not LessonProgress.objects.filter(lesson=module_tree.lessons[1]).exists()


def test_batch_replay_is_not_created(module_tree):
    user = learner()
    events = [batch_event(lesson) for lesson in module_tree.lessons]
    progress_record_many(learner=user, events=events)
    replayed = progress_record_many(learner=user, events=events)
    assert [r.created for r in replayed] == [False] * 3
    assert ProgressEvent.objects.count() == 3


@pytest.mark.parametrize(("size", "message"), [(0, "at least one"), (101, "at most 100")])
def test_batch_size_limits(module_tree, size, message):
    events = [batch_event(module_tree.lessons[0]) for _ in range(size)]
    with pytest.raises(ProgressRejected, match=message):
        progress_record_many(learner=learner(), events=events)
    assert nothing_written()


# --- Query counts -----------------------------------------------------------------------------


def test_one_event_query_count(module_tree, django_assert_num_queries):
    user = learner()
    user.learner_profile  # noqa: B018 - loaded by authentication in real requests
    record(user, module_tree.lessons[0], "experienced")  # the module row now exists
    lesson = module_tree.lessons[1]
    # The same on SQLite and PostgreSQL; the lesson structure is in the cache (warm):
    # 1 SELECT the content token
    # 2 SAVEPOINT (progress_record's transaction, nested in the test's)
    # 3 SELECT ... FOR UPDATE the learner's module row
    # 4 SELECT the event id in the ledger (a replay?)
    # 5 INSERT the event
    # 6 SELECT the learner's check results in the module (it has a knowledge check)
    # 7 SELECT the learner's lesson rows in the module
    # 8 INSERT the lesson row (an UPDATE when it exists, nothing when nothing changes)
    # 9 UPDATE the module row (still in progress: the force's totals do not change)
    # 10 SELECT the force's LRS connection (none: nothing is queued)
    # 11 RELEASE SAVEPOINT
    with django_assert_num_queries(11):
        record(user, lesson, "experienced")


def test_an_event_that_changes_the_totals_query_count(module_tree, django_assert_num_queries):
    record(learner(), module_tree.lessons[0], "experienced")  # the totals row exists
    user = learner()
    user.learner_profile  # noqa: B018 - loaded by authentication in real requests
    # The learner's first event in the module: 1 token; 2 SAVEPOINT; 3 SELECT ... FOR UPDATE
    # the module row, none; 4-6 SAVEPOINT, INSERT it (not started: counts nowhere), RELEASE
    # (get_or_create); 7 the ledger; 8 INSERT the event; 9 check results; 10 lesson rows;
    # 11 INSERT the lesson row; 12 UPDATE the module row; 13 UPDATE the (force, module)
    # totals, now one more in progress; 14 the force's LRS connection, none; 15 RELEASE.
    with django_assert_num_queries(15):
        record(user, module_tree.lessons[0], "experienced")
    for lesson in module_tree.lessons:
        record(user, lesson, "completed")
    # Completing the module by answering its check: as test_one_event_query_count (11),
    # plus the check result's INSERT (1), the event's UPDATE with its module statement's id
    # (1) and the totals UPDATE (1): in progress -> completed.
    with django_assert_num_queries(14):
        result = record(
            user,
            module_tree.lessons[-1],
            "answered",
            result={"block_id": module_tree.check_block_id, "answers": [1]},
        )
    assert result.module_progress.status == ProgressStatus.COMPLETED


def test_a_replay_query_count(module_tree, django_assert_num_queries):
    user = learner()
    user.learner_profile  # noqa: B018 - loaded by authentication in real requests
    event_id = uuid.uuid4()
    record(user, module_tree.lessons[0], "experienced", event_id=event_id)
    # 1 token; 2 SAVEPOINT; 3 lock the module row; 4 find the event: a replay; 5 RELEASE
    with django_assert_num_queries(5):
        replay = record(user, module_tree.lessons[0], "experienced", event_id=event_id)
    assert replay.created is False


def test_batch_query_count(module_tree, django_assert_num_queries):
    user = learner()
    user.learner_profile  # noqa: B018 - loaded by authentication in real requests
    record(user, module_tree.lessons[0], "experienced")  # the module row exists; cache warm
    # 1 SELECT the content token; 2 SAVEPOINT; 3 SELECT ... FOR UPDATE the module row;
    # 4 SELECT the event ids in the ledger; then per event: INSERT it, SELECT check results,
    # SELECT lesson rows, write the lesson row when it changes (an "experienced" of a lesson
    # already started changes nothing), UPDATE the module row; RELEASE at the end. The module
    # stays in progress without a score, so the force's totals are not written. Last, once,
    # SELECT the force's LRS connection (none).
    first = [batch_event(lesson, "experienced") for lesson in module_tree.lessons]
    with django_assert_num_queries(6 + 5 * 3 - 1):  # lesson 1's row is already started
        results = progress_record_many(learner=user, events=first)
    completed = [batch_event(lesson, "completed") for lesson in module_tree.lessons]
    with django_assert_num_queries(6 + 5 * 3):
        results = progress_record_many(learner=user, events=completed)
    assert all(result.created for result in results)
    assert results[-1].module_progress.lessons_completed == 3


def test_learner_progress_selector_reads_in_two_queries(module_tree, django_assert_num_queries):
    user = learner()
    other_tree = build_module_tree(module_tree.programme.get_parent().specific, title="Men's role")
    record(user, module_tree.lessons[0], "completed")
    record(user, other_tree.lessons[1], "experienced")
    record(learner(), module_tree.lessons[1], "completed")  # someone else's

    # 1 module rows with their pages; 2 lesson rows with their pages
    with django_assert_num_queries(2):
        rows = learner_progress(learner=user)
        titles = [(row.module.title, [r.lesson.title for r in row.lesson_rows]) for row in rows]

    assert titles == [
        ("Leadership", ["Leadership lesson 1"]),
        ("Men's role", ["Men's role lesson 2"]),
    ]


# --- Order independence -----------------------------------------------------------------------


class _Rollback(Exception):
    pass


@hypothesis_settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(order=st.permutations(range(7)))
def test_any_arrival_order_gives_the_same_aggregates(module_tree, order):
    """Offline catch-up and several tabs deliver events in any order; the aggregates must
    not depend on it (only the moment of module completion may)."""
    start = timezone.now() - timedelta(hours=1)
    right = {"block_id": module_tree.check_block_id, "answers": [1]}
    wrong = {**right, "answers": [2]}
    first, second, third = module_tree.lessons
    events = [
        (first, "experienced", None),
        (first, "completed", None),
        (second, "completed", None),
        (third, "answered", wrong),
        (third, "answered", right),
        (third, "experienced", None),
        (third, "completed", None),
    ]
    timed = [(*e, start + timedelta(seconds=i)) for i, e in enumerate(events)]

    try:
        with transaction.atomic():  # each example starts from no progress
            user = joined_long_ago()
            for index in order:
                lesson, verb, result, at = timed[index]
                record(user, lesson, verb, result=result, occurred_at=at)
            row = ModuleProgress.objects.get(learner=user)
            lessons = sorted(
                LessonProgress.objects.filter(learner=user).values_list(
                    "lesson_id", "status", "score", "started_at", "completed_at"
                )
            )
            raise _Rollback
    except _Rollback:
        pass

    assert (row.status, row.lessons_completed, row.lessons_total, row.score) == (
        ProgressStatus.COMPLETED,
        3,
        3,
        100,
    )
    # Times are the server's, so they follow arrival; the devices' times are in the ledger.
    assert row.started_at is not None and row.completed_at >= row.started_at
    assert [lesson[:3] for lesson in lessons] == [
        (first.pk, ProgressStatus.COMPLETED, None),
        (second.pk, ProgressStatus.COMPLETED, None),
        (third.pk, ProgressStatus.COMPLETED, 100),
    ]
    assert all(started <= completed for *_, started, completed in lessons)


def test_the_returned_module_row_is_the_stored_row(module_tree):
    user = learner("gmp")
    for lesson in module_tree.lessons:
        record(user, lesson, "completed")
    result = answer(user, module_tree, [1])
    stored = ModuleProgress.objects.get(pk=result.module_progress.pk)
    returned = result.module_progress
    assert returned.status == ProgressStatus.COMPLETED and returned.certificate_code
    for field in ModuleProgress._meta.concrete_fields:
        assert getattr(returned, field.attname) == getattr(stored, field.attname), field.name
    assert returned._state.adding is False


def test_certificate_codes_use_every_character_and_do_not_repeat():
    codes = [certificate_code() for _ in range(2000)]
    assert len(set(codes)) == len(codes)
    pattern = r"[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}"
    assert all(re.fullmatch(pattern, code) for code in codes)
    characters = "".join(codes).replace("-", "")
    # Every character in every place: 2,000 draws of 31 characters leave none out by chance.
    for place in range(12):
        assert set(characters[place::12]) == set(services.CERTIFICATE_ALPHABET)
