"""All writes go through here: keyword-only, typed, `<entity>_<action>` names.

Sections are owned by different parts of the product; keep each one's code inside it.
"""

import contextlib
import hashlib
import json
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from courses import audit, privacy, structure
from courses.blocks import CheckOutcome
from courses.models import (
    ApiAccessLog,
    ApiKey,
    AuditAction,
    ErasedEmail,
    Force,
    ForceModuleSummary,
    KnowledgeCheckResult,
    LearnerProfile,
    LessonPage,
    LessonProgress,
    ModuleProgress,
    ProgressEvent,
    ProgressStatus,
    Reflection,
    Verb,
)
from courses.randomness import random_digits
from courses.rawsql import prepared_cursor, row_loader

# --- Progress ---------------------------------------------------------------------------------

PROGRESS_FUTURE_TOLERANCE = timedelta(minutes=5)
PROGRESS_BATCH_MAX = 100
# The ledger is append-only and kept for years: a result is a few fields, not a document.
PROGRESS_RESULT_MAX_CHARS = 4096
# No 0/O, 1/I/L: codes are read aloud and typed from printed certificates.
CERTIFICATE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class ProgressConflict(Exception):
    """The event id was already used for a different event (API 409)."""

    def __init__(self, event_id: uuid.UUID):
        self.event_id = event_id
        super().__init__(
            f"Event {event_id} was already recorded with different details. "
            "Send a new id for a new event."
        )


class ProgressRejected(ValidationError):
    """Bad input for progress_record (API 400 with field errors). Nothing was written.

    `index` is the position of the offending event in a progress_record_many() batch.
    """

    index: int | None = None


class NotALearner(PermissionDenied):
    """The user has no learner profile, so there is no force to record progress against."""

    message = (
        "Only learners can record progress: your account is not linked to a police force. "
        "Ask your force's training team to add you."
    )

    def __init__(self):
        super().__init__(self.message)


class _ContentChanged(Exception):
    """The content token a kept copy of the course was read at is no longer current."""


# A token not to check: the copy of the course was read, with the token, in this call.
_UNCHECKED = object()


@dataclass(frozen=True)
class ProgressResult:
    event: ProgressEvent
    created: bool  # False for a replay of the same id and body
    module_progress: ModuleProgress  # the learner's row for the lesson's module, after the update
    outcome: CheckOutcome | None  # for verb "answered": the server's scoring


