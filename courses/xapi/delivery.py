"""Delivery of the outbox to each force's own LRS: batches, retries with backoff, dead letters.

`deliver_due()` is one pass of the sender (run by `manage.py deliver_xapi`). For each enabled
connection with due entries it repeats, oldest entries first:

1. claim: in a short transaction, lock up to `batch_size` due PENDING rows with
   SKIP LOCKED and push their `next_attempt_at` forward by a lease, then commit, so another
   worker skips them. A worker killed while sending leaves rows that fall due again once the
   lease has passed: every statement is sent at least once, and the LRS treats a repeat of
   an identical statement as already stored;
2. send, outside any transaction: build the rows' statements from the ledger and POST them,
   at most `batch_size` statements a request, to `{endpoint}/statements`;
3. record the outcome of each row, leaving alone a row that stopped being PENDING meanwhile
   (an erasure cancelled it).

The LRS's answers:

- 200 or 204: sent;
- 409 (the LRS holds a statement with one of these ids in a different form, and stores
  nothing of the batch): the statements are sent again one by one; a single statement that
  still gets 409 counts as sent, with the LRS's answer kept, since an LRS never replaces a
  stored statement;
- 400, 413 or 422 for several statements: the batch is halved until the statements the LRS
  rejects are alone; each of those is a failure of its row, the rest is sent;
- any other answer, a timeout or no connection: a failure of the whole batch, and the
  connection is not tried again in this pass.

A failure adds one attempt and sets the next one XAPI_RETRY_BASE_SECONDS * 2^(attempts - 1)
seconds later, at most XAPI_RETRY_MAX_SECONDS, plus up to a tenth more so that many rows do
not return at the same moment; after XAPI_MAX_ATTEMPTS the row is DEAD until an
administrator retries it (courses.services.outbox_retry). A row whose learner was erased
has no statements any more and becomes CANCELLED. Nothing here raises for a problem of the
LRS: it is recorded on the rows.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from courses.models import LrsConnection, OutboxState, ProgressEvent, XapiOutbox
from courses.xapi.lrs_http import connection_test, hidden, resource_url, shorten
from courses.xapi.secrets import SecretUnavailable, connection_secret
from courses.xapi.statements import EVENT_FIELDS, statements

__all__ = ["DeliveryReport", "connection_test", "deliver_due", "retry_delay"]

SENT_STATUSES = (200, 204)
# Answers that may concern only some statements of a batch: send smaller batches to find them.
SPLIT_STATUSES = (400, 413, 422)
CONFLICT_NOTE = (
    "Counted as sent: the LRS already holds a different statement with this id and keeps its "
    "own. Its answer: "
)


@dataclass
class DeliveryReport:
    """What one pass did: rows sent, failed (to be tried again), dead (attempts used up),
    cancelled (learner erased), and the number of batches claimed."""

    sent: int = 0
    failed: int = 0
    dead: int = 0
    cancelled: int = 0
    batches: int = 0

    def __str__(self) -> str:
        return (
            f"{self.batches} batch(es): {self.sent} sent, {self.failed} to retry, "
            f"{self.dead} dead, {self.cancelled} cancelled"
        )


@dataclass(frozen=True)
class Failure:
    """Why a statement was not stored: the LRS's status (None: no answer) and its answer."""

    status: int | None
    answer: str


@dataclass(frozen=True)
class Sent:
    """The LRS stored the statement, or already held it as it is (200 or 204)."""

    status: int


@dataclass(frozen=True)
class Conflict:
    """The LRS holds a different statement with this id (409): counted as sent."""

    answer: str


Outcome = Sent | Conflict | Failure


