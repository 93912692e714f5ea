"""courses_progress_record() (migration 0008) is the PostgreSQL form of the progress write:
it must leave exactly what the statement-by-statement path leaves (which SQLite runs), for
any sequence of events. PostgreSQL only."""

import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from courses import services
from courses.models import KnowledgeCheckResult, LessonProgress, ModuleProgress
from tests.factories import KNOWLEDGE_CHECK, learner

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="courses_progress_record() is PostgreSQL's"
    ),
]


def test_the_rounded_mean_rounds_as_python_does():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t, c, courses_rounded_mean(t, c) "
            "FROM generate_series(0, 800) t, generate_series(1, 9) c"
        )
        rows = cursor.fetchall()
    assert len(rows) == 801 * 9
    assert [(t, c, round(t / c)) for t, c, _ in rows] == rows


@pytest.fixture
def checks_tree(module_tree):
    """Lesson 1 without a check, lesson 2 with one, lesson 3 with two: means over 1, 2 and 3
    checks."""
    lessons = module_tree.lessons
    lessons[1].body = [("knowledge_check", KNOWLEDGE_CHECK)]
    lessons[1].save_revision().publish()
    lessons[2].body = [("knowledge_check", KNOWLEDGE_CHECK), ("knowledge_check", KNOWLEDGE_CHECK)]
    lessons[2].save_revision().publish()
    for lesson in lessons:
        lesson.refresh_from_db()
    checks = [[]] + [[child.id for child in lesson.body] for lesson in lessons[1:]]
    return lessons, checks


class _Rollback(Exception):
    pass


EVENT = st.tuples(
    st.integers(0, 2),  # lesson
    st.sampled_from(["experienced", "completed", "answered"]),
    st.integers(0, 1),  # which check of the lesson
    st.lists(st.integers(0, 2), min_size=1, max_size=2),  # answers (several: refused)
    st.integers(-300, 300),  # seconds from the start, so events arrive out of order
    st.booleans(),  # send the previous event again
)


def _state(user):
    module = ModuleProgress.objects.filter(learner=user).first()
    return (
        module
        and (
            module.status,
            module.lessons_completed,
            module.lessons_total,
            module.score,
            module.started_at,
            module.completed_at,
            module.completed_revision_id,
            bool(module.certificate_code),
        ),
        sorted(
            LessonProgress.objects.filter(learner=user).values_list(
                "lesson_id", "status", "score", "started_at", "completed_at"
            )
        ),
        sorted(
            KnowledgeCheckResult.objects.filter(learner=user).values_list(
                "lesson_id", "block_id", "best_score", "last_score", "attempts"
            )
        ),
    )


def _event_kwargs(event, lessons, checks, start) -> dict:
    """progress_record()'s keyword arguments (but `learner`) for an EVENT, with a new id."""
    lesson_index, verb, check, answers, seconds, _again = event
    kwargs = {
        "event_id": uuid.uuid4(),
        "lesson": lessons[lesson_index],
        "verb": verb,
        "occurred_at": start + timedelta(seconds=seconds),
    }
    if verb == "answered":
        blocks = checks[lesson_index]
        block_id = blocks[check % len(blocks)] if blocks else "no-such-check"
        kwargs["result"] = {"block_id": block_id, "answers": answers}
    return kwargs


def _progress_left_by(send) -> tuple:
    """Call send(one_call_learner, steps_learner) for two new learners, and return the progress
    each was left with; everything is rolled back, so each example starts from nothing."""
    try:
        with transaction.atomic():
            one_call, steps = learner("met"), learner("met")
            send(one_call, steps)
            states = _state(one_call), _state(steps)
            raise _Rollback
    except _Rollback:
        pass
    return states


def _send(user, previous, lessons, checks, event, start, one_call):
    again = event[-1]
    kwargs = previous if again and previous else _event_kwargs(event, lessons, checks, start)
    with mock.patch.object(services, "_in_one_call", lambda: one_call):
        try:
            result = services.progress_record(learner=user, **kwargs)
        except services.ProgressRejected as error:
            return kwargs, ("rejected", error.message_dict)
    module = result.module_progress
    return kwargs, (
        result.created,
        result.outcome and result.outcome.score,
        module.status,
        module.lessons_completed,
        module.score,
        module.completed_at,
        bool(module.certificate_code),
    )


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(events=st.lists(EVENT, min_size=1, max_size=10))
def test_one_call_and_the_steps_leave_the_same_progress(checks_tree, events):
    lessons, checks = checks_tree
    start = timezone.now() - timedelta(hours=1)

    def send(one_call, steps):
        previous = {one_call.pk: None, steps.pk: None}
        for event in events:
            answers = []
            for user, in_one_call in ((one_call, True), (steps, False)):
                sent, answer = _send(
                    user, previous[user.pk], lessons, checks, event, start, in_one_call
                )
                previous[user.pk] = sent
                answers.append(answer)
            assert answers[0] == answers[1], event

    one_call_state, steps_state = _progress_left_by(send)
    assert one_call_state == steps_state


def test_a_conflicting_id_leaves_no_module_row_behind(module_tree):
    event_id = uuid.uuid4()
    lesson = module_tree.lessons[0]
    services.progress_record(
        learner=learner(), event_id=event_id, lesson=lesson, verb="experienced"
    )
    other = learner()
    with pytest.raises(services.ProgressConflict):
        services.progress_record(learner=other, event_id=event_id, lesson=lesson, verb="completed")
    assert not ModuleProgress.objects.filter(learner=other).exists()


