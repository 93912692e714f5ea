"""The ledger as xAPI statements: one per progress event, one more for a module's completion.

`statements()` turns ProgressEvent rows into statements, reading what they name in a fixed
number of queries whatever the number of events. The mapping (docs/xapi.md):

- the event's id is the statement's id; the event that completed a module also yields the
  module's statement (`passed`, or `completed` for a module without knowledge checks) with
  the id in `ProgressEvent.module_statement_id`;
- actor: an account on this site named by the learner's random `xapi_id`, or their work
  email (`mbox`) where the force's connection says so; never a name;
- verb: the ADL verb of the event; object: the lesson, the module, or for an answer the
  knowledge check as a `cmi.interaction` with its choices (never which one is correct);
- result: score, success, completion and duration, computed by the server; never anything
  the learner typed (a reflection is not part of any statement);
- context: parent and grouping activities (lesson, module, programme), the platform, the
  language, and the learner's force at the time of the event as an extension;
- timestamp: when it happened (the device's time); stored: when the server recorded it.

A statement is built from what does not change once recorded, so building it twice (to
read or to send again) gives the same statement; only a page's title and description are
read as they are now.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.html import strip_tags
from wagtail.models import Page

from courses.models import (
    ActorFormat,
    Force,
    LearnerProfile,
    LessonPage,
    ModulePage,
    ModuleProgress,
    ProgrammePage,
    ProgressEvent,
    Verb,
)
from courses.xapi import iris

# The fields of ProgressEvent a statement is built from (select them with .only()).
EVENT_FIELDS = (
    "id",
    "learner_id",
    "force_id",
    "module_id",
    "lesson_id",
    "verb",
    "result",
    "occurred_at",
    "recorded_at",
    "module_statement_id",
    "module_score",
)
FORMATS = ("exact", "canonical", "ids")
KNOWLEDGE_CHECK = "knowledge_check"


def statements(
    events: Iterable[ProgressEvent],
    *,
    version: str = "1.0.3",
    actor_format: str = ActorFormat.ACCOUNT,
    format: str = "exact",  # noqa: A002 - the xAPI parameter's name
    for_lrs: bool = False,
) -> list[dict]:
    """The statements of `events`, in their order (an event's module statement after its
    own). Events of an erased learner give none.

    `version` is "1.0.3" or "2.0.0"; `format` as the Statement Resource's parameter ("ids"
    leaves out names and definitions); `for_lrs` leaves out `stored` and `authority`, which
    the receiving LRS sets. Queries: about six, whatever the number of events.
    """
    events = list(events)
    if not events:
        return []
    context = _Context(events, actor_format=actor_format)
    built = []
    for event in events:
        actor = context.actor(event.learner_id)
        if actor is None:
            continue
        built.append(context.event_statement(event, actor))
        if event.module_statement_id is not None:
            built.append(context.module_statement(event, actor))
    return [_finish(statement, version, format, for_lrs) for statement in built]


def statement_count(event: ProgressEvent) -> int:
    """How many statements an event gives (for paging)."""
    return 2 if event.module_statement_id is not None else 1


def timestamp(value: datetime) -> str:
    """ISO 8601 in UTC with milliseconds, as both versions of the specification accept."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def duration(value: timedelta) -> str:
    """An ISO 8601 duration such as PT1H2M3.5S (hours, minutes and seconds only)."""
    total = max(value.total_seconds(), 0)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    text = "PT"
    if hours:
        text += f"{int(hours)}H"
    if minutes:
        text += f"{int(minutes)}M"
    seconds = round(seconds, 2)
    if seconds or text == "PT":
        text += f"{seconds:g}S"
    return text


def _language_map(text: str) -> dict:
    return {iris.LANGUAGE: text}


def _activity(kind: str, page, description: str = "") -> dict:
    definition = {"name": _language_map(page.title), "type": iris.ACTIVITY_TYPES[kind]}
    if description:
        definition["description"] = _language_map(description[:1000])
    return {
        "objectType": "Activity",
        "id": iris.activity_iri(kind, page.translation_key),
        "definition": definition,
    }