def deliver_due(*, now: datetime | None = None, max_batches: int | None = None, stop=None):
    """Send every due PENDING row of every enabled connection and return a DeliveryReport.

    `now` fixes the clock of the pass (which rows are due, the lease, the backoff);
    `max_batches` stops after that many batches; `stop` (anything with `is_set()`, such as
    a threading.Event) is checked between batches, so a worker asked to stop finishes the
    batch it is sending. Connections take turns, one batch each, so a long backlog of one
    force does not hold up the others.
    """
    now = now or timezone.now()
    report = DeliveryReport()
    due = XapiOutbox.objects.filter(
        connection=OuterRef("pk"), state=OutboxState.PENDING, next_attempt_at__lte=now
    )
    senders = [
        _Sender(connection, now)
        for connection in LrsConnection.objects.filter(enabled=True)
        .filter(Exists(due))
        .select_related("force")
        .order_by("pk")
    ]
    while senders:
        for sender in list(senders):
            if _stopping(report, max_batches, stop):
                return report
            if not sender.send_batch(report):
                senders.remove(sender)
    return report


def _stopping(report: DeliveryReport, max_batches: int | None, stop) -> bool:
    if max_batches is not None and report.batches >= max_batches:
        return True
    return stop is not None and stop.is_set()


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure, before jitter."""
    seconds = settings.XAPI_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(settings.XAPI_RETRY_MAX_SECONDS, seconds))


def lease() -> timedelta:
    """How long a claimed row stays with the worker that claimed it."""
    return timedelta(seconds=settings.XAPI_TIMEOUT_SECONDS * 3)


class _Sender:
    """One connection's part of a pass: its secret, an HTTP session, and whether its LRS has
    failed (then it is not tried again in this pass)."""

    def __init__(self, connection: LrsConnection, now: datetime):
        self.connection = connection
        self.now = now
        self.session = requests.Session()
        self.down: Failure | None = None
        self.secret = ""
        try:
            self.secret = connection_secret(connection)
        except SecretUnavailable as error:
            self.down = Failure(None, str(error))

    def send_batch(self, report: DeliveryReport) -> bool:
        """Claim, send and record one batch; False when nothing more should be sent in this
        pass (no due row left, or the LRS failed)."""
        rows = self._claim()
        if not rows:
            return False
        report.batches += 1
        by_row = self._statements(rows)
        outcomes = self._send([s for row in rows for s in by_row[row.pk]])
        _record(rows, by_row, outcomes, self.now, report, hidden(self.connection, self.secret))
        return self.down is None

    def _claim(self) -> list[XapiOutbox]:
        with transaction.atomic():
            rows = list(
                XapiOutbox.objects.select_for_update(skip_locked=True)
                .filter(
                    connection=self.connection,
                    state=OutboxState.PENDING,
                    next_attempt_at__lte=self.now,
                )
                .order_by("pk")
                .only("pk", "event_id", "attempts")[: self.connection.batch_size]
            )
            XapiOutbox.objects.filter(pk__in=[row.pk for row in rows]).update(
                next_attempt_at=self.now + lease()
            )
        return rows

    def _statements(self, rows: list[XapiOutbox]) -> dict[int, list[dict]]:
        """Each row's statements (none for an erased learner), in the rows' order."""
        events = ProgressEvent.objects.filter(pk__in=[row.event_id for row in rows]).only(
            *EVENT_FIELDS
        )
        events = {event.pk: event for event in events}
        built = statements(
            [events[row.event_id] for row in rows if row.event_id in events],
            version=self.connection.xapi_version,
            actor_format=self.connection.actor_format,
            for_lrs=True,
        )
        by_id = {statement["id"]: statement for statement in built}
        result = {}
        for row in rows:
            event = events.get(row.event_id)
            ids = [] if event is None else [str(event.pk), str(event.module_statement_id or "")]
            result[row.pk] = [by_id[i] for i in ids if i in by_id]
        return result

    def _send(self, batch: list[dict]) -> dict[str, Outcome]:
        """The outcome of each statement by id, in requests of at most batch_size."""
        outcomes = {}
        size = self.connection.batch_size
        for start in range(0, len(batch), size):
            outcomes |= self._deliver(batch[start : start + size])
        return outcomes

    def _deliver(self, batch: Sequence[dict]) -> dict[str, Outcome]:
        ids = [statement["id"] for statement in batch]
        if not batch:
            return {}
        if self.down is not None:
            return dict.fromkeys(ids, self.down)
        status, answer = self._post(batch)
        if status in SENT_STATUSES:
            return dict.fromkeys(ids, Sent(status))
        if status == 409:
            if len(batch) == 1:
                return {ids[0]: Conflict(answer)}
            return {k: v for statement in batch for k, v in self._deliver([statement]).items()}
        if status in SPLIT_STATUSES:
            if len(batch) == 1:
                return {ids[0]: Failure(status, answer)}
            half = len(batch) // 2
            return self._deliver(batch[:half]) | self._deliver(batch[half:])
        self.down = Failure(status, answer)
        return dict.fromkeys(ids, self.down)

    def _post(self, batch: Sequence[dict]) -> tuple[int | None, str]:
        """POST the statements; (status, answer), or (None, why there was no answer)."""
        try:
            response = self.session.post(
                resource_url(self.connection, "statements"),
                json=list(batch),
                headers={"X-Experience-API-Version": self.connection.xapi_version},
                auth=(self.connection.username, self.secret),
                timeout=settings.XAPI_TIMEOUT_SECONDS,
                allow_redirects=False,
            )
        except requests.Timeout:
            return None, f"No answer from the LRS within {settings.XAPI_TIMEOUT_SECONDS} seconds."
        except requests.RequestException as error:
            return None, f"Could not reach the LRS: {error}"
        answer = response.text
        if 300 <= response.status_code < 400:
            where = response.headers.get("Location", "another address")
            answer = f"The LRS redirects to {where}: correct the endpoint. {answer}"
        return response.status_code, answer


def _record(rows, by_row, outcomes, now, report: DeliveryReport, secrets) -> None:
    """Write each row's outcome (one locking read and one UPDATE), for rows still PENDING."""
    jitter = random.uniform(0, 0.1)  # noqa: S311 - spreading retries, not a secret
    with transaction.atomic():
        pending = set(
            XapiOutbox.objects.select_for_update()
            .filter(pk__in=[row.pk for row in rows], state=OutboxState.PENDING)
            .values_list("pk", flat=True)
        )
        changed = []
        for row in rows:
            if row.pk not in pending:
                continue
            row_outcomes = [outcomes[s["id"]] for s in by_row[row.pk]]
            _apply(row, row_outcomes, now, jitter, report, secrets)
            changed.append(row)
        XapiOutbox.objects.bulk_update(
            changed,
            ["state", "attempts", "next_attempt_at", "last_status", "last_answer", "sent_at"],
        )