def test_a_kept_copy_of_changed_content_writes_nothing(module_tree, django_assert_num_queries):
    """Migration 0009: given the token its caller's copy was read at, the function refuses to
    write on changed content, and progress_record() then reads the lesson again."""
    from courses import structure
    from courses.models import ContentVersion, ProgressEvent

    user = learner()
    lesson = module_tree.lessons[0]
    services.progress_record(learner=user, event_id=uuid.uuid4(), lesson=lesson, verb="experienced")
    [(kept, token)] = structure.kept([lesson.pk])
    event = services.ProgressEvent(
        id=uuid.uuid4(),
        learner=user,
        force_id=user.learner_profile.force_id,
        module_id=kept.module_id,
        lesson_id=lesson.pk,
        verb="completed",
        result={},
        body_hash="0" * 64,
        occurred_at=timezone.now(),
        recorded_at=timezone.now(),
    )
    ContentVersion.objects.update(token=uuid.uuid4().hex)  # another process's change
    before = (ProgressEvent.objects.count(), list(ModuleProgress.objects.values()))
    with pytest.raises(services._ContentChanged):
        services._write_in_one_call(services._Write(event, kept, None), token)
    assert (ProgressEvent.objects.count(), list(ModuleProgress.objects.values())) == before

    # Through the service: the function's refusal (1), the token and the lesson's module read
    # again (5: tests/courses/test_structure.py), and the write with what was read (1).
    with django_assert_num_queries(7):
        result = services.progress_record(
            learner=user, event_id=uuid.uuid4(), lesson=lesson, verb="completed"
        )
    assert result.created and result.module_progress.lessons_completed == 1
    assert structure.kept([lesson.pk])[0][1] == ContentVersion.objects.get().token


def _send_batch(user, lessons, checks, batch, start, one_call):
    """One progress_record_many() call; `batch` holds EVENT tuples, whose last field repeats
    the batch's previous event (same id and body: a replay within the batch)."""
    sent = []
    for event in batch:
        again = event[-1]
        sent.append(sent[-1] if again and sent else _event_kwargs(event, lessons, checks, start))
    with mock.patch.object(services, "_in_one_call", lambda: one_call):
        try:
            results = services.progress_record_many(learner=user, events=sent)
        except services.ProgressRejected as error:
            return ("rejected", error.index, error.message_dict)
    return [
        (
            result.created,
            result.outcome and result.outcome.score,
            result.module_progress.status,
            result.module_progress.lessons_completed,
            result.module_progress.score,
            result.module_progress.completed_at,
        )
        for result in results
    ]


@hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(batches=st.lists(st.lists(EVENT, min_size=1, max_size=6), min_size=1, max_size=3))
def test_a_batch_in_one_round_trip_leaves_what_the_steps_leave(checks_tree, batches):
    """services._write_batch_in_one_call() sends a batch's locks and its events' calls
    together; the answers and the progress left must be those of the step-by-step path,
    replays within a batch and refused events (which take the step-by-step path) included."""
    lessons, checks = checks_tree
    start = timezone.now() - timedelta(hours=1)

    def send(together, steps):
        for batch in batches:
            answers = [
                _send_batch(user, lessons, checks, batch, start, one_call)
                for user, one_call in ((together, True), (steps, False))
            ]
            assert answers[0] == answers[1], batch

    together_state, steps_state = _progress_left_by(send)
    assert together_state == steps_state


def test_a_refused_event_repeating_an_earlier_id_of_its_batch_is_a_conflict(module_tree):
    """The batch is checked before anything is written; an event refused there takes the
    step-by-step path, which answers it as a single post would: here the id was just used, in
    the same batch, for a different event, so the answer is 409's, not the refusal."""
    first, second = module_tree.lessons[:2]
    event_id = uuid.uuid4()
    events = [
        {"event_id": event_id, "lesson": first, "verb": "completed"},
        {"event_id": event_id, "lesson": second, "verb": "jumped"},
    ]
    user = learner()
    with pytest.raises(services.ProgressConflict):
        services.progress_record_many(learner=user, events=events)
    assert not ModuleProgress.objects.filter(learner=user).exists()


def test_a_batch_from_a_kept_copy_of_changed_content_writes_nothing_from_it(
    module_tree, django_assert_num_queries
):
    """A batch, like one event, is written from this process's copy of its lessons' modules,
    and every call checks the copy's content token: on changed content the batch's transaction
    rolls back and the lessons are read again."""
    from courses import structure
    from courses.models import ContentVersion, ProgressEvent

    user = learner()
    lessons = module_tree.lessons
    structure.lessons([lesson.pk for lesson in lessons])
    ContentVersion.objects.update(token=uuid.uuid4().hex)  # another process's change
    events = [
        {"event_id": uuid.uuid4(), "lesson": lesson, "verb": "completed"} for lesson in lessons
    ]
    # The stale attempt (savepoint, statements, rollback to and release the savepoint: 4), the
    # token and the module read again (5: tests/courses/test_structure.py), the batch
    # (savepoint, statements, release: 3).
    with django_assert_num_queries(12):
        results = services.progress_record_many(learner=user, events=events)
    assert [result.created for result in results] == [True] * 3
    assert results[-1].module_progress.lessons_completed == 3
    assert ProgressEvent.objects.filter(learner=user).count() == 3
    assert ModuleProgress.objects.filter(learner=user).count() == 1
    assert structure.kept([lessons[0].pk])[0][1] == ContentVersion.objects.get().token
