"""Recording progress: the one implementation of the progress rules, through the ORM.

Every event, single or in a batch, goes through `_record_all()` in one transaction:

1. lock the learner's module rows for the events' modules (`select_for_update()`, created by
   `get_or_create()` when missing), in module order, so concurrent requests for one learner
   and module queue and see each other's committed rows, and batches cannot deadlock;
2. read which event ids are already in the ledger: a known id is a replay (200, nothing
   written) or, with a different body, a conflict (409);
3. validate and score each new event (courses.progress.rules), append it to the ledger and
   fold it into the lesson, knowledge-check and module rows. Status never goes backwards;
   completion (time, module revision, certificate code) happens once;
4. add what changed in the module rows to the (force, module) totals in ForceModuleSummary
   (courses.progress.totals), once per module, after every event is applied; their rows
   are locked last and in (force, module) order, so concurrent batches queue, not deadlock;
5. when the learner's force delivers to its own LRS, queue the new events in its outbox
   (courses.xapi.outbox); the statements are sent later, outside the learner's request.

An insert race on an event id (the same id sent to two modules at once) ends in
IntegrityError; the transaction rolls back and runs once more, when the id is a replay.
"""

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.blocks import CheckOutcome
from courses.models import (
    KnowledgeCheckResult,
    LearnerProfile,
    LessonPage,
    LessonProgress,
    ModuleProgress,
    ProgressEvent,
    ProgressStatus,
    Verb,
)
from courses.progress import rules, totals
from courses.progress.lessons import LessonStructure, lesson_structures
from courses.xapi import iris, outbox


@dataclass(frozen=True)
class ProgressResult:
    event: ProgressEvent
    created: bool  # False for a replay of the same id and body
    module_progress: ModuleProgress  # the learner's row for the lesson's module, after the update
    # For verb "answered": the server's scoring, with the learner's answers to that check so
    # far (`attempts`, counted here, never sent by the device).
    outcome: CheckOutcome | None
    finished_module: bool = False  # this event completed the module (never a replay)


@dataclass(frozen=True)
class _Item:
    """One event as sent, with its lesson's place in the course and its body's hash."""

    event_id: uuid.UUID
    lesson: LessonStructure
    verb: str
    result: dict | None
    occurred_at: datetime | None
    body_hash: str


def progress_record(
    *,
    learner,
    event_id: uuid.UUID,
    lesson: LessonPage | int,
    verb: str,
    result: dict | None = None,
    occurred_at: datetime | None = None,
) -> ProgressResult:
    """Record one learner event and update the lesson and module aggregates.

    `lesson` is a LessonPage or its id; a translation (or alias) of a lesson is recorded
    against its source, the default-locale lesson (lesson_structures). Guarantees: one
    transaction; idempotent (the same id and body returns the original event with
    created=False and writes nothing); the same id with a different body raises
    ProgressConflict; bad input raises ProgressRejected and writes nothing; aggregates never
    move backwards and completion (completed_at, certificate) happens once, at the server's
    time. Safe under concurrent requests (the module row is locked).
    Queries for a new event on a known module row: the content token, the module row lock,
    the ledger lookup, the event, the lesson rows and their update, the module row update,
    and the (force, module) totals update when the module's status or score changed (plus two
    for an answer: the check results and their update; plus two for the first row counted in
    a (force, module): the totals row's insert and a second update).
    """
    event = {"event_id": event_id, "lesson": lesson, "verb": verb, "result": result}
    [recorded] = _record_all(learner, [{**event, "occurred_at": occurred_at}], batch=False)
    return recorded


def progress_record_many(*, learner, events: list[dict]) -> list[ProgressResult]:
    """Record a batch (offline catch-up) of up to 100 events, all or nothing.

    Each item takes progress_record()'s keyword arguments except `learner`. Events are applied
    in order, with progress_record()'s guarantees each. A rejection carries the failing
    event's `index`; any error rolls back the batch. Queries grow with the number of events
    (about five a new event), never with the data.
    """
    if not events:
        raise rules.ProgressRejected("Send at least one event.")
    if len(events) > rules.PROGRESS_BATCH_MAX:
        raise rules.ProgressRejected(f"Send at most {rules.PROGRESS_BATCH_MAX} events at a time.")
    return _record_all(learner, events, batch=True)


def _record_all(learner, events: list[dict], *, batch: bool) -> list[ProgressResult]:
    profile = rules.learner_profile(learner)
    items = _items(learner, events, batch)
    try:
        with transaction.atomic():
            return _write(learner, profile, items, batch)
    except IntegrityError:
        # A concurrent request inserted one of these event ids first: it is a replay now.
        with transaction.atomic():
            return _write(learner, profile, items, batch)