@dataclass(frozen=True)
class _Write:
    """One validated event, ready to be written: its ledger row, its lesson's place in the
    course, and the server's scoring of an answer."""

    event: ProgressEvent
    lesson: structure.LessonStructure
    outcome: CheckOutcome | None


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

    `lesson` is a LessonPage or its id. Guarantees: one transaction; idempotent (the same id
    and body returns the original event with created=False and writes nothing); the same id
    with a different body raises ProgressConflict; bad input raises ProgressRejected and writes
    nothing; aggregates never move backwards and completion (completed_at, certificate) happens
    once. Safe under concurrent requests: the learner's module row is locked while aggregates
    are recomputed.
    """
    profile = _learner_profile(learner)
    event = {"event_id": event_id, "verb": verb, "result": result, "occurred_at": occurred_at}
    if _in_one_call():
        # This process's copy of the lesson's module, as last read (no query): the write checks
        # that the content is unchanged since, in the same round trip. If it has changed, or
        # the copy refuses the event, nothing was written: read the module again, and record
        # (or refuse) as below.
        kept = structure.kept([getattr(lesson, "pk", lesson)])
        if kept is not None:
            [(lesson_structure, token)] = kept
            with contextlib.suppress(_ContentChanged, ProgressRejected):
                return _record(
                    learner=learner, profile=profile, lesson=lesson_structure, token=token, **event
                )
    [lesson_structure] = _lesson_structures([lesson])
    # On PostgreSQL the write is one statement, a transaction by itself (_write_in_one_call).
    with contextlib.nullcontext() if _in_one_call() else transaction.atomic():
        return _record(learner=learner, profile=profile, lesson=lesson_structure, **event)


def progress_record_many(*, learner, events: list[dict]) -> list[ProgressResult]:
    """Record a batch (offline catch-up) of up to 100 events, all or nothing.

    Each item takes progress_record()'s keyword arguments except `learner`. Events are applied
    in order. A rejection carries the failing event's `index`; any error rolls back the batch.
    """
    profile = _learner_profile(learner)
    if not events:
        raise ProgressRejected("Send at least one event.")
    if len(events) > PROGRESS_BATCH_MAX:
        raise ProgressRejected(f"Send at most {PROGRESS_BATCH_MAX} events at a time.")
    ids = [getattr(event["lesson"], "pk", event["lesson"]) for event in events]
    if _in_one_call() and _statements_together():
        # As for one event: this process's copy of the lessons' modules, as last read (no
        # query), if it has them all at one token, which the write checks. If the content has
        # changed since, or the copy refuses an event, nothing was written: read them again.
        kept = structure.kept(ids)
        if kept is not None and len({token for _, token in kept}) == 1:
            with contextlib.suppress(_ContentChanged):
                lessons = [read for read, _ in kept]
                results = _batch_in_one_call(learner, profile, events, lessons, kept[0][1])
                if results is not None:
                    return results
        structures = _lesson_structures(ids)
        results = _batch_in_one_call(learner, profile, events, structures)
        if results is not None:
            return results
    else:
        structures = _lesson_structures(ids)
    # Statement by statement: SQLite, and a batch with an event to refuse (or to answer as a
    # replay of one recorded before), each found in order, as a single post would be.
    results = []
    with transaction.atomic():
        _lock_module_rows(learner, profile, structures)
        for index, (event, lesson) in enumerate(zip(events, structures, strict=True)):
            try:
                results.append(
                    _record(learner=learner, profile=profile, **{**event, "lesson": lesson})
                )
            except ProgressRejected as error:
                error.index = index
                raise
    return results


def _batch_in_one_call(
    learner,
    profile: LearnerProfile,
    events: list[dict],
    lessons: list[structure.LessonStructure],
    token: str | None | object = _UNCHECKED,
) -> list[ProgressResult] | None:
    """PostgreSQL: check and score every event of a batch, reading nothing, then write them
    all in one transaction and one round trip (_write_batch_in_one_call). None, having
    written nothing, as soon as an event is refused: it may be a replay of one recorded
    earlier (in the ledger, or in this batch), which only the step-by-step path, writing in
    order, answers as before."""
    now = timezone.now()
    try:
        writes = [
            _prepare(
                learner,
                profile,
                lesson,
                now,
                event["event_id"],
                event["verb"],
                event.get("result"),
                event.get("occurred_at"),
            )
            for event, lesson in zip(events, lessons, strict=True)
        ]
    except ProgressRejected:
        return None
    with transaction.atomic():
        return _write_batch_in_one_call(learner, profile, writes, token)


def _write_batch_in_one_call(
    learner, profile: LearnerProfile, writes: list[_Write], token: str | None | object = _UNCHECKED
) -> list[ProgressResult]:
    """PostgreSQL: a whole batch in one round trip, inside the caller's transaction. The
    statements are those of the step-by-step path, sent together: lock the module rows and
    their (force, module) totals in a fixed order (_lock_statements), then record each event
    through courses_progress_record(), in order. Each statement sees the ones before it.

    `token`, unless _UNCHECKED, is the content token the lessons were read at: every call
    checks it, and if the content has changed since, this raises _ContentChanged for the
    caller's transaction to roll back (the locking statements are all it would undo)."""
    module_ids = sorted({write.lesson.module_id for write in writes if write.lesson.available})
    statements = _lock_statements(learner, profile, module_ids)
    locks = len(statements)
    statements += [_record_call(write, token) for write in writes]
    answers = _execute_together(statements)
    # The learner's module rows as each event leaves them, starting from the locked rows: a
    # replay answers with its module's row at its place in the batch, as a single post would.
    module_row = row_loader(ModuleProgress, connection.alias)
    module_rows = {}
    if locks:
        locked = (module_row.load(row) for row in answers[_LOCKED_MODULE_ROWS])
        module_rows = {row.module_id: row for row in locked}
    results = []
    for write, rows in zip(writes, answers[locks:], strict=True):
        module_progress = _module_row_after(rows)
        if module_progress is None:
            existing = ProgressEvent.objects.get(pk=write.event.pk)
            results.append(
                _replay(
                    existing, write.event.body_hash, learner, module_rows.get(existing.module_id)
                )
            )
        else:
            module_rows[module_progress.module_id] = module_progress
            results.append(ProgressResult(write.event, True, module_progress, write.outcome))
    return results


def _statements_together() -> bool:
    """Whether one execute() may carry several statements: psycopg's client-side binding
    (Django's default) sends them in one simple query; server-side binding cannot."""
    return not connection.settings_dict.get("OPTIONS", {}).get("server_side_binding")


def _execute_together(statements: list[tuple[str, list]]) -> list[list[tuple] | None]:
    """Run several statements in one round trip (PostgreSQL, client-side binding). Returns
    each one's rows, or None for a statement that returns none. The first error stops the
    rest and is raised; the caller's transaction then rolls back."""
    adapt = connection.ops.adapt_unknown_value
    sql = ";\n".join(statement for statement, _ in statements)
    params = [adapt(value) for _, values in statements for value in values]
    answers = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while True:
            answers.append(cursor.fetchall() if cursor.description else None)
            if not cursor.nextset():
                break
    return answers


# The statement of _lock_statements() that returns the locked module rows.
_LOCKED_MODULE_ROWS = 1


