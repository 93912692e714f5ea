"""The Statement Resource's reads: which ledger events a query matches, one page of their
statements, and where the next page starts. No HTTP here: courses.api.xapi_views turns the
request into a StatementQuery and the Page into a response.

Statements are not stored. Each event gives its own statement and, when it completed a module,
the module's statement (courses.xapi.statements). Filters apply to statements, so each filter
is two SQL conditions, one per kind of statement; an event is read when either holds, and
the same conditions, selected with the event, say which of its statements to return.

Paging is keyset paging on (recorded_at, id), never OFFSET: an event's statements share its
`stored` time, and a position also counts how many of the event's matching statements were
already returned, so a page may end between an event's statement and its module statement.
A page costs the same queries wherever it is in the ledger and whatever its size.
"""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Value
from django.utils import timezone

from courses.models import (
    ActorFormat,
    ApiKey,
    Force,
    LearnerProfile,
    LessonPage,
    ModulePage,
    ProgrammePage,
    ProgressEvent,
    Verb,
)
from courses.xapi import iris
from courses.xapi.statements import EVENT_FIELDS, statements

MAX_LIMIT = 500
DEFAULT_LIMIT = 100

# `stored` is recorded_at, stamped when the event is inserted, inside the progress
# transaction; the event becomes visible only when that transaction commits, after its
# remaining writes (the learner's aggregates, the outbox). Those take well under a second even
# for a batch of 100 events, so every event stored more than this long ago is visible.
CONSISTENCY_MARGIN = timedelta(seconds=10)

MILLISECOND = timedelta(milliseconds=1)


@dataclass(frozen=True)
class Agent:
    """The `agent` parameter: which identifier it gives (mbox, account, or `other`: an
    identifier no statement here uses, such as mbox_sha1sum, openid or a Group's) and its value."""

    kind: str
    value: str = ""
    home_page: str = ""


@dataclass(frozen=True)
class StatementQuery:
    """The Statement Resource's filters, already checked (courses.api.xapi_params)."""

    agent: Agent | None = None
    verb: str | None = None
    activity: str | None = None
    registration: uuid.UUID | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: datetime | None = None
    until: datetime | None = None
    ascending: bool = False


@dataclass(frozen=True)
class Position:
    """Where a page starts: the event (by recorded_at and id) and how many of its matching
    statements an earlier page already returned."""

    recorded_at: datetime
    event_id: uuid.UUID
    skip: int = 0


@dataclass(frozen=True)
class Page:
    statements: list[dict]
    next: Position | None  # None: nothing more
    last_stored: datetime | None = None  # the most recent `stored` among the statements


@dataclass(frozen=True)
class Scope:
    """What a key may read: its forces, each with the actor format of its LRS connection
    (account when it has none)."""

    forces: list[Force]
    actor_formats: dict[int, str] = field(default_factory=dict)

    def force_ids(self, actor_format: str | None = None) -> list[int]:
        return [
            pk
            for pk, chosen in self.actor_formats.items()
            if actor_format is None or chosen == actor_format
        ]


def key_scope(api_key: ApiKey) -> Scope:
    """The key's forces and their actor formats (one query)."""
    forces = list(Force.objects.filter(api_keys=api_key).select_related("lrs_connection"))
    formats = {}
    for force in forces:
        connection = getattr(force, "lrs_connection", None)
        formats[force.pk] = connection.actor_format if connection else ActorFormat.ACCOUNT
    return Scope(forces=forces, actor_formats=formats)


def consistent_through(now: datetime | None = None) -> datetime:
    """Every statement stored before this time can be read (CONSISTENCY_MARGIN)."""
    return (now or timezone.now()) - CONSISTENCY_MARGIN


# --- Matching ---------------------------------------------------------------------------------

# A condition on events, or None: no event can match.
Condition = Q | None


def _both(left: Condition, right: Condition) -> Condition:
    if left is None or right is None:
        return None
    return left & right


def _either(left: Condition, right: Condition) -> Condition:
    if left is None:
        return right
    if right is None:
        return left
    if not left or not right:  # an empty Q() holds for every event
        return Q()
    return left | right


@dataclass(frozen=True)
class _Match:
    """Which events a query reads (`events`), and for each kind of statement when it is
    returned: the event's own (`own`) and its module's (`module`)."""

    events: Q
    own: Condition
    module: Condition