class _Context:
    """What the events name, read once: learners, forces, pages, module rows."""

    def __init__(self, events: list[ProgressEvent], *, actor_format: str):
        learner_ids = {event.learner_id for event in events}
        self.profiles = {
            profile.user_id: profile
            for profile in LearnerProfile.objects.filter(
                user_id__in=learner_ids, erased_at__isnull=True
            ).only("user_id", "xapi_id")
        }
        self.emails = {}
        if actor_format == ActorFormat.MBOX:
            self.emails = dict(
                get_user_model().objects.filter(pk__in=self.profiles).values_list("pk", "email")
            )
        self.actor_format = actor_format
        force_ids = {event.force_id for event in events if event.force_id}
        self.forces = {force.pk: force for force in Force.objects.filter(pk__in=force_ids)}
        answered = {event.lesson_id for event in events if event.verb == Verb.ANSWERED}
        lesson_ids = {event.lesson_id for event in events}
        lessons = LessonPage.objects.filter(pk__in=lesson_ids).only(
            "id", "title", "translation_key", "search_description", "path"
        )
        self.lessons = {lesson.pk: lesson for lesson in lessons}
        self.checks = {}
        if answered:
            bodies = LessonPage.objects.filter(pk__in=answered).only("id", "body")
            self.checks = {lesson.pk: _checks(lesson.body) for lesson in bodies}
        modules = ModulePage.objects.filter(pk__in={event.module_id for event in events}).only(
            "id", "title", "translation_key", "summary", "path"
        )
        self.modules = {module.pk: module for module in modules}
        parent_paths = {module.path[: -Page.steplen] for module in self.modules.values()}
        self.programmes = {
            programme.path: programme
            for programme in ProgrammePage.objects.filter(path__in=parent_paths).only(
                "id", "title", "translation_key", "search_description", "intro", "path"
            )
        }
        finishing = [event for event in events if event.module_statement_id is not None]
        self.module_rows = {}
        if finishing:
            rows = ModuleProgress.objects.filter(
                learner_id__in={event.learner_id for event in finishing},
                module_id__in={event.module_id for event in finishing},
            ).only("learner_id", "module_id", "started_at", "completed_at")
            self.module_rows = {(row.learner_id, row.module_id): row for row in rows}

    def actor(self, learner_id: int) -> dict | None:
        profile = self.profiles.get(learner_id)
        if profile is None:
            return None
        if self.actor_format == ActorFormat.MBOX:
            return {"objectType": "Agent", "mbox": f"mailto:{self.emails[learner_id]}"}
        return {
            "objectType": "Agent",
            "account": {"homePage": iris.base_url(), "name": str(profile.xapi_id)},
        }

    def _module_activity(self, module_id: int) -> dict:
        module = self.modules[module_id]
        return _activity("module", module, module.summary)

    def _programme_activity(self, module_id: int) -> dict | None:
        programme = self.programmes.get(self.modules[module_id].path[: -Page.steplen])
        if programme is None:
            return None
        description = programme.search_description or strip_tags(programme.intro).strip()
        return _activity("programme", programme, description)

    def _lesson_activity(self, lesson_id: int) -> dict:
        lesson = self.lessons[lesson_id]
        return _activity("lesson", lesson, lesson.search_description)

    def _context(self, event, parent: list[dict], grouping: list[dict]) -> dict:
        activities = {"parent": parent}
        grouping = [activity for activity in grouping if activity is not None]
        if grouping:
            activities["grouping"] = grouping
        context = {
            "contextActivities": activities,
            "platform": settings.XAPI_PLATFORM,
            "language": iris.LANGUAGE,
        }
        force = self.forces.get(event.force_id)
        if force is not None:
            context["extensions"] = {
                iris.force_extension_iri(): {"code": force.code, "name": force.name}
            }
        return context

    def event_statement(self, event: ProgressEvent, actor: dict) -> dict:
        module = self._module_activity(event.module_id)
        programme = self._programme_activity(event.module_id)
        lesson = self._lesson_activity(event.lesson_id)
        statement = {"id": str(event.pk), "actor": actor, "verb": _verb(event.verb)}
        if event.verb == Verb.ANSWERED:
            statement["object"] = self._check_activity(event)
            statement["result"] = _answer_result(event.result)
            statement["context"] = self._context(event, [lesson], [module, programme])
        else:
            statement["object"] = lesson
            if event.verb == Verb.COMPLETED:
                statement["result"] = {"completion": True}
            statement["context"] = self._context(event, [module], [programme])
        statement["timestamp"] = timestamp(event.occurred_at)
        statement["stored"] = timestamp(event.recorded_at)
        return statement

    def module_statement(self, event: ProgressEvent, actor: dict) -> dict:
        scored = event.module_score is not None
        result = {"completion": True}
        if scored:
            result["success"] = True  # a module with checks completes only at its pass mark
            result["score"] = _score(event.module_score)
        row = self.module_rows.get((event.learner_id, event.module_id))
        if row is not None and row.started_at and row.completed_at:
            result["duration"] = duration(row.completed_at - row.started_at)
        programme = self._programme_activity(event.module_id)
        return {
            "id": str(event.module_statement_id),
            "actor": actor,
            "verb": _verb("passed" if scored else "completed"),
            "object": self._module_activity(event.module_id),
            "result": result,
            "context": self._context(event, [programme] if programme else [], []),
            "timestamp": timestamp(event.recorded_at),
            "stored": timestamp(event.recorded_at),
        }

    def _check_activity(self, event: ProgressEvent) -> dict:
        lesson = self.lessons[event.lesson_id]
        block_id = str(event.result.get("block_id", ""))
        check = self.checks.get(event.lesson_id, {}).get(block_id)
        definition = {
            "type": iris.ACTIVITY_TYPES["check"],
            "interactionType": "choice",
        }
        if check is not None:
            definition["name"] = _language_map(check["question"])
            definition["choices"] = [
                {"id": _choice_id(index), "description": _language_map(text)}
                for index, text in enumerate(check["options"])
            ]
        else:  # the check has been removed from the lesson since
            definition["name"] = _language_map(f"Knowledge check in {lesson.title}")
        return {
            "objectType": "Activity",
            "id": iris.check_iri(lesson.translation_key, block_id),
            "definition": definition,
        }