def _lock_statements(learner, profile: LearnerProfile, module_ids: list[int]) -> list[tuple]:
    """_lock_module_rows() as statements for _execute_together(): create the learner's module
    rows for these modules, lock them in module order (returning them), then create and lock
    their (force, module) totals rows in (force, module) order."""
    if not module_ids:
        return []
    summary = ForceModuleSummary._meta.db_table
    columns = row_loader(ModuleProgress, connection.alias).columns
    mine = "learner_id = %s AND module_id = ANY(%s::integer[])"
    return [
        (
            f"""
            INSERT INTO {_MODULE} (learner_id, module_id, force_id, status, lessons_completed,
                                   lessons_total, updated_at)
            SELECT %s, m, %s, 0, 0, 0, %s FROM unnest(%s::integer[]) AS m ORDER BY m
            ON CONFLICT (learner_id, module_id) DO NOTHING
            """,  # noqa: S608 - table names from model metadata; values are parameters
            [learner.pk, profile.force_id, timezone.now(), module_ids],
        ),
        (
            f"SELECT {columns} FROM {_MODULE} WHERE {mine} ORDER BY module_id FOR UPDATE",  # noqa: S608
            [learner.pk, module_ids],
        ),
        (
            f"""
            INSERT INTO {summary} (force_id, module_id, in_progress, completed, scored,
                                   score_total)
            SELECT DISTINCT force_id, module_id, 0, 0, 0, 0 FROM {_MODULE}
            WHERE {mine} AND force_id IS NOT NULL ORDER BY force_id, module_id
            ON CONFLICT (force_id, module_id) DO NOTHING
            """,  # noqa: S608
            [learner.pk, module_ids],
        ),
        (
            f"""
            SELECT s.id FROM {summary} s
            JOIN {_MODULE} m ON m.force_id = s.force_id AND m.module_id = s.module_id
            WHERE m.learner_id = %s AND m.module_id = ANY(%s::integer[])
            ORDER BY s.force_id, s.module_id FOR UPDATE OF s
            """,  # noqa: S608
            [learner.pk, module_ids],
        ),
    ]


def _learner_profile(learner) -> LearnerProfile:
    try:
        return learner.learner_profile
    except (LearnerProfile.DoesNotExist, AttributeError):
        raise NotALearner() from None


def _lesson_structures(lessons: list[LessonPage | int]) -> list[structure.LessonStructure]:
    """Each lesson's place in the course (cached per process, see courses.structure), in order.
    Refuses the first id that is not a lesson page."""
    ids = [getattr(lesson, "pk", lesson) for lesson in lessons]
    found = structure.lessons(set(ids))
    for index, lesson_id in enumerate(ids):
        if lesson_id not in found:
            error = ProgressRejected({"lesson": [f"There is no lesson {lesson_id}."]})
            error.index = index
            raise error
    return [found[lesson_id] for lesson_id in ids]


def _record(
    *,
    learner,
    profile: LearnerProfile,
    event_id: uuid.UUID,
    lesson: structure.LessonStructure,
    verb: str,
    result: dict | None = None,
    occurred_at: datetime | None = None,
    token: str | None | object = _UNCHECKED,
) -> ProgressResult:
    """Validate, score and write one event. `token`, when given, is the content token `lesson`
    was read at, not checked yet (it may be None: no content change recorded yet): the write
    checks it (PostgreSQL only) and raises _ContentChanged, having written nothing, if the
    content has changed since."""
    event_id = _check_event_id(event_id)
    now = timezone.now()
    try:
        write = _prepare(learner, profile, lesson, now, event_id, verb, result, occurred_at)
    except ProgressRejected:
        # A retry always gets the original answer, even if the lesson has since been
        # unpublished or its question changed: replays are answered before validation.
        existing = ProgressEvent.objects.filter(pk=event_id).first()
        if existing is None:
            raise
        body_hash = _body_hash(learner, event_id, lesson.lesson_id, verb, result, occurred_at)
        return _replay(existing, body_hash, learner)
    if _in_one_call():
        module_progress = _write_in_one_call(write, token)
    else:
        module_progress = _write_in_steps(learner, profile, write, now)
    return _written(write, module_progress, learner)


def _prepare(
    learner,
    profile: LearnerProfile,
    lesson: structure.LessonStructure,
    now: datetime,
    event_id,
    verb: str,
    result: dict | None,
    occurred_at: datetime | None,
) -> _Write:
    """Check and score one event and build its ledger row, reading nothing. Raises
    ProgressRejected for bad input."""
    event_id = _check_event_id(event_id)
    body_hash = _body_hash(learner, event_id, lesson.lesson_id, verb, result, occurred_at)
    occurred_at = _check_occurred_at(occurred_at, now)
    _check_event(lesson, verb, result)
    outcome = _score(lesson, result) if verb == Verb.ANSWERED else None
    if outcome is not None:
        stored_result = {
            "block_id": result["block_id"],
            "answers": list(outcome.selected),
            "score": outcome.score,
        }
    else:
        stored_result = result or {}
    event = ProgressEvent(
        id=event_id,
        learner=learner,
        force_id=profile.force_id,
        module_id=lesson.module_id,
        lesson_id=lesson.lesson_id,
        verb=verb,
        result=stored_result,
        body_hash=body_hash,
        occurred_at=occurred_at,
        recorded_at=now,
    )
    return _Write(event, lesson, outcome)


def _written(write: _Write, module_progress: ModuleProgress | None, learner) -> ProgressResult:
    """The result of a write: `module_progress` is None when the event id was recorded before,
    or by a concurrent request that has now committed, and then the replay answers."""
    if module_progress is None:
        return _replay(ProgressEvent.objects.get(pk=write.event.pk), write.event.body_hash, learner)
    return ProgressResult(write.event, True, module_progress, write.outcome)


def _replay(
    existing: ProgressEvent, body_hash: str, learner, module_progress: ModuleProgress | None = None
) -> ProgressResult:
    """The answer to an event id already recorded: the original event, with the learner's row
    for its module (`module_progress` when the caller has it) and the scoring of an answer."""
    if existing.body_hash != body_hash:
        raise ProgressConflict(existing.pk)
    if module_progress is None:
        module_progress = ModuleProgress.objects.get(learner=learner, module_id=existing.module_id)
    outcome = None
    if existing.verb == Verb.ANSWERED:
        lesson = structure.lessons([existing.lesson_id]).get(existing.lesson_id)
        with contextlib.suppress(ProgressRejected):
            outcome = _score(lesson, existing.result) if lesson else None
    return ProgressResult(existing, False, module_progress, outcome)