def _items(learner, events: list[dict], batch: bool) -> list[_Item]:
    """The events with their lessons' structure (one cache read); refuses an unknown lesson
    or a malformed id, naming the event's position in a batch."""
    ids = [getattr(event["lesson"], "pk", event["lesson"]) for event in events]
    found = lesson_structures(lesson_ids=ids)
    items = []
    for index, (event, lesson_id) in enumerate(zip(events, ids, strict=True)):
        where = index if batch else None
        if lesson_id not in found:
            raise rules.rejected(where, {"lesson": [f"There is no lesson {lesson_id}."]})
        try:
            event_id = rules.check_event_id(event["event_id"])
        except rules.ProgressRejected as error:
            raise rules.rejected(where, error.message_dict) from None
        verb, result, occurred_at = event["verb"], event.get("result"), event.get("occurred_at")
        # A translation's event is its source lesson's (lesson_structures), so the same event
        # sent from either language's page is a replay, not a conflict.
        lesson = found[lesson_id]
        body_hash = rules.body_hash(learner, event_id, lesson.lesson_id, verb, result, occurred_at)
        items.append(_Item(event_id, lesson, verb, result, occurred_at, body_hash))
    return items


def _write(learner, profile, items: list[_Item], batch: bool) -> list[ProgressResult]:
    now = timezone.now()
    rows = _lock_module_rows(learner, profile, items)
    before = {module_id: totals.RowState.of(row) for module_id, row in rows.items()}
    recorded = ProgressEvent.objects.in_bulk([item.event_id for item in items])
    results = []
    for index, item in enumerate(items):
        existing = recorded.get(item.event_id)
        if existing is not None:
            results.append(_replay(existing, item, learner, rows))
            continue
        try:
            event, outcome = _new_event(learner, profile, item, now)
        except rules.ProgressRejected as error:
            error.index = index if batch else None
            raise
        event.save(force_insert=True)  # recorded_at: the server's time (auto_now_add)
        recorded[event.pk] = event
        row = rows[item.lesson.module_id]
        was_complete = row.completed_at is not None
        row, attempts = _apply(learner, item.lesson, row, event, outcome)
        if outcome is not None:
            outcome = dataclasses.replace(outcome, attempts=attempts)
        finished = not was_complete and row.completed_at is not None
        if finished:  # the module's own xAPI statement: its id and the score it states
            event.module_statement_id = iris.module_statement_id(event.pk)
            event.module_score = row.score
            event.save(update_fields=["module_statement_id", "module_score"])
        results.append(ProgressResult(event, True, row, outcome, finished))
    totals.totals_update(
        (before[module_id], totals.RowState.of(row)) for module_id, row in rows.items()
    )
    _queue_for_lrs(profile, [result.event for result in results if result.created])
    return results


def _queue_for_lrs(profile, events: list[ProgressEvent]) -> None:
    """Queue new events for the force's LRS, in this transaction (nothing is sent here)."""
    if not events:
        return
    connection_id = outbox.outbox_connection_id(profile.force_id)
    if connection_id is not None:
        outbox.outbox_add(connection_id=connection_id, events=events)


def _lock_module_rows(learner, profile, items: list[_Item]) -> dict[int, ModuleProgress]:
    """Create and lock the learner's module rows for the events' available lessons, in module
    order, so that two batches for one learner cannot deadlock."""
    module_ids = sorted({item.lesson.module_id for item in items if item.lesson.available})
    locked = ModuleProgress.objects.select_for_update()
    rows = {}
    for module_id in module_ids:
        rows[module_id], _ = locked.get_or_create(
            learner=learner, module_id=module_id, defaults={"force_id": profile.force_id}
        )
    return rows


def _new_event(learner, profile: LearnerProfile, item: _Item, now: datetime):
    """Validate and score a new event, and build its ledger row (reads nothing)."""
    occurred_at = rules.check_occurred_at(item.occurred_at, now, learner)
    rules.check_event(item.lesson, item.verb, item.result)
    outcome = rules.score(item.lesson, item.result) if item.verb == Verb.ANSWERED else None
    event = ProgressEvent(
        id=item.event_id,
        learner=learner,
        force_id=profile.force_id,
        module_id=item.lesson.module_id,
        lesson_id=item.lesson.lesson_id,
        verb=item.verb,
        result=rules.stored_result(item.result, outcome),
        body_hash=item.body_hash,
        occurred_at=occurred_at,
    )
    return event, outcome


def _replay(existing: ProgressEvent, item: _Item, learner, rows) -> ProgressResult:
    """The answer to an event id already recorded: the original event, with the learner's row
    for its module as it stands, and the scoring of an answer with the learner's answers to
    that check so far (one query more, for an answer)."""
    if existing.body_hash != item.body_hash:
        raise rules.ProgressConflict(existing.pk)
    row = rows.get(existing.module_id)
    if row is None:
        row = ModuleProgress.objects.get(learner=learner, module_id=existing.module_id)
    outcome = None
    if existing.verb == Verb.ANSWERED:
        try:
            outcome = rules.score(item.lesson, existing.result)
        except rules.ProgressRejected:  # the question has changed since
            outcome = None
        if outcome is not None:
            attempts = KnowledgeCheckResult.objects.filter(
                learner=learner, lesson_id=existing.lesson_id, block_id=existing.result["block_id"]
            ).values_list("attempts", flat=True)
            outcome = dataclasses.replace(outcome, attempts=attempts.first() or 0)
    return ProgressResult(existing, False, row, outcome)


