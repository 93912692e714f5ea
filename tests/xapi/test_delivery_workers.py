"""Delivery by workers: the deliver_xapi loop stops cleanly on SIGTERM; two workers never
send the same row twice; a worker that stops answering loses its rows after the lease
(at least once). The last two need PostgreSQL (SQLite serialises writers, and has no
SKIP LOCKED), with real threads and committed transactions."""

import os
import signal
import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from courses.models import OutboxState, XapiOutbox
from courses.xapi.delivery import deliver_due
from tests.courses.test_progress_concurrency import run_together
from tests.factories import learner
from tests.xapi.scripted_lrs import Reply, ScriptedLrs
from tests.xapi.test_delivery import connect, record

postgresql_only = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL: row locks with SKIP LOCKED, and writers that run at once",
)
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def lrs():
    with ScriptedLrs() as server:
        yield server


def test_the_worker_sends_until_sigterm_then_finishes_and_restores_the_handler(
    lrs, module_tree, capsys
):
    connect(lrs.endpoint)
    record(learner("met"), module_tree, 2)
    before = signal.getsignal(signal.SIGTERM)
    threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGTERM)).start()

    call_command("deliver_xapi", "--interval", "0.2")

    out = capsys.readouterr().out
    assert "1 batch(es): 2 sent" in out and out.rstrip().endswith("xAPI delivery: stopped.")
    assert signal.getsignal(signal.SIGTERM) is before
    assert set(XapiOutbox.objects.values_list("state", flat=True)) == {OutboxState.SENT}


@postgresql_only
def test_two_workers_at_once_never_send_the_same_row(lrs, module_tree):
    connect(lrs.endpoint, batch_size=2)
    ids = record(learner("met"), module_tree, 12)
    lrs.script = [Reply(200, [], delay=0.2)] * 6  # slow answers: the workers overlap

    reports = run_together([deliver_due, deliver_due])

    sent = [i for batch in lrs.posted_ids() for i in batch]
    assert sorted(sent) == sorted(ids)  # each once
    assert sum(report.sent for report in reports) == 12
    assert all(report.batches for report in reports)  # both took a share
    assert set(XapiOutbox.objects.values_list("state", flat=True)) == {OutboxState.SENT}


@postgresql_only
def test_rows_of_a_worker_that_stopped_answering_are_sent_again_after_the_lease(lrs, module_tree):
    connect(lrs.endpoint)
    ids = record(learner("met"), module_tree, 2)
    release = threading.Event()
    lrs.script = [Reply(200, [], wait=release)]  # the first worker's POST gets no answer yet
    first = threading.Thread(target=lambda: (deliver_due(), connection.close()))
    first.start()
    while not lrs.received:
        threading.Event().wait(0.05)
    claimed = XapiOutbox.objects.values_list("next_attempt_at", flat=True).first()

    assert deliver_due().batches == 0  # leased: another worker leaves them alone
    after_lease = claimed + timedelta(seconds=1)
    assert deliver_due(now=after_lease).sent == 2  # the lease ran out: sent again
    release.set()
    first.join(timeout=30)

    assert lrs.posted_ids() == [ids, ids]  # at least once; the LRS keeps one copy
    assert set(XapiOutbox.objects.values_list("state", flat=True)) == {OutboxState.SENT}