def _match(scope: Scope, query: StatementQuery) -> _Match | None:
    if query.registration is not None:
        return None  # no statement here has a registration
    events = _in_scope(scope) & _stored_between(query.since, query.until)
    agent = _agent(scope, query.agent, related=query.related_agents)
    if agent is None:
        return None
    events &= agent
    own, module = Q(), Q(module_statement_id__isnull=False)
    for own_part, module_part in (
        _verb(query.verb),
        _activity(query.activity, related=query.related_activities),
    ):
        own, module = _both(own, own_part), _both(module, module_part)
    either = _either(own, module)
    if either is None:
        return None
    return _Match(events & either, own, module)


def _in_scope(scope: Scope) -> Q:
    """The key's forces, and never an erased learner (the builder drops them too; filtering
    them here keeps a page's count right)."""
    live = LearnerProfile.objects.filter(user_id=OuterRef("learner_id"), erased_at__isnull=True)
    return Q(force_id__in=scope.force_ids()) & Q(Exists(live))


def _stored_between(since: datetime | None, until: datetime | None) -> Q:
    """`stored` (recorded_at shown to the millisecond) after `since` and at or before `until`:
    compared as shown, so a client that passes a statement's `stored` back as `since` does not
    get that statement again."""
    condition = Q()
    if since is not None:
        condition &= Q(recorded_at__gte=_next_millisecond(since))
    if until is not None:
        condition &= Q(recorded_at__lt=_next_millisecond(until))
    return condition