def _checks(body) -> dict[str, dict]:
    """A lesson's knowledge checks: question and option texts, never which is correct."""
    return {
        child.id: {
            "question": str(child.value["question"]),
            "options": [str(option["text"]) for option in child.value["options"]],
        }
        for index, raw in enumerate(body.raw_data)
        if raw["type"] == KNOWLEDGE_CHECK
        for child in [body[index]]
    }


def _choice_id(index: int) -> str:
    return f"option-{index}"


def _verb(name: str) -> dict:
    return {"id": iris.ADL_VERBS[name], "display": _language_map(name)}


def _score(percent: int) -> dict:
    return {"scaled": round(percent / 100, 4), "raw": percent, "min": 0, "max": 100}


def _answer_result(stored: dict) -> dict:
    """An answer's result from the ledger's server-scored record (courses.progress.rules)."""
    answers = stored.get("answers") or []
    score = int(stored.get("score") or 0)
    result = {"success": score == 100, "completion": True, "score": _score(score)}
    if answers:
        result["response"] = "[,]".join(_choice_id(int(index)) for index in answers)
    return result


def _finish(statement: dict, version: str, format: str, for_lrs: bool) -> dict:  # noqa: A002
    statement["version"] = iris.STATEMENT_VERSION[version]
    if for_lrs:
        statement.pop("stored", None)
    else:
        statement["authority"] = authority()
    if format == "ids":
        _ids_only(statement)
    return statement


def authority() -> dict:
    """Who vouches for every statement: this platform, as an account on its own site."""
    return {
        "objectType": "Agent",
        "name": settings.XAPI_PLATFORM,
        "account": {"homePage": iris.base_url(), "name": "platform"},
    }


def _ids_only(statement: dict) -> None:
    """The `ids` format: identifiers only (no verb display, activity definitions or names)."""
    statement["verb"].pop("display", None)
    statement["object"].pop("definition", None)
    statement.get("authority", {}).pop("name", None)
    for key in ("parent", "grouping"):
        for activity in statement.get("context", {}).get("contextActivities", {}).get(key, []):
            activity.pop("definition", None)
