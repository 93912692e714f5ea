"""The progress rules that need no database: what an event may say, and how it is scored.

Everything here reads nothing and writes nothing; courses.progress.engine applies the rules to
the database in one transaction.
"""

import hashlib
import json
import re
import uuid
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courses.blocks import CheckOutcome, KnowledgeCheckBlock
from courses.models import LearnerProfile, Verb
from courses.progress.lessons import LessonStructure

PROGRESS_FUTURE_TOLERANCE = timedelta(minutes=5)
PROGRESS_BATCH_MAX = 100
# The ledger is append-only and kept for years: a result is a few fields, not a document.
PROGRESS_RESULT_MAX_CHARS = 4096
# No 0/O, 1/I/L: codes are read aloud and typed from printed certificates.
CERTIFICATE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CERTIFICATE_CODE_LENGTH = 12

_SCORER = KnowledgeCheckBlock()  # stateless: KnowledgeCheckBlock.score() reads only its value


class ProgressConflict(Exception):
    """The event id was already used for a different event (API 409)."""

    def __init__(self, event_id: uuid.UUID):
        self.event_id = event_id
        super().__init__(
            gettext(
                "Event %(event_id)s was already recorded with different details. "
                "Send a new id for a new event."
            )
            % {"event_id": event_id}
        )


class ProgressRejected(ValidationError):
    """Bad input for progress_record (API 400 with field errors). Nothing was written.

    `index` is the position of the offending event in a progress_record_many() batch.
    """

    index: int | None = None


class NotALearner(PermissionDenied):
    """The user has no learner profile, so there is no force to record progress against."""

    message = _(
        "Only learners can record progress: your account is not linked to a police force. "
        "Ask your force's training team to add you."
    )

    def __init__(self):
        super().__init__(self.message)


def offline_window() -> timedelta:
    """How far back a device may date an event it recorded offline (settings)."""
    return timedelta(days=settings.PROGRESS_OFFLINE_WINDOW_DAYS)


def learner_profile(learner) -> LearnerProfile:
    try:
        return learner.learner_profile
    except (LearnerProfile.DoesNotExist, AttributeError):
        raise NotALearner() from None


def rejected(index: int | None, errors) -> ProgressRejected:
    error = ProgressRejected(errors)
    error.index = index
    return error


def body_hash(learner, event_id, lesson_id, verb, result, occurred_at) -> str:
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


def check_event_id(event_id) -> uuid.UUID:
    try:
        return event_id if isinstance(event_id, uuid.UUID) else uuid.UUID(str(event_id))
    except ValueError:
        raise ProgressRejected(
            {"id": [gettext("Give the event a UUID, made on the device.")]}
        ) from None


def check_occurred_at(occurred_at: datetime | None, now: datetime, learner) -> datetime:
    """The event's time: the device's, if given, within the offline window and not before
    the account existed; else now. Reports and certificates never use it (engine)."""
    if occurred_at is None:
        return now
    if not isinstance(occurred_at, datetime) or timezone.is_naive(occurred_at):
        raise ProgressRejected(
            {"occurred_at": [gettext("Give the time with a timezone, e.g. 2026-03-01T09:30:00Z.")]}
        )
    if occurred_at > now + PROGRESS_FUTURE_TOLERANCE:
        raise ProgressRejected(
            {"occurred_at": [gettext("This time is in the future. Check the device's clock.")]}
        )
    window = offline_window()
    if occurred_at < now - window:
        raise ProgressRejected(
            {
                "occurred_at": [
                    gettext(
                        "This time is more than %(days)d days ago: events recorded offline "
                        "must be sent within that time. Leave occurred_at out to record it now."
                    )
                    % {"days": window.days}
                ]
            }
        )
    joined = getattr(learner, "date_joined", None)
    if joined is not None and occurred_at < joined:
        raise ProgressRejected(
            {
                "occurred_at": [
                    gettext("This time is before your account was created. Check the clock.")
                ]
            }
        )
    return occurred_at


def check_event(lesson: LessonStructure, verb: str, result) -> None:
    if verb not in Verb.values:
        raise ProgressRejected(
            {
                "verb": [
                    gettext("Unknown verb %(verb)s: use one of %(verbs)s.")
                    % {"verb": repr(verb), "verbs": ", ".join(Verb.values)}
                ]
            }
        )
    if result is not None and len(json.dumps(result, default=str)) > PROGRESS_RESULT_MAX_CHARS:
        raise ProgressRejected(
            {
                "result": [
                    gettext("Keep the result under %(max)d characters.")
                    % {"max": PROGRESS_RESULT_MAX_CHARS}
                ]
            }
        )
    if not lesson.available:
        raise ProgressRejected(
            {
                "lesson": [
                    gettext(
                        "This lesson is not available. Reload the page to see the current course."
                    )
                ]
            }
        )


def score(lesson: LessonStructure, result) -> CheckOutcome:
    """Score an "answered" result against the lesson's knowledge check, on the server."""
    if not isinstance(result, dict) or not isinstance(result.get("block_id"), str):
        raise ProgressRejected(
            {
                "result": [
                    gettext('Send {"block_id": "<check id>", "answers": [<option index>, ...]}.')
                ]
            }
        )
    answers = result.get("answers")
    if (
        not isinstance(answers, list)
        or not answers
        or not all(isinstance(a, int) and not isinstance(a, bool) for a in answers)
    ):
        raise ProgressRejected(
            {
                "result": [
                    gettext("Answers must be a non-empty list of option numbers, counting from 0.")
                ]
            }
        )
    check = lesson.checks_by_id.get(result["block_id"])
    if check is None:
        raise ProgressRejected({"result": [gettext("This lesson has no such knowledge check.")]})
    try:
        return _SCORER.score(check, answers)
    except ValueError as error:
        raise ProgressRejected({"result": [str(error)]}) from error


def stored_result(result, outcome: CheckOutcome | None) -> dict:
    """What the ledger keeps of a result: for an answer, the server's reading and score."""
    if outcome is None:
        return result or {}
    return {
        "block_id": result["block_id"],
        "answers": list(outcome.selected),
        "score": outcome.score,
    }


def mean(scores) -> int:
    """The whole-number mean, halves to the even number (Python's round())."""
    scores = list(scores)
    return round(sum(scores) / len(scores))


def certificate_code() -> str:
    """12 unguessable characters (about 59 bits), grouped for reading: ABCD-EFGH-JKMN."""
    return _grouped(get_random_string(CERTIFICATE_CODE_LENGTH, allowed_chars=CERTIFICATE_ALPHABET))


def certificate_code_normalise(typed: str) -> str | None:
    """A code as someone typed it from a printed certificate (any case, with or without
    hyphens, spaces or dashes) in its canonical form, or None when it cannot be a code."""
    raw = re.sub(r"[\s\-\u2010-\u2015]", "", typed).upper()
    if len(raw) != CERTIFICATE_CODE_LENGTH or any(c not in CERTIFICATE_ALPHABET for c in raw):
        return None
    return _grouped(raw)


def _grouped(raw: str) -> str:
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
