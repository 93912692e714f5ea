"""progress_record() under real concurrency: threads with their own PostgreSQL connections.

SQLite serialises every write transaction, so these races cannot happen there; the tests
run on PostgreSQL only (DATABASE_URL=postgres://...).
"""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from courses.models import LessonProgress, ModuleProgress, ProgressEvent, ProgressStatus
from courses.services import progress_record, progress_record_many
from tests.conftest import build_module_tree
from tests.factories import learner

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: SQLite serialises writers, so there is no race to test",
    ),
    # Real commits, so other connections see them; serialized_rollback restores the forces
    # and the site root loaded by data migrations for the tests that run after these.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 8


def run_together(jobs):
    """Run callables in threads that start at the same moment; each closes its connection."""
    barrier = threading.Barrier(len(jobs))

    def run(job):
        try:
            barrier.wait(timeout=10)
            return job()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def test_many_threads_posting_the_same_event_record_it_once(module_tree):
    user = learner()
    clients = []
    for _ in range(THREADS):
        client = Client()
        client.force_login(user)
        clients.append(client)
    body = {"id": str(uuid.uuid4()), "lesson": module_tree.lessons[0].pk, "verb": "completed"}

    responses = run_together(
        [
            lambda c=c: c.post("/api/v1/progress/", body, content_type="application/json")
            for c in clients
        ]
    )

    assert sorted(r.status_code for r in responses) == [200] * (THREADS - 1) + [201]
    assert {r.json()["recorded_at"] for r in responses} == {
        ProgressEvent.objects.get().recorded_at.isoformat().replace("+00:00", "Z")
    }
    assert LessonProgress.objects.get(learner=user).status == ProgressStatus.COMPLETED
    row = ModuleProgress.objects.get(learner=user)
    assert (row.lessons_completed, row.lessons_total, row.status) == (
        1,
        3,
        ProgressStatus.IN_PROGRESS,
    )


def test_threads_racing_one_service_call_agree_on_one_event(module_tree):
    user = learner()
    event_id = uuid.uuid4()
    lesson = module_tree.lessons[-1]
    result = {"block_id": module_tree.check_block_id, "answers": [1]}

    results = run_together(
        [
            lambda: progress_record(
                learner=user, event_id=event_id, lesson=lesson, verb="answered", result=result
            )
        ]
        * THREADS
    )

    assert [r.created for r in results].count(True) == 1
    assert {r.event.pk for r in results} == {event_id}
    assert ProgressEvent.objects.count() == 1
    assert ModuleProgress.objects.get(learner=user).score == 100


def tab_events(tree, start):
    """Two tabs of one learner, sent in lock step. Both touch the same lesson and module rows,
    and their last events complete the final two lessons at the same moment: a count read
    without the module lock would see only its own lesson and never complete the module."""
    at = [start + timedelta(seconds=i) for i in range(8)]
    check = {"block_id": tree.check_block_id, "answers": [1]}
    first, second, third = tree.lessons
    tab_a = [
        (first, "experienced", None, at[0]),
        (third, "answered", check, at[1]),
        (second, "experienced", None, at[2]),
        (first, "completed", None, at[3]),
    ]
    tab_b = [
        (second, "experienced", None, at[4]),
        (third, "experienced", None, at[5]),
        (third, "completed", None, at[6]),
        (second, "completed", None, at[7]),
    ]
    return tab_a, tab_b


def send(user, events, step_barrier=None):
    """Send events in order; with a barrier, every tab starts each step at the same moment,
    which is when their aggregate updates overlap most."""
    results = []
    for lesson, verb, result, occurred_at in events:
        if step_barrier:
            step_barrier.wait(timeout=30)
        results.append(
            progress_record(
                learner=user,
                event_id=uuid.uuid4(),
                lesson=lesson,
                verb=verb,
                result=result,
                occurred_at=occurred_at,
            )
        )
    return results


def long_standing_learner():
    """A learner whose account is older than the devices' times the tabs send."""
    return learner(user__date_joined=timezone.now() - timedelta(days=30))


def aggregates(user):
    """What the learner's rows say. Their times are the server's, when each event arrived,
    so only whether each is set is compared between learners."""
    module = ModuleProgress.objects.get(learner=user)
    lessons = {
        row.lesson_id: (row.status, row.score, row.started_at is not None, row.completed_at)
        for row in LessonProgress.objects.filter(learner=user)
    }
    lessons = {
        lesson_id: (*values[:3], completed_at is not None)
        for lesson_id, (*values, completed_at) in lessons.items()
    }
    module_view = (
        module.status,
        module.lessons_completed,
        module.lessons_total,
        module.score,
        module.started_at is not None,
        module.completed_at is not None,
        module.certificate_code is not None,
    )
    return module_view, lessons


def test_two_tabs_interleaving_end_where_a_serial_replay_ends(module_tree):
    start = timezone.now() - timedelta(hours=1)
    tab_a, tab_b = tab_events(module_tree, start)
    concurrent_learners = [long_standing_learner() for _ in range(THREADS // 2)]
    serial_learner = long_standing_learner()

    tabs = [(u, tab) for u in concurrent_learners for tab in (tab_a, tab_b)]
    step = threading.Barrier(len(tabs))
    run_together([lambda u=u, tab=tab: send(u, tab, step) for u, tab in tabs])
    send(serial_learner, tab_a + tab_b)

    expected = aggregates(serial_learner)
    assert expected[0][0] == ProgressStatus.COMPLETED
    for user in concurrent_learners:
        assert aggregates(user) == expected
    assert ProgressEvent.objects.count() == len(tab_a + tab_b) * (len(concurrent_learners) + 1)


def test_a_post_racing_a_batch_that_repeats_its_event_neither_deadlocks_nor_duplicates(
    home_page, module_tree
):
    other = build_module_tree(home_page, title="Men's role")
    rounds = []
    for _ in range(THREADS // 2):
        user = learner()
        shared = {
            "event_id": uuid.uuid4(),
            "lesson": module_tree.lessons[0],
            "verb": "completed",
        }
        batch = [
            {"event_id": uuid.uuid4(), "lesson": other.lessons[0], "verb": "completed"},
            shared,
        ]
        rounds.append((user, shared, batch))

    outcomes = run_together(
        [lambda u=u, s=s: [progress_record(learner=u, **s)] for u, s, _ in rounds]
        + [lambda u=u, b=b: progress_record_many(learner=u, events=b) for u, _, b in rounds]
    )

    for user, shared, _ in rounds:
        shared_results = [
            r for results in outcomes for r in results if r.event.pk == shared["event_id"]
        ]
        assert sorted(r.created for r in shared_results) == [False, True]
        assert all(r.event.learner_id == user.pk for r in shared_results)
        assert ProgressEvent.objects.filter(learner=user).count() == 2
        assert ModuleProgress.objects.filter(learner=user, lessons_completed=1).count() == 2
