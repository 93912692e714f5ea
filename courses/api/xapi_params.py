"""The Statement Resource's query parameters and the `more` cursor: each value checked, a 400
naming the parameter for anything malformed, so a query never reaches the database half-read.

The cursor in `more` is signed (django.core.signing) and bound to the key and to the query's
other parameters: used with another key or another query, or altered, it is a 400.
"""

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core import signing
from rest_framework.exceptions import ValidationError

from courses.xapi.query import DEFAULT_LIMIT, MAX_LIMIT, Agent, Position, StatementQuery
from courses.xapi.statements import FORMATS

SINGLE = ("statementId", "voidedStatementId")
FILTERS = (
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "ascending",
    "cursor",
)
ANY = ("format", "attachments")
ALLOWED = frozenset((*SINGLE, *FILTERS, *ANY))

UUID_FORMAT = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
IRI_FORMAT = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]+")
MAX_VALUE_LENGTH = 2000
IDENTIFIERS = ("mbox", "mbox_sha1sum", "openid", "account")
CURSOR_SALT = "courses.api.xapi_params.cursor"


@dataclass(frozen=True)
class Request:
    """A checked request: one statement (`statement_id`, `voided`), or a query and a page."""

    format: str = "exact"
    attachments: bool = False
    statement_id: uuid.UUID | None = None
    voided: bool = False
    query: StatementQuery | None = None
    limit: int = DEFAULT_LIMIT
    start: Position | None = None


def invalid(name: str, message: str) -> ValidationError:
    return ValidationError({name: [message]})


def parse(params, *, key_id: int) -> Request:
    """The checked request from the query string (a QueryDict), or a 400 naming the
    parameter."""
    unknown = sorted(set(params) - ALLOWED)
    if unknown:
        raise ValidationError(
            {
                "detail": f"Unknown parameter(s): {', '.join(unknown)}. The Statement Resource "
                f"takes: {', '.join(sorted(ALLOWED - {'cursor'}))}."
            }
        )
    values = {}
    for name in params:
        given = params.getlist(name)
        if len(given) != 1:
            raise invalid(name, "Give this parameter once.")
        if len(given[0]) > MAX_VALUE_LENGTH or "\x00" in given[0]:
            raise invalid(name, f"Give at most {MAX_VALUE_LENGTH} characters.")
        values[name] = given[0]
    common = {
        "format": _format(values.get("format", "exact")),
        "attachments": _boolean(values, "attachments"),
    }
    single = [name for name in SINGLE if name in values]
    if single:
        return _single(values, single, common)
    return Request(
        **common,
        query=StatementQuery(
            agent=_agent(values["agent"]) if "agent" in values else None,
            verb=_iri(values, "verb"),
            activity=_iri(values, "activity"),
            registration=_uuid(values, "registration"),
            related_activities=_boolean(values, "related_activities"),
            related_agents=_boolean(values, "related_agents"),
            since=_timestamp(values, "since"),
            until=_timestamp(values, "until"),
            ascending=_boolean(values, "ascending"),
        ),
        limit=_limit(values.get("limit")),
        start=cursor_position(params, key_id=key_id),
    )


def _single(values: dict, single: list[str], common: dict) -> Request:
    if len(single) == 2:
        raise ValidationError({"detail": "Give statementId or voidedStatementId, not both."})
    [name] = single
    others = sorted(set(values) - {name, *ANY})
    if others:
        raise ValidationError(
            {
                "detail": f"{name} fetches one statement: leave out {', '.join(others)} "
                "(only format and attachments may go with it)."
            }
        )
    return Request(**common, statement_id=_uuid(values, name), voided=name == "voidedStatementId")


def _format(value: str) -> str:
    if value not in FORMATS:
        raise invalid("format", f"Use one of: {', '.join(FORMATS)}.")
    return value


def _boolean(values: dict, name: str) -> bool:
    value = values.get(name, "false")
    if value not in ("true", "false"):
        raise invalid(name, "Use true or false.")
    return value == "true"


def _uuid(values: dict, name: str) -> uuid.UUID | None:
    if name not in values:
        return None
    if not UUID_FORMAT.fullmatch(values[name]):
        raise invalid(name, "Give a UUID such as 9e2f6e48-1f6c-4c3e-8f57-0c6f4b1e2a3d.")
    return uuid.UUID(values[name])


