"""Every kind of statement the project produces is valid xAPI 1.0.3 and 2.0.0, as judged by
validators that are not ours (tests/xapi/validation.py says which rules are whose).

The statements are built from a real ledger: events recorded through the progress service,
read back by courses.xapi.statements.statements(), in each version, format and actor form.
"""

import contextlib
import uuid

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Site

from courses import services
from courses.models import ActorFormat, ProgressEvent, Verb
from courses.services import ProgressConflict, ProgressRejected
from courses.xapi.iris import ADL_VERBS, SUPPORTED_VERSIONS
from courses.xapi.statements import EVENT_FIELDS, statements
from tests.conftest import build_module_tree, complete_module
from tests.factories import (
    LessonPageFactory,
    ModulePageFactory,
    ProgrammePageFactory,
    learner,
)
from tests.xapi.validation import ralph_errors, xapi_errors

# Non-ASCII letters, curly and straight quotes, an apostrophe and a dash.
AWKWARD_TITLE = 'Café d’été: “Why doesn\'t he stop?” — a "straight" question'
SEVERAL_ANSWERS_CHECK = {
    "question": "Which of these are coercive control? Tick all that apply.",
    "allow_multiple": True,
    "options": [
        {"text": "Checking her phone every evening", "is_correct": True, "feedback": ""},
        {"text": "Asking how her day went", "is_correct": False, "feedback": ""},
        {"text": "Keeping her bank card", "is_correct": True, "feedback": ""},
    ],
}


def answer(user, lesson, block_id, answers):
    services.progress_record(
        learner=user,
        event_id=uuid.uuid4(),
        lesson=lesson,
        verb=Verb.ANSWERED,
        result={"block_id": block_id, "answers": answers},
    )


def lesson_event(user, lesson, verb):
    services.progress_record(learner=user, event_id=uuid.uuid4(), lesson=lesson, verb=verb)


def check_id(lesson) -> str:
    return next(child.id for child in lesson.body if child.block_type == "knowledge_check")


def record_every_kind() -> dict[str, object]:
    """One learner per kind of statement, each with the ledger that gives it."""
    home = Site.objects.get(is_default_site=True).root_page.specific
    # The first programme has an empty intro and no search description.
    checked = build_module_tree(home, title=AWKWARD_TITLE)
    several = LessonPageFactory(parent=checked.module, title="Tick all that apply")
    several.body = [("knowledge_check", SEVERAL_ANSWERS_CHECK)]
    several.save_revision().publish()
    several.refresh_from_db()
    removed = LessonPageFactory(parent=checked.module, title="A check removed since")
    removed.body = [("knowledge_check", SEVERAL_ANSWERS_CHECK)]
    removed.save_revision().publish()
    removed.refresh_from_db()

    programme = ProgrammePageFactory(
        parent=home, title="Guidance", intro="<p>For officers — “first” steps</p>"
    )
    unchecked_module = ModulePageFactory(parent=programme, title="Without checks")
    unchecked_lessons = [
        LessonPageFactory(parent=unchecked_module, title=f"Read-only lesson {i}") for i in (1, 2)
    ]

    kinds = {name: learner("met") for name in KINDS}
    first = checked.lessons[0]
    lesson_event(kinds["lesson experienced"], first, Verb.EXPERIENCED)
    lesson_event(kinds["lesson completed"], first, Verb.COMPLETED)
    answer(kinds["answered right"], checked.lessons[-1], checked.check_block_id, [1])
    answer(kinds["answered wrong"], checked.lessons[-1], checked.check_block_id, [0])
    answer(kinds["answered several"], several, check_id(several), [0, 2])
    answer(kinds["check removed since"], removed, check_id(removed), [1])
    removed.body = [("paragraph", "<p>The check has gone.</p>")]
    removed.save_revision().publish()
    # The module's lessons include the two above; complete them all and answer every check.
    passer = kinds["module passed"]
    complete_module(passer, checked)
    for lesson in (several, removed):
        lesson_event(passer, lesson, Verb.COMPLETED)
    answer(passer, several, check_id(several), [0, 2])
    for lesson in unchecked_lessons:
        lesson_event(kinds["module completed without checks"], lesson, Verb.COMPLETED)
    return kinds


KINDS = (
    "lesson experienced",
    "lesson completed",
    "answered right",
    "answered wrong",
    "answered several",
    "check removed since",
    "module passed",
    "module completed without checks",
)