def _apply(learner, lesson: LessonStructure, row: ModuleProgress, event, outcome):
    """Fold one new event into the aggregates, under the lock on the module row `row`, which
    is updated in place. Returns it, and for an answer the learner's answers to that check so
    far (else 0). Times in the aggregates are the server's: the event's recorded_at, never
    the device's occurred_at, so a learner cannot backdate a completion."""
    now = event.recorded_at
    best, attempts = _check_results(learner, lesson, event, outcome, now)
    lessons = {
        found.lesson_id: found
        for found in LessonProgress.objects.filter(
            learner=learner, lesson_id__in=lesson.live_lesson_ids | {lesson.lesson_id}
        )
    }
    lesson_score = None
    lesson_checks = [check for check in lesson.checks if check[0] == lesson.lesson_id]
    if outcome is not None and lesson_checks:
        lesson_score = rules.mean(best.get(check, 0) for check in lesson_checks)
    completed = event.verb == Verb.COMPLETED
    lessons[lesson.lesson_id] = _lesson_row(
        lessons.get(lesson.lesson_id), learner, lesson, event, completed, lesson_score, now
    )
    done = sum(
        1
        for lesson_id in lesson.live_lesson_ids
        if lesson_id in lessons and lessons[lesson_id].status == ProgressStatus.COMPLETED
    )
    total = len(lesson.live_lesson_ids)
    # No score until the learner has answered a check: reports average real attempts only.
    score = rules.mean(best.get(check, 0) for check in lesson.checks) if best else None
    passed = not lesson.checks or (score is not None and score >= lesson.pass_mark)
    finishing = row.completed_at is None and total and done == total and passed
    new_status = ProgressStatus.COMPLETED if finishing else ProgressStatus.IN_PROGRESS
    row.status = max(row.status, new_status)
    row.started_at = row.started_at or now
    row.lessons_completed, row.lessons_total, row.score = done, total, score
    fields = ["status", "started_at", "lessons_completed", "lessons_total", "score", "updated_at"]
    if finishing:  # once: the time, the module revision completed, and the certificate
        row.completed_at, row.completed_revision_id = now, lesson.module_revision_id
        row.certificate_code = rules.certificate_code()
        fields += ["completed_at", "completed_revision", "certificate_code"]
    row.save(update_fields=fields)
    return row, attempts


def _check_results(learner, lesson: LessonStructure, event, outcome, now) -> tuple[dict, int]:
    """Record an answer's score (best kept, attempts counted: one per answered event in the
    ledger), and return the learner's best score per (lesson id, block id) in the module with
    the answered check's attempts (0 for another verb); nothing is read for a module without
    knowledge checks."""
    if not lesson.checks:
        return {}, 0
    found = {
        (result.lesson_id, result.block_id): result
        for result in KnowledgeCheckResult.objects.filter(
            learner=learner, module_id=lesson.module_id
        )
    }
    attempts = 0
    if outcome is not None:
        key = (lesson.lesson_id, event.result["block_id"])
        result = found.get(key)
        if result is None:
            found[key] = KnowledgeCheckResult.objects.create(
                learner=learner,
                lesson_id=lesson.lesson_id,
                module_id=lesson.module_id,
                block_id=key[1],
                best_score=outcome.score,
                last_score=outcome.score,
                attempts=1,
            )
        else:
            result.best_score = max(result.best_score, outcome.score)
            result.last_score, result.attempts = outcome.score, result.attempts + 1
            result.save(update_fields=["best_score", "last_score", "attempts", "updated_at"])
        attempts = found[key].attempts
    return {key: result.best_score for key, result in found.items()}, attempts


def _lesson_row(row, learner, lesson, event, completed: bool, score, now) -> LessonProgress:
    """Create or move forward the learner's row for the event's lesson (one write, none when
    the event changes nothing)."""
    status = ProgressStatus.COMPLETED if completed else ProgressStatus.IN_PROGRESS
    if row is None:
        return LessonProgress.objects.create(
            learner=learner,
            lesson_id=lesson.lesson_id,
            module_id=lesson.module_id,
            force_id=event.force_id,
            status=status,
            score=score,
            started_at=now,
            completed_at=now if completed else None,
        )
    before = (row.status, row.score, row.started_at, row.completed_at)
    row.status = max(row.status, status)
    row.score = score if score is not None else row.score
    row.started_at = row.started_at or now
    row.completed_at = row.completed_at or (now if completed else None)
    if (row.status, row.score, row.started_at, row.completed_at) != before:
        row.save(update_fields=["status", "score", "started_at", "completed_at", "updated_at"])
    return row