def _next_millisecond(value: datetime) -> datetime:
    value = value.astimezone(UTC)
    try:
        return value.replace(microsecond=value.microsecond // 1000 * 1000) + MILLISECOND
    except OverflowError:  # the last millisecond of year 9999: nothing is stored after it
        return datetime.max.replace(tzinfo=UTC)


def _agent(scope: Scope, agent: Agent | None, *, related: bool) -> Condition:
    """The statements whose actor is `agent`. A learner is named by their account where the
    force's connection says `account` and by their email where it says `mbox`, so each form
    matches only in the forces that use it. With related_agents, the platform's own account
    (every statement's authority) matches every statement."""
    if agent is None:
        return Q()
    if agent.kind == "account" and agent.home_page == iris.base_url():
        if related and agent.value == "platform":
            return Q()
        try:
            xapi_id = uuid.UUID(agent.value)
        except ValueError:
            return None
        if str(xapi_id) != agent.value:
            return None
        learners = LearnerProfile.objects.filter(xapi_id=xapi_id).values("user_id")
        return Q(learner_id__in=learners, force_id__in=scope.force_ids(ActorFormat.ACCOUNT))
    if agent.kind == "mbox":
        mbox_forces = scope.force_ids(ActorFormat.MBOX)
        if not mbox_forces:
            return None
        email = agent.value.removeprefix("mailto:")
        return Q(learner__email__iexact=email, force_id__in=mbox_forces)
    return None


def _verb(verb: str | None) -> tuple[Condition, Condition]:
    """(own statement, module statement) for a verb IRI: a module's statement says `passed`
    for a module with knowledge checks (it has a score), `completed` for one without."""
    if verb is None:
        return Q(), Q()
    name = iris.VERB_BY_IRI.get(verb)
    if name in (Verb.EXPERIENCED, Verb.ANSWERED):
        return Q(verb=name), None
    if name == Verb.COMPLETED:
        return Q(verb=Verb.COMPLETED), Q(module_score__isnull=True)
    if name == "passed":
        return None, Q(module_score__isnull=False)
    return None, None


def parse_activity_iri(iri: str) -> tuple[str, uuid.UUID, str] | None:
    """(kind, translation key, check block id or "") of one of this site's activity IRIs
    (courses.xapi.iris), compared as strings as the specification says; None for any other."""
    start = f"{iris.base_url()}/xapi/activities/"
    if not iri.startswith(start):
        return None
    parts = iri.removeprefix(start).split("/")
    kind, block_id = parts[0], ""
    if len(parts) == 4 and kind == "lesson" and parts[2] == "check" and parts[3]:
        kind, block_id = "check", parts[3]
    elif len(parts) != 2 or kind not in ("lesson", "module", "programme"):
        return None
    try:
        key = uuid.UUID(parts[1])
    except ValueError:
        return None
    if str(key) != parts[1]:
        return None
    return kind, key, block_id


def _activity(iri: str | None, *, related: bool) -> tuple[Condition, Condition]:
    """(own statement, module statement) for an activity IRI. The object: a lesson, a
    knowledge check (an answer), a module (the module's statement). With related_activities,
    the context too: an event's statement has its module and programme (and, for an answer,
    its lesson); a module's statement has its programme."""
    if iri is None:
        return Q(), Q()
    parsed = parse_activity_iri(iri)
    if parsed is None:
        return None, None
    kind, key, block_id = parsed
    if kind in ("lesson", "check"):
        lessons = Q(lesson_id__in=LessonPage.objects.filter(translation_key=key).values("pk"))
        if kind == "check":
            return lessons & Q(verb=Verb.ANSWERED, result__block_id=block_id), None
        return (lessons if related else lessons & ~Q(verb=Verb.ANSWERED)), None
    if kind == "module":
        modules = Q(module_id__in=ModulePage.objects.filter(translation_key=key).values("pk"))
        return (modules if related else None), modules
    if not related:
        return None, None  # a programme is never a statement's object
    modules = _programme_modules(key)
    return modules, modules


def _programme_modules(key: uuid.UUID) -> Condition:
    """Events of modules directly under the programme (one query for its pages)."""
    condition = None
    for path, depth in ProgrammePage.objects.filter(translation_key=key).values_list(
        "path", "depth"
    ):
        condition = _either(condition, Q(module__path__startswith=path, module__depth=depth + 1))
    return condition


def _flag(condition: Condition):
    if condition is None:
        return Value(False)
    if not condition:
        return Value(True)
    return ExpressionWrapper(condition, output_field=BooleanField())


# --- Pages ------------------------------------------------------------------------------------


def statement_page(
    *,
    scope: Scope,
    query: StatementQuery,
    limit: int,
    version: str,
    format: str,  # noqa: A002 - the xAPI parameter's name
    start: Position | None = None,
) -> Page:
    """Up to `limit` statements matching `query` in the key's scope, newest stored first (or
    oldest with `ascending`), an event's module statement after its own, from `start`; and
    where the next page starts. Queries: one for the events and the builder's (about six per
    actor format on the page), whatever `limit`."""
    match = _match(scope, query)
    if match is None:
        return Page([], None)
    events = list(_events(match, query.ascending, start)[: limit + 1])
    built = _build(scope, events, version=version, format=format)
    page, last_stored = [], None
    for event in events:
        ids = _matching_ids(event)
        skip = start.skip if start and event.pk == start.event_id else 0
        for index, statement_id in enumerate(ids[skip:], start=skip):
            if len(page) == limit:
                return Page(page, Position(event.recorded_at, event.pk, index), last_stored)
            if statement_id in built:
                page.append(built[statement_id])
                last_stored = max(last_stored or event.recorded_at, event.recorded_at)
    if len(events) > limit:  # statements dropped by the builder: carry on after the last
        last = events[-1]
        return Page(page, Position(last.recorded_at, last.pk, 2), last_stored)
    return Page(page, None, last_stored)


def statement_by_id(
    *,
    scope: Scope,
    statement_id: uuid.UUID,
    version: str,
    format: str,  # noqa: A002
) -> dict | None:
    """The statement with this id in the key's scope, or None: unknown and out of scope are
    the same answer. Queries: one for the event and the builder's."""
    event = (
        ProgressEvent.objects.filter(_in_scope(scope))
        .filter(Q(pk=statement_id) | Q(module_statement_id=statement_id))
        .only(*EVENT_FIELDS)
        .first()
    )
    if event is None:
        return None
    return _build(scope, [event], version=version, format=format).get(str(statement_id))


def _events(match: _Match, ascending: bool, start: Position | None):
    events = ProgressEvent.objects.filter(match.events)
    if start is not None:
        if ascending:
            after = Q(recorded_at__gt=start.recorded_at)
            same = Q(recorded_at=start.recorded_at, id__gte=start.event_id)
        else:
            after = Q(recorded_at__lt=start.recorded_at)
            same = Q(recorded_at=start.recorded_at, id__lte=start.event_id)
        events = events.filter(after | same)
    order = ("recorded_at", "id") if ascending else ("-recorded_at", "-id")
    return (
        events.only(*EVENT_FIELDS)
        .annotate(own_matches=_flag(match.own), module_matches=_flag(match.module))
        .order_by(*order)
    )


def _matching_ids(event: ProgressEvent) -> list[str]:
    """The ids of the event's statements that the query matches, in the order returned."""
    ids = []
    if event.own_matches:
        ids.append(str(event.pk))
    if event.module_matches and event.module_statement_id is not None:
        ids.append(str(event.module_statement_id))
    return ids


def _build(scope: Scope, events: list[ProgressEvent], **options) -> dict[str, dict]:
    """The events' statements by id, each with its force's actor format (one build per
    format on the page)."""
    by_format: dict[str, list[ProgressEvent]] = {}
    for event in events:
        by_format.setdefault(scope.actor_formats[event.force_id], []).append(event)
    return {
        statement["id"]: statement
        for actor_format, group in by_format.items()
        for statement in statements(group, actor_format=actor_format, **options)
    }