@pytest.fixture(scope="module")
def recorded_once(django_db_setup, django_db_blocker):
    """The ledgers, recorded once for the module in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield record_every_kind()
        transaction.set_rollback(True)


@pytest.fixture
def kinds(recorded_once, db):
    return recorded_once


def ledger(user) -> list[ProgressEvent]:
    events = ProgressEvent.objects.filter(learner=user).only(*EVENT_FIELDS)
    return list(events.order_by("recorded_at", "id"))


def build(kinds, **options) -> dict[str, list[dict]]:
    return {kind: statements(ledger(user), **options) for kind, user in kinds.items()}


def flat(built: dict[str, list[dict]]) -> list[dict]:
    return [statement for group in built.values() for statement in group]


def test_each_kind_is_in_the_catalogue(kinds):
    built = build(kinds)
    verbs = {kind: [s["verb"]["id"] for s in group] for kind, group in built.items()}
    assert verbs["lesson experienced"] == [ADL_VERBS["experienced"]]
    assert verbs["lesson completed"] == [ADL_VERBS["completed"]]
    assert built["answered right"][0]["result"]["success"] is True
    assert built["answered wrong"][0]["result"]["success"] is False
    assert built["answered several"][0]["result"]["response"] == "option-0[,]option-2"
    removed = built["check removed since"][0]["object"]["definition"]
    assert "choices" not in removed
    assert removed["name"]["en-GB"] == "Knowledge check in A check removed since"
    assert ADL_VERBS["passed"] in verbs["module passed"]
    finished = built["module completed without checks"][-1]
    assert finished["verb"]["id"] == ADL_VERBS["completed"]
    assert finished["object"]["definition"]["name"]["en-GB"] == "Without checks"
    title = built["lesson experienced"][0]["object"]["definition"]["name"]["en-GB"]
    assert title == f"{AWKWARD_TITLE} lesson 1"
    grouping = built["lesson experienced"][0]["context"]["contextActivities"]["grouping"]
    assert "description" not in grouping[0]["definition"]  # the programme's intro is empty


@pytest.mark.parametrize("for_lrs", [False, True], ids=["read", "sent"])
@pytest.mark.parametrize("statement_format", ["exact", "ids"])
@pytest.mark.parametrize("actor_format", ActorFormat.values)
@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_every_kind_of_statement_is_valid(kinds, version, actor_format, statement_format, for_lrs):
    built = flat(
        build(
            kinds,
            version=version,
            actor_format=actor_format,
            format=statement_format,
            for_lrs=for_lrs,
        )
    )
    assert len(built) > len(KINDS)
    assert xapi_errors(built, version) == {statement["id"]: [] for statement in built}


@pytest.mark.parametrize("for_lrs", [False, True], ids=["read", "sent"])
@pytest.mark.parametrize("actor_format", ActorFormat.values)
def test_ralphs_model_agrees_for_1_0_3(kinds, actor_format, for_lrs):
    # Both formats in one call: the `ids` copies get ids of their own.
    built = flat(build(kinds, actor_format=actor_format, for_lrs=for_lrs))
    ids_only = flat(build(kinds, actor_format=actor_format, format="ids", for_lrs=for_lrs))
    for statement in ids_only:
        statement["id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, statement["id"]))
    everything = built + ids_only
    assert ralph_errors(everything) == {statement["id"]: [] for statement in everything}


def valid_statement(kinds, version) -> dict:
    return build(kinds, version=version, actor_format=ActorFormat.MBOX)["lesson completed"][0]


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_the_validators_reject_a_relative_verb_id(kinds, version):
    statement = valid_statement(kinds, version)
    statement["verb"]["id"] = "completed"
    assert xapi_errors([statement], version) == {
        statement["id"]: ["statement.verb.id: TypeWarning"]
    }


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_the_validators_reject_an_mbox_without_mailto(kinds, version):
    statement = valid_statement(kinds, version)
    statement["actor"]["mbox"] = statement["actor"]["mbox"].removeprefix("mailto:")
    assert xapi_errors([statement], version) == {
        statement["id"]: ["statement.actor.mbox: TypeWarning"]
    }


def test_ralphs_model_rejects_a_relative_verb_id_and_an_mbox_without_mailto(kinds):
    verb, mbox = valid_statement(kinds, "1.0.3"), valid_statement(kinds, "1.0.3")
    verb["verb"]["id"] = "completed"
    mbox["id"] = str(uuid.uuid4())
    mbox["actor"]["mbox"] = mbox["actor"]["mbox"].removeprefix("mailto:")
    errors = ralph_errors([verb, mbox])
    assert errors[verb["id"]] == ["verb.id: Value error, 'completed' is not a valid 'IRI'."]
    assert (
        "actor.BaseXapiAgentWithMbox.mbox: Value error, Invalid `mailto:email` value"
        in (errors[mbox["id"]])
    )


def test_the_2_0_0_rules_reject_a_1_0_version_a_local_time_and_a_misshapen_context_agent(
    kinds,
):
    [statement] = build(kinds, version="2.0.0")["lesson completed"]
    good = statement["actor"]
    statement["version"] = "1.0.0"
    statement["timestamp"] = statement["timestamp"].removesuffix("Z")
    statement["context"]["contextAgents"] = [{"objectType": "Agent", "agent": good}]
    assert xapi_errors([statement], "2.0.0")[statement["id"]] == [
        "statement.version: must be 2.0.x",
        "statement.timestamp: must be a date-time with a time zone (xAPI 2.0.0)",
        'statement.context.contextAgents.0.objectType: must be "contextAgent"',
        "statement.timestamp: TypeWarning",
    ]
    statement["context"]["contextAgents"] = [{"objectType": "contextAgent", "agent": good}]
    statement["version"] = "2.0.0"
    statement["timestamp"] += "Z"
    assert xapi_errors([statement], "2.0.0") == {statement["id"]: []}


events = st.lists(
    st.tuples(
        st.integers(0, 2),  # lesson
        st.sampled_from(["experienced", "completed", "answered"]),
        st.lists(st.integers(0, 2), min_size=1, max_size=2),  # answers
    ),
    min_size=1,
    max_size=8,
)


class _Rollback(Exception):
    pass


@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=events)
def test_any_sequence_of_events_gives_valid_statements(module_tree, sequence):
    with contextlib.suppress(_Rollback), transaction.atomic():
        user = learner("met")
        for lesson_index, verb, answers in sequence:
            result = None
            if verb == "answered":
                result = {"block_id": module_tree.check_block_id, "answers": answers}
            with contextlib.suppress(ProgressRejected, ProgressConflict):
                services.progress_record(
                    learner=user,
                    event_id=uuid.uuid4(),
                    lesson=module_tree.lessons[lesson_index],
                    verb=verb,
                    result=result,
                )
        for version in SUPPORTED_VERSIONS:
            built = statements(ledger(user), version=version, for_lrs=True)
            assert xapi_errors(built, version) == {s["id"]: [] for s in built}
        raise _Rollback