def _body_hash(learner, event_id, lesson_id, verb, result, occurred_at) -> str:
    """SHA-256 of the event as sent (not as defaulted), so a retry hashes the same."""
    if isinstance(occurred_at, datetime) and timezone.is_aware(occurred_at):
        occurred_at = occurred_at.astimezone(UTC)
    canonical = json.dumps(
        {
            "id": str(event_id),
            "learner": learner.pk,
            "lesson": lesson_id,
            "verb": verb,
            "result": result or {},
            "occurred_at": occurred_at.isoformat() if occurred_at else None,
        },
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _check_event_id(event_id) -> uuid.UUID:
    try:
        return event_id if isinstance(event_id, uuid.UUID) else uuid.UUID(str(event_id))
    except ValueError:
        raise ProgressRejected({"id": ["Give the event a UUID, made on the device."]}) from None


def _check_occurred_at(occurred_at: datetime | None, now: datetime) -> datetime:
    if occurred_at is None:
        return now
    if not isinstance(occurred_at, datetime) or timezone.is_naive(occurred_at):
        raise ProgressRejected(
            {"occurred_at": ["Give the time with a timezone, e.g. 2026-03-01T09:30:00Z."]}
        )
    if occurred_at > now + PROGRESS_FUTURE_TOLERANCE:
        raise ProgressRejected(
            {"occurred_at": ["This time is in the future. Check the device's clock."]}
        )
    return occurred_at


def _check_event(lesson: structure.LessonStructure, verb: str, result) -> None:
    if verb not in Verb.values:
        raise ProgressRejected(
            {"verb": [f"Unknown verb {verb!r}: use one of {', '.join(Verb.values)}."]}
        )
    if result is not None and len(json.dumps(result, default=str)) > PROGRESS_RESULT_MAX_CHARS:
        raise ProgressRejected(
            {"result": [f"Keep the result under {PROGRESS_RESULT_MAX_CHARS} characters."]}
        )
    if not lesson.available:
        raise ProgressRejected(
            {"lesson": ["This lesson is not available. Reload the page to see the current course."]}
        )


def _score(lesson: structure.LessonStructure, result) -> CheckOutcome:
    """Score an "answered" result against the lesson's knowledge check, on the server."""
    if not isinstance(result, dict) or not isinstance(result.get("block_id"), str):
        raise ProgressRejected(
            {"result": ['Send {"block_id": "<check id>", "answers": [<option index>, ...]}.']}
        )
    answers = result.get("answers")
    if (
        not isinstance(answers, list)
        or not answers
        or not all(isinstance(a, int) and not isinstance(a, bool) for a in answers)
    ):
        raise ProgressRejected(
            {"result": ["Answers must be a non-empty list of option numbers, counting from 0."]}
        )
    check = lesson.checks_by_id.get(result["block_id"])
    if check is None:
        raise ProgressRejected({"result": ["This lesson has no such knowledge check."]})
    block, value = check
    try:
        return block.score(value, answers)
    except ValueError as error:
        raise ProgressRejected({"result": [str(error)]}) from error


# The aggregates are written with a few hand-written statements rather than the ORM's
# get-then-update pairs: each INSERT ... ON CONFLICT both creates and updates a row in one
# round trip. That took a progress event from 15 round trips to 6; on PostgreSQL the same steps
# now run inside one function call, courses_progress_record() (migration 0008), so an event is
# one round trip there, and a whole batch too (_write_batch_in_one_call). SQLite runs the
# statements (_write_in_steps); property tests compare the paths on PostgreSQL
# (docs/benchmarks.md).

_MODULE = ModuleProgress._meta.db_table
_LESSON = LessonProgress._meta.db_table
_EVENT = ProgressEvent._meta.db_table
_CHECK = KnowledgeCheckResult._meta.db_table


def _execute(sql: str, params: list) -> list[tuple]:
    """One statement written once (a handful of texts), prepared on PostgreSQL, where times
    and numbers need no adapting (SQLite takes times as text)."""
    if connection.vendor != "postgresql":
        adapt = connection.ops.adapt_unknown_value
        params = [adapt(value) for value in params]
    with prepared_cursor(connection.alias) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if _returns_rows(cursor) else []


def _returns_rows(cursor) -> bool:
    """Whether the statement just run returned rows. On PostgreSQL from the result's status:
    psycopg's `description` builds an object for every column to answer."""
    result = getattr(cursor.cursor, "pgresult", None)
    if result is None:
        return cursor.description is not None
    return result.nfields > 0


def _greatest() -> str:
    """The larger of two non-null values: GREATEST on PostgreSQL, two-argument MAX on SQLite."""
    return "GREATEST" if connection.vendor == "postgresql" else "MAX"


def _least() -> str:
    return "LEAST" if connection.vendor == "postgresql" else "MIN"


def _lock_module_rows(
    learner, profile: LearnerProfile, lessons: list[structure.LessonStructure]
) -> None:
    """Create and lock the learner's module rows for these lessons, in a fixed order, so that
    concurrent batches touching several modules cannot deadlock."""
    module_ids = sorted({lesson.module_id for lesson in lessons if lesson.available})
    ModuleProgress.objects.bulk_create(
        [
            ModuleProgress(learner=learner, module_id=module_id, force_id=profile.force_id)
            for module_id in module_ids
        ],
        ignore_conflicts=True,
    )
    locked = list(
        ModuleProgress.objects.select_for_update()
        .filter(learner=learner, module_id__in=module_ids)
        .order_by("module_id")
        .values_list("force_id", "module_id")
    )
    _lock_force_module_summaries(locked)


def _lock_force_module_summaries(keys: list[tuple[int | None, int]]) -> None:
    """Create and lock the (force, module) totals rows that a batch's events may change, in a
    fixed order. The summary triggers would otherwise lock them in event order, and two
    batches of one force could deadlock; a single event changes at most one totals row."""
    keys = sorted({(force_id, module_id) for force_id, module_id in keys if force_id})
    if not keys:
        return
    ForceModuleSummary.objects.bulk_create(
        [
            ForceModuleSummary(force_id=force_id, module_id=module_id)
            for force_id, module_id in keys
        ],
        ignore_conflicts=True,
    )
    wanted = Q()
    for force_id, module_id in keys:
        wanted |= Q(force_id=force_id, module_id=module_id)
    list(
        ForceModuleSummary.objects.select_for_update()
        .filter(wanted)
        .order_by("force_id", "module_id")
        .values_list("id", flat=True)
    )


def _lock_module_row(learner, profile: LearnerProfile, module_id: int) -> tuple[int, object]:
    """Create or lock the learner's module row in one statement: the ON CONFLICT update is a
    no-op that takes the row lock (the summary triggers ignore it). Concurrent events for the
    same learner and module queue here until the first commits, so the counts in _apply()
    always see each other's committed lesson rows. Returns (row id, completed_at)."""
    now = timezone.now()
    [(row_id, completed_at)] = _execute(
        f"""
        INSERT INTO {_MODULE} (learner_id, module_id, force_id, status, lessons_completed,
                               lessons_total, updated_at)
        VALUES (%s, %s, %s, 0, 0, 0, %s)
        ON CONFLICT (learner_id, module_id) DO UPDATE SET learner_id = excluded.learner_id
        RETURNING id, completed_at
        """,  # noqa: S608 - table names from model metadata; values are parameters
        [learner.pk, module_id, profile.force_id, now],
    )
    return row_id, completed_at


_EVENT_FIELDS = [
    ProgressEvent._meta.get_field(name)
    for name in ("id", "learner", "force", "module", "lesson", "verb", "result", "body_hash")
    + ("occurred_at", "recorded_at")
]


def _event_values(event: ProgressEvent) -> list:
    """The event's values for the ledger's columns, in _EVENT_FIELDS order."""
    return _db_values(event, _EVENT_FIELDS)


def _db_values(instance, fields) -> list:
    """An instance's values for these fields' columns, as the ORM would write them. With this
    thread's connection itself, not django.db.connection, which looks the thread's connection
    up again for each of the dozens of attributes the fields read."""
    wrapper = connections[connection.alias]
    return [f.get_db_prep_save(getattr(instance, f.attname), wrapper) for f in fields]


def _in_one_call() -> bool:
    """Whether the database has courses_progress_record() (PostgreSQL, migration 0008)."""
    return connection.vendor == "postgresql"


def _write_in_one_call(
    write: _Write, token: str | None | object = _UNCHECKED
) -> ModuleProgress | None:
    """PostgreSQL: the whole write in one round trip, through courses_progress_record()
    (migrations 0008 and 0009), which takes the same steps as _write_in_steps(), in the same
    order and under the same locks. Returns the module row after the event, or None when the
    event id is already in the ledger (nothing else was changed but the module row's lock).

    `token`, unless _UNCHECKED, is the content token the lesson was read at, for the function
    to check first: if the content has changed since, it writes nothing and this raises
    _ContentChanged."""
    sql, params = _record_call(write, token)
    return _module_row_after(_execute(sql, params))


def _record_call(write: _Write, token: str | None | object = _UNCHECKED) -> tuple[str, list]:
    """The statement, and its parameters, that records `write` through courses_progress_record()
    and returns the module row after it (no row for an event id already in the ledger; a row
    of NULLs for a changed content token)."""
    event, lesson, outcome = write.event, write.lesson, write.outcome
    completed = event.verb == Verb.COMPLETED
    check_token = token is not _UNCHECKED
    sql = f"""
        SELECT {row_loader(ModuleProgress, connection.alias).columns} FROM courses_progress_record(
            %s::uuid, %s::integer, %s::bigint, %s::integer, %s::integer, %s::varchar,
            %s::jsonb, %s::varchar, %s::timestamptz, %s::timestamptz,
            %s::smallint, %s::timestamptz, %s::varchar, %s::smallint,
            %s::integer[], %s::integer[], %s::varchar[], %s::integer, %s::integer, %s::varchar,
            %s::varchar, %s::boolean)
        """  # noqa: S608 - column names from model metadata; values are parameters
    params = [
        *_event_values(event),
        ProgressStatus.COMPLETED if completed else ProgressStatus.IN_PROGRESS,
        event.occurred_at if completed else None,
        event.result["block_id"] if outcome is not None else None,
        outcome.score if outcome is not None else None,
        *lesson.module_arrays,
        lesson.pass_mark,
        lesson.module_revision_id,
        _certificate_code(),
        token if check_token else None,
        check_token,
    ]
    return sql, params


def _module_row_after(rows: list[tuple]) -> ModuleProgress | None:
    """courses_progress_record()'s answer: the module row, or None for a replay; raises
    _ContentChanged for its row of NULLs."""
    if not rows:
        return None
    module_row = row_loader(ModuleProgress, connection.alias)
    if rows[0][module_row.pk_index] is None:  # the function's answer to a changed token
        raise _ContentChanged()
    return module_row.load(rows[0])


def _write_in_steps(
    learner, profile: LearnerProfile, write: _Write, now: datetime
) -> ModuleProgress | None:
    """SQLite (and the reference for courses_progress_record()): lock the module row, append
    the event, fold it into the aggregates. None when the event id is already in the ledger."""
    # Lock before inserting the event: every writer takes the module lock first and the event
    # id second, so a single post racing a batch that repeats its event cannot deadlock.
    row_id, completed_at = _lock_module_row(learner, profile, write.lesson.module_id)
    if not _insert_event(write.event):
        return None
    return _apply(learner, write.lesson, row_id, completed_at, write.event, write.outcome, now)


def _insert_event(event: ProgressEvent) -> bool:
    """Append the event to the ledger; False when its id is already there."""
    columns = [field.column for field in _EVENT_FIELDS]
    values = _event_values(event)
    inserted = _execute(
        f"""
        INSERT INTO {_EVENT} ({", ".join(columns)}) VALUES ({", ".join(["%s"] * len(columns))})
        ON CONFLICT (id) DO NOTHING RETURNING id
        """,  # noqa: S608
        values,
    )
    return bool(inserted)


def _apply(
    learner,
    lesson: structure.LessonStructure,
    row_id: int,
    completed_at,
    event: ProgressEvent,
    outcome: CheckOutcome | None,
    now: datetime,
) -> ModuleProgress:
    """Fold one new event into the aggregates, under the lock on the learner's module row
    (`row_id`; `completed_at` as read after locking). Returns the row as updated."""
    greatest, least, at = _greatest(), _least(), event.occurred_at

    if outcome is not None:
        _execute(
            f"""
            INSERT INTO {_CHECK} (learner_id, lesson_id, module_id, block_id, best_score,
                                  last_score, attempts, updated_at)
            VALUES (%s, %s, %s, %s, %s, %s, 1, %s)
            ON CONFLICT (learner_id, lesson_id, block_id) DO UPDATE SET
                best_score = {greatest}({_CHECK}.best_score, excluded.best_score),
                last_score = excluded.last_score,
                attempts = {_CHECK}.attempts + 1,
                updated_at = excluded.updated_at
            """,  # noqa: S608
            [learner.pk, lesson.lesson_id, lesson.module_id, event.result["block_id"]]
            + [outcome.score, outcome.score, now],
        )

    # Best score per (lesson, check): unanswered checks are missing and count as 0.
    best = {}
    if lesson.checks:
        scores = _execute(
            f"SELECT lesson_id, block_id, best_score FROM {_CHECK} "  # noqa: S608
            "WHERE learner_id = %s AND module_id = %s",
            [learner.pk, lesson.module_id],
        )
        best = {(lesson_id, block_id): score for lesson_id, block_id, score in scores}

    completed = event.verb == Verb.COMPLETED
    status = ProgressStatus.COMPLETED if completed else ProgressStatus.IN_PROGRESS
    lesson_checks = [check for check in lesson.checks if check[0] == lesson.lesson_id]
    lesson_score = None
    if outcome is not None and lesson_checks:
        lesson_score = _mean(best.get(check, 0) for check in lesson_checks)
    _execute(
        f"""
        INSERT INTO {_LESSON} (learner_id, lesson_id, module_id, force_id, status, score,
                               started_at, completed_at, updated_at)
        VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
        ON CONFLICT (learner_id, lesson_id) DO UPDATE SET
            status = {greatest}({_LESSON}.status, excluded.status),
            score = COALESCE(excluded.score, {_LESSON}.score),
            started_at = {least}(COALESCE({_LESSON}.started_at, excluded.started_at),
                                 excluded.started_at),
            completed_at = COALESCE({_LESSON}.completed_at, excluded.completed_at),
            updated_at = excluded.updated_at
        """,  # noqa: S608
        [learner.pk, lesson.lesson_id, lesson.module_id, event.force_id, status, lesson_score]
        + [at, at if completed else None, now],
    )

    live_ids = sorted(lesson.live_lesson_ids)
    [(lessons_completed,)] = _execute(
        f"""
        SELECT COUNT(*) FROM {_LESSON}
        WHERE learner_id = %s AND status = %s AND lesson_id IN ({", ".join(["%s"] * len(live_ids))})
        """,  # noqa: S608
        [learner.pk, ProgressStatus.COMPLETED, *live_ids],
    )
    lessons_total = len(live_ids)
    # No score until the learner has answered a check: reports average real attempts only.
    score = _mean(best.get(check, 0) for check in lesson.checks) if best else None
    passed = not lesson.checks or (score is not None and score >= lesson.pass_mark)
    finishing = (
        completed_at is None and lessons_total and lessons_completed == lessons_total and passed
    )
    status = ProgressStatus.COMPLETED if finishing else ProgressStatus.IN_PROGRESS
    # Completion happens once: the time, the module revision completed, and the certificate.
    completion_sql, completion_params = "", []
    if finishing:
        completion_sql = ", completed_at = %s, completed_revision_id = %s, certificate_code = %s"
        completion_params = [at, lesson.module_revision_id, _certificate_code()]
    module_row = row_loader(ModuleProgress, connection.alias)
    [row] = _execute(
        f"""
        UPDATE {_MODULE} SET
            status = {greatest}(status, %s),
            started_at = {least}(COALESCE(started_at, %s), %s),
            lessons_completed = %s, lessons_total = %s, score = %s, updated_at = %s
            {completion_sql}
        WHERE id = %s
        RETURNING {module_row.columns}
        """,  # noqa: S608
        [status, at, at, lessons_completed, lessons_total, score, now, *completion_params, row_id],
    )
    return module_row.load(row)


def _mean(scores) -> int:
    """The whole-number mean, halves to the even number (Python's round(); on PostgreSQL,
    courses_rounded_mean() in migration 0008)."""
    scores = list(scores)
    return round(sum(scores) / len(scores))


def _certificate_code() -> str:
    """12 unguessable characters (about 59 bits), grouped for reading: ABCD-EFGH-JKMN."""
    raw = "".join(CERTIFICATE_ALPHABET[d] for d in random_digits(len(CERTIFICATE_ALPHABET), 12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


# --- Reflections ------------------------------------------------------------------------------


def reflection_save(*, learner, lesson: LessonPage, block_id: str, text: str) -> Reflection | None:
    """Save (or, for empty text, delete) the learner's private answer to a reflection prompt.

    Idempotent: one row per (learner, lesson, prompt), updated in place. Raises ValueError when
    `block_id` is not a reflection prompt of the lesson. Returns the Reflection, or None when
    the text was empty and any earlier answer was deleted. Reflections are never part of
    progress, reports or the API: only their author reads them.
    """
    if not any(
        child.id == block_id and child.block_type == "reflection_prompt" for child in lesson.body
    ):
        raise ValueError("This reflection prompt is no longer part of the lesson.")
    text = text.strip()
    if not text:
        Reflection.objects.filter(learner=learner, lesson=lesson, block_id=block_id).delete()
        return None
    reflection, _ = Reflection.objects.update_or_create(
        learner=learner, lesson=lesson, block_id=block_id, defaults={"text": text}
    )
    return reflection


# --- API keys ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedApiKey:
    """A newly created key. `key` is the only copy of the secret: show it once, never store it."""

    api_key: ApiKey
    key: str


API_KEY_PREFIX_BYTES = 4  # 8 hex characters: visible, unique, not secret.
API_KEY_SECRET_BYTES = 32  # 256 bits, so a fast keyed hash is enough (no PBKDF2).
API_KEY_HASH_SALT = "courses.ApiKey"


def api_key_hash(key: str, *, secret: str | None = None) -> str:
    """HMAC-SHA256 of a whole key, keyed with SECRET_KEY (or the given secret)."""
    return salted_hmac(API_KEY_HASH_SALT, key, secret=secret, algorithm="sha256").hexdigest()


@transaction.atomic
def api_key_create(
    *,
    name: str,
    forces: Iterable[Force],
    created_by=None,
    expires_at: datetime | None = None,
) -> IssuedApiKey:
    """Create a key that may read `forces`; store only its prefix and hash.

    Returns the key `<prefix>.<secret>` once. Raises ValueError without forces: a key that
    reads nothing is a mistake, and a key that reads everything is not offered.
    """
    forces = list(forces)
    if not forces:
        raise ValueError("An API key must name at least one force.")
    if expires_at is not None and expires_at <= timezone.now():
        raise ValueError("The expiry date must be in the future.")
    prefix = secrets.token_hex(API_KEY_PREFIX_BYTES)
    while ApiKey.objects.filter(prefix=prefix).exists():  # 1 in 4 billion; cheap to be sure
        prefix = secrets.token_hex(API_KEY_PREFIX_BYTES)
    key = f"{prefix}.{secrets.token_urlsafe(API_KEY_SECRET_BYTES)}"
    api_key = ApiKey.objects.create(
        name=name,
        prefix=prefix,
        key_hash=api_key_hash(key),
        created_by=created_by,
        expires_at=expires_at,
    )
    api_key.forces.set(forces)
    return IssuedApiKey(api_key=api_key, key=key)


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    """Revoke a key from now on. Idempotent: the first revocation time is kept."""
    ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    api_key.refresh_from_db(fields=["revoked_at"])
    return api_key


API_KEY_LAST_USED_RESOLUTION = timedelta(minutes=1)


def api_key_touch(*, api_key: ApiKey, now: datetime | None = None) -> None:
    """Record use of a key at most once a minute, so that reads rarely write."""
    now = now or timezone.now()
    if api_key.last_used_at and now - api_key.last_used_at < API_KEY_LAST_USED_RESOLUTION:
        return
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    api_key.last_used_at = now


def api_access_log_record(
    *, api_key: ApiKey, force: Force | None, endpoint: str, filters: dict, row_count: int
) -> ApiAccessLog:
    """Record one read of learner data through a key (one INSERT). Every manager read writes
    one, so the statement is written once rather than compiled by the ORM each time."""
    entry = ApiAccessLog(
        key=api_key,
        force=force,
        endpoint=endpoint,
        filters=filters,
        row_count=row_count,
        created_at=timezone.now(),
    )
    [(entry.pk,)] = _execute(_ACCESS_LOG_INSERT, _db_values(entry, _LOG_FIELDS))
    entry._state.adding, entry._state.db = False, connection.alias  # as save() leaves it
    return entry


_LOG_FIELDS = [
    ApiAccessLog._meta.get_field(name)
    for name in ("key", "force", "endpoint", "filters", "row_count", "created_at")
]
# Names from model metadata; values are parameters.
_ACCESS_LOG_INSERT = (
    f"INSERT INTO {ApiAccessLog._meta.db_table} "  # noqa: S608
    f"({', '.join(field.column for field in _LOG_FIELDS)}) "
    f"VALUES ({', '.join(['%s'] * len(_LOG_FIELDS))}) RETURNING {ApiAccessLog._meta.pk.column}"
)


def api_access_log_set_row_count(*, entry: ApiAccessLog, row_count: int) -> None:
    """Set the rows actually sent, for streamed reads whose size is known only at the end."""
    ApiAccessLog.objects.filter(pk=entry.pk).update(row_count=row_count)
    entry.row_count = row_count


# --- Learners (privacy) -----------------------------------------------------------------------

ERASED_EMAIL_DOMAIN = "@erased.invalid"  # RFC 2606: can never receive mail
PURGE_BATCH_SIZE = 5000


class ErasureRefused(Exception):
    """The account may not be erased this way (e.g. a superuser); nothing was changed."""


@dataclass(frozen=True)
class ErasureResult:
    user_id: int
    already_erased: bool  # True when an earlier erasure had done the work


def learner_export(*, user, requested_by=None, path: str = "") -> dict:
    """Everything held about `user` as a learner, JSON-ready: account, profile, progress,
    certificates, knowledge-check results, events and reflections, per privacy.RULES.

    Records a data-export audit entry (who asked, whose data). Reads only; the entry is the
    only write."""
    data = {
        "format": "da-matters-learner-export/1",
        "exported_at": timezone.now().isoformat(),
        "account": {
            "id": user.pk,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
    }
    for rule in privacy.RULES.values():
        if rule.export is not None:
            data[rule.section] = rule.export(user)
    requester = requested_by if requested_by is not None else user
    audit.audit_record(
        action=AuditAction.DATA_EXPORT,
        user_id=requester.pk,
        subject_user_id=user.pk,
        path=path,
    )
    return data


@transaction.atomic
def learner_erase(*, user, erased_by=None) -> ErasureResult:
    """Erase a learner's personal data, keeping their progress anonymised.

    Guarantees, in one transaction: names, email and username replaced; the password made
    unusable and the account deactivated (sign-in impossible; the password hash changed, which
    would end existing sessions anyway); a keyed hash of every address the account used is kept
    so the address cannot register again; each privacy.RULES erase rule applied (reflections
    deleted, sessions deleted, staff number removed, certificate codes withdrawn); progress
    rows kept with their force, so force totals do not change; an audit entry written. Safe to
    run again: a second run finds nothing personal left and only records the attempt. Refuses
    superusers."""
    if user.is_superuser:
        raise ErasureRefused(
            "This account is a superuser. Remove its superuser status first, then erase it."
        )
    already = user.email.endswith(ERASED_EMAIL_DOMAIN) and not user.is_active
    if not already:
        addresses = {user.email, *user.emailaddress_set.values_list("email", flat=True)}
        ErasedEmail.objects.bulk_create(
            [ErasedEmail(email_hash=privacy.email_hash(a)) for a in addresses if a],
            ignore_conflicts=True,
        )
    for rule in privacy.RULES.values():
        if rule.erase is not None:
            rule.erase(user)
    user.email = f"erased-{user.pk}{ERASED_EMAIL_DOMAIN}"
    user.username = f"erased-{user.pk}"
    user.first_name = user.last_name = ""
    user.is_active = user.is_staff = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    audit.audit_record(
        action=AuditAction.ERASURE,
        user_id=erased_by.pk if erased_by is not None else None,
        subject_user_id=user.pk,
    )
    return ErasureResult(user_id=user.pk, already_erased=already)


def progress_events_purge(*, older_than: datetime, dry_run: bool = False) -> int:
    """Delete ledger events recorded before `older_than`, in batches; return how many (or, with
    dry_run, how many would go). Aggregates (lesson, module, check rows) are separate tables
    and are not touched, so dashboards and force reports do not change."""
    old = ProgressEvent.objects.filter(recorded_at__lt=older_than)
    if dry_run:
        return old.count()
    deleted = 0
    while True:
        # Batches keep each transaction (and its locks) short on a large ledger.
        batch = list(old.values_list("pk", flat=True)[:PURGE_BATCH_SIZE])
        if not batch:
            return deleted
        with transaction.atomic():
            deleted += ProgressEvent.objects.filter(pk__in=batch).delete()[0]