def _apply(row: XapiOutbox, outcomes: list, now, jitter: float, report, secrets) -> None:
    """Set the row's fields from the outcomes of its statements."""
    failures = [outcome for outcome in outcomes if isinstance(outcome, Failure)]
    if not outcomes:
        row.state = OutboxState.CANCELLED
        row.last_status, row.sent_at = None, None
        row.last_answer = "Not sent: the learner's data was erased."
        row.next_attempt_at = now
        report.cancelled += 1
        return
    if not failures:
        conflicts = [outcome for outcome in outcomes if isinstance(outcome, Conflict)]
        row.state = OutboxState.SENT
        row.sent_at = now
        row.next_attempt_at = now
        if conflicts:
            row.last_status = 409
            row.last_answer = shorten(CONFLICT_NOTE + conflicts[0].answer, *secrets)
        else:
            row.last_status, row.last_answer = outcomes[-1].status, ""
        report.sent += 1
        return
    failure = failures[0]
    row.attempts += 1
    row.last_status = failure.status
    row.last_answer = shorten(failure.answer, *secrets)
    row.sent_at = None
    if row.attempts >= settings.XAPI_MAX_ATTEMPTS:
        row.state = OutboxState.DEAD
        row.next_attempt_at = now
        report.dead += 1
        return
    row.state = OutboxState.PENDING
    row.next_attempt_at = now + retry_delay(row.attempts) * (1 + jitter)
    report.failed += 1
