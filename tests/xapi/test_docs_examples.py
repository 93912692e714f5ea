"""docs/xapi.md's example statements are what courses.xapi.statements builds: each example is
rebuilt here from a small real ledger (recorded through the progress service) and compared
with the document's JSON: the same keys at every level, the same verb, the same kinds of
object and context activities. Ids and times differ from run to run."""

import json
import re
import uuid
from datetime import timedelta
from pathlib import Path

import pytest

from courses import services
from courses.models import ModuleProgress, ProgressEvent, Verb
from courses.xapi import iris
from courses.xapi.statements import EVENT_FIELDS, statements
from tests.factories import (
    KNOWLEDGE_CHECK,
    LessonPageFactory,
    ModulePageFactory,
    ProgrammePageFactory,
    learner,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "xapi.md"
# The site's address in the document's examples.
BASE_URL = "https://training.example.org"
EXAMPLE = re.compile(r"<!-- xapi-example: ([a-z ]+) -->\s*```json\n(.*?)\n```", re.DOTALL)
NAMES = ("experienced", "completed lesson", "answered", "passed module", "completed module")

pytestmark = pytest.mark.django_db


def documented() -> dict[str, dict]:
    return {name: json.loads(body) for name, body in EXAMPLE.findall(DOC.read_text())}


def record(user, lesson, verb, result=None):
    services.progress_record(
        learner=user, event_id=uuid.uuid4(), lesson=lesson, verb=verb, result=result
    )


def build_ledger(home_page):
    """A learner of the Met who opens a lesson, completes a module with a knowledge check
    (answering it rightly) and a module without one; each module took 47 minutes."""
    programme = ProgrammePageFactory(parent=home_page, title="DA Matters")
    checked = ModulePageFactory(
        parent=programme,
        title="Men's role: why doesn't he stop?",
        summary="Why the question to ask is about his behaviour, not hers.",
    )
    first = LessonPageFactory(parent=checked, title="Asking the right question")
    last = LessonPageFactory(
        parent=checked,
        title="Check your understanding",
        body=[
            ("paragraph", "<p>Check what you have learned.</p>"),
            ("knowledge_check", KNOWLEDGE_CHECK),
        ],
    )
    plain = ModulePageFactory(
        parent=programme,
        title="Survivor voices",
        summary="What survivors say helped, and what did not.",
    )
    stories = LessonPageFactory(parent=plain, title="In their own words")
    user = learner("met")
    record(user, first, Verb.EXPERIENCED)
    for lesson in (first, last):
        record(user, lesson, Verb.COMPLETED)
    last.refresh_from_db()  # the blocks' ids are given when saved
    block_id = next(child.id for child in last.body if child.block_type == "knowledge_check")
    record(user, last, Verb.ANSWERED, {"block_id": block_id, "answers": [1]})
    record(user, stories, Verb.COMPLETED)
    for row in ModuleProgress.objects.filter(learner=user):
        row.started_at = row.completed_at - timedelta(minutes=47)
        row.save(update_fields=["started_at"])
    return user


def examples(user) -> dict[str, dict]:
    """One statement of each kind, as sent to an LRS under xAPI 1.0.3."""
    events = ProgressEvent.objects.filter(learner=user).only(*EVENT_FIELDS).order_by("recorded_at")
    built = statements(events, version="1.0.3", for_lrs=True)

    def kind(statement):
        verb = statement["verb"]["display"]["en-GB"]
        if verb == "completed":
            return f"completed {'module' if '/module/' in statement['object']['id'] else 'lesson'}"
        return "passed module" if verb == "passed" else verb

    found = {}
    for statement in built:
        found.setdefault(kind(statement), statement)
    return found


def shape(value):
    """The keys at every level (list items in order), without the values."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value]
    return type(value).__name__


def kinds(statement) -> dict:
    activities = statement["context"]["contextActivities"]
    return {
        "verb": statement["verb"]["id"],
        "object": statement["object"]["definition"]["type"],
        "context": {
            key: [activity["definition"]["type"] for activity in items]
            for key, items in activities.items()
        },
    }


@pytest.fixture
def built(home_page, settings):
    settings.WAGTAILADMIN_BASE_URL = BASE_URL
    return examples(build_ledger(home_page))


def test_the_document_shows_one_example_of_each_kind(built):
    assert sorted(documented()) == sorted(NAMES)
    assert sorted(built) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_each_example_has_the_keys_and_kinds_the_builder_gives(built, name):
    shown = documented()[name]
    assert shape(shown) == shape(built[name])
    assert kinds(shown) == kinds(built[name])
    assert shown["version"] == iris.STATEMENT_VERSION["1.0.3"]
    assert shown["actor"]["account"]["homePage"] == BASE_URL


def test_no_example_shows_a_correct_answer_or_a_name():
    text = json.dumps(documented())
    assert "correctResponsesPattern" not in text
    assert "mbox" not in text
    for statement in documented().values():
        assert set(statement["actor"]) == {"objectType", "account"}
