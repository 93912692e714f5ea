"""Any sequence of events, replays included, through progress_record(): progress never goes
backwards, completion happens once, and the per-(force, module) totals match a recount of the
module rows. On SQLite and PostgreSQL (the one engine runs on both)."""

import contextlib
import uuid

import pytest
from django.db import transaction
from django.db.models import Count, Q, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.models import ForceModuleSummary, LessonProgress, ModuleProgress, ProgressStatus
from courses.services import ProgressConflict, ProgressRejected, progress_record
from tests.factories import learner

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


events = st.lists(
    st.tuples(
        st.integers(0, 2),  # lesson
        st.sampled_from(["experienced", "completed", "answered"]),
        st.lists(st.integers(-1, 3), max_size=3),  # answers, some out of range
        st.integers(0, 3),  # reuse an earlier id (a replay or a conflict) when < 1
    ),
    min_size=1,
    max_size=10,
)


def recount() -> dict:
    rows = ModuleProgress.objects.exclude(force=None).values("force_id", "module_id")
    totals = rows.annotate(
        in_progress=Count("pk", filter=Q(status=ProgressStatus.IN_PROGRESS)),
        completed=Count("pk", filter=Q(status=ProgressStatus.COMPLETED)),
        scored=Count("score"),
        score_total=Sum("score", default=0),
    )
    return {
        (t["force_id"], t["module_id"]): (
            t["in_progress"],
            t["completed"],
            t["scored"],
            t["score_total"],
        )
        for t in totals
    }


def kept_totals() -> dict:
    return {
        (s.force_id, s.module_id): (s.in_progress, s.completed, s.scored, s.score_total)
        for s in ForceModuleSummary.objects.all()
        if (s.in_progress, s.completed, s.scored, s.score_total) != (0, 0, 0, 0)
    }


def snapshot(user):
    module = ModuleProgress.objects.filter(learner=user).first()
    lessons = dict(LessonProgress.objects.filter(learner=user).values_list("lesson_id", "status"))
    if module is None:
        return None, lessons
    return (module.status, module.completed_at, module.certificate_code), lessons


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=events)
def test_any_sequence_moves_forward_completes_once_and_keeps_the_totals(module_tree, sequence):
    try:
        with transaction.atomic():  # each example starts from no progress
            user, other = learner("met"), learner("gmp")
            sent = []
            before = snapshot(user)
            for lesson_index, verb, answers, reuse in sequence:
                reused = reuse < 1 and sent
                event_id = sent[-1] if reused else uuid.uuid4()
                result = None
                if verb == "answered":
                    result = {"block_id": module_tree.check_block_id, "answers": answers}
                with contextlib.suppress(ProgressRejected, ProgressConflict):
                    progress_record(
                        learner=user,
                        event_id=event_id,
                        lesson=module_tree.lessons[lesson_index],
                        verb=verb,
                        result=result,
                    )
                sent.append(event_id)
                progress_record(
                    learner=other,
                    event_id=uuid.uuid4(),
                    lesson=module_tree.lessons[lesson_index],
                    verb="experienced",
                )
                after = snapshot(user)
                assert_forward(before, after)
                before = after
                assert kept_totals() == recount()
            raise _Rollback
    except _Rollback:
        pass


def assert_forward(before, after):
    (module_before, lessons_before), (module_after, lessons_after) = before, after
    for lesson_id, status in lessons_before.items():
        assert lessons_after[lesson_id] >= status
    if module_before is None:
        return
    assert module_after[0] >= module_before[0]
    if module_before[1] is not None:  # completed: the time and the certificate never change
        assert module_after[1:] == module_before[1:]
    if module_after[0] == ProgressStatus.COMPLETED:
        assert module_after[1] is not None and module_after[2]
