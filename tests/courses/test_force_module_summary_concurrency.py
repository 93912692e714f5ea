"""The (force, module) totals under concurrent batches: PostgreSQL only, real threads.

Batches from learners of one force, touching the same modules in opposite orders, must
neither deadlock on the totals rows nor lose a count."""

import uuid

import pytest
from django.conf import settings

from courses.services import progress_record_many
from tests.conftest import build_module_tree
from tests.courses.test_force_module_summary import counted, totals
from tests.courses.test_progress_concurrency import run_together
from tests.factories import learner

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: SQLite serialises writers, so there is no race to test",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LEARNERS = 8


def test_batches_in_opposite_module_orders_neither_deadlock_nor_lose_counts(home_page):
    modules = [build_module_tree(home_page, title=f"Module {i}", lessons=1) for i in range(4)]
    officers = [learner("met") for _ in range(LEARNERS)]

    def batch(officer, trees):
        events = [
            {"event_id": uuid.uuid4(), "lesson": tree.lessons[0], "verb": "experienced"}
            for tree in trees
        ]
        return progress_record_many(learner=officer, events=events)

    jobs = [
        lambda o=officer, i=i: batch(o, modules if i % 2 else modules[::-1])
        for i, officer in enumerate(officers)
    ]
    results = run_together(jobs)

    assert all(len(result) == len(modules) for result in results)
    # Each learner has opened every module: in progress, not scored (no check answered).
    expected = {("met", tree.module.pk): (LEARNERS, 0, 0, 0) for tree in modules}
    assert totals() == expected == counted()