def _iri(values: dict, name: str) -> str | None:
    if name not in values:
        return None
    if not IRI_FORMAT.fullmatch(values[name]):
        raise invalid(name, "Give an absolute IRI, such as http://adlnet.gov/expapi/verbs/passed.")
    return values[name]


def _timestamp(values: dict, name: str) -> datetime | None:
    if name not in values:
        return None
    message = "Give an ISO 8601 timestamp with its time zone, such as 2026-01-31T09:30:00Z."
    try:
        value = datetime.fromisoformat(values[name])
        if value.tzinfo is None:
            raise invalid(name, message)
        return value.astimezone(UTC)
    except (ValueError, OverflowError):
        raise invalid(name, message) from None


def _limit(value: str | None) -> int:
    if value is None:
        return DEFAULT_LIMIT
    number = int(value) if value.isascii() and value.isdigit() and len(value) < 10 else -1
    if not 0 <= number <= MAX_LIMIT:
        raise invalid(
            "limit",
            f"Use a whole number from 0 to {MAX_LIMIT} (0 for the most a page holds, "
            f"{MAX_LIMIT}); leave it out for {DEFAULT_LIMIT}.",
        )
    return number or MAX_LIMIT


def _agent(text: str) -> Agent:
    """An Agent or identified Group as JSON, with exactly one identifier."""
    try:
        agent = json.loads(text)
    except (ValueError, RecursionError):
        raise invalid(
            "agent", 'Give an Agent as JSON, such as {"mbox": "mailto:sam@example.police.uk"}.'
        ) from None
    if not isinstance(agent, dict) or agent.get("objectType", "Agent") not in ("Agent", "Group"):
        raise invalid("agent", "Give an Agent or an identified Group as a JSON object.")
    given = [name for name in IDENTIFIERS if name in agent]
    if len(given) != 1:
        raise invalid(
            "agent",
            "Give exactly one identifier (mbox, mbox_sha1sum, openid or account); an "
            "anonymous Group cannot be used as a filter.",
        )
    [identifier] = given
    value = agent[identifier]
    if identifier == "account":
        if not (
            isinstance(value, dict)
            and isinstance(value.get("homePage"), str)
            and isinstance(value.get("name"), str)
        ):
            raise invalid("agent", "An account needs a homePage and a name, both strings.")
        kind = "account" if agent.get("objectType", "Agent") == "Agent" else "other"
        return Agent(kind, value["name"], value["homePage"])
    if not isinstance(value, str):
        raise invalid("agent", f"The agent's {identifier} must be a string.")
    if identifier == "mbox" and not value.startswith("mailto:"):
        raise invalid("agent", "An mbox is an email address as mailto:name@example.police.uk.")
    if identifier == "mbox" and agent.get("objectType", "Agent") == "Agent":
        return Agent("mbox", value)
    return Agent("other", value)


# --- The cursor -------------------------------------------------------------------------------


def query_digest(params) -> str:
    """A short digest of every parameter but the cursor, in a fixed order."""
    pairs = sorted((name, value) for name, value in params.lists() if name != "cursor")
    return hashlib.sha256(json.dumps(pairs).encode()).hexdigest()[:32]


def cursor_for(position: Position, *, key_id: int, params) -> str:
    """A signed cursor continuing at `position`, valid for this key and these parameters."""
    return signing.dumps(
        {
            "k": key_id,
            "q": query_digest(params),
            "p": [position.recorded_at.isoformat(), str(position.event_id), position.skip],
        },
        salt=CURSOR_SALT,
        compress=True,
    )


def cursor_position(params, *, key_id: int) -> Position | None:
    """The position in the request's cursor, or None without one; a 400 when it was altered
    or made for another key or query."""
    token = params.get("cursor")
    if token is None:
        return None
    refused = invalid(
        "cursor",
        "This cursor is not valid for this key and query: follow `more` exactly as given, or "
        "start again without a cursor.",
    )
    try:
        data = signing.loads(token, salt=CURSOR_SALT)
        recorded_at, event_id, skip = data["p"]
        position = Position(datetime.fromisoformat(recorded_at), uuid.UUID(event_id), int(skip))
    except (signing.BadSignature, ValueError, TypeError, KeyError):
        raise refused from None
    if data.get("k") != key_id or data.get("q") != query_digest(params):
        raise refused
    return position
