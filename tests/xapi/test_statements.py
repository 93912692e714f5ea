"""The ledger as xAPI statements: the mapping, for each kind of event."""

import uuid

import pytest

from courses import services
from courses.models import ActorFormat, LrsConnection, ProgressEvent, Verb, XapiOutbox
from courses.xapi import iris
from courses.xapi.statements import EVENT_FIELDS, statements
from tests.conftest import complete_module
from tests.factories import force, learner

pytestmark = pytest.mark.django_db

ADL = "http://adlnet.gov/expapi/verbs/"


def ledger(user) -> list[ProgressEvent]:
    return list(
        ProgressEvent.objects.filter(learner=user).only(*EVENT_FIELDS).order_by("recorded_at")
    )


def test_each_event_is_one_statement_with_its_id_and_a_module_statement_on_completion(
    module_tree,
):
    user = learner("met")
    complete_module(user, module_tree)
    events = ledger(user)
    built = statements(events)
    by_id = {statement["id"]: statement for statement in built}
    assert {str(event.pk) for event in events} <= set(by_id)
    [finishing] = [event for event in events if event.module_statement_id]
    assert len(built) == len(events) + 1
    module_statement = by_id[str(finishing.module_statement_id)]
    assert module_statement["verb"]["id"] == ADL + "passed"
    assert module_statement["object"]["id"] == iris.activity_iri(
        "module", module_tree.module.translation_key
    )
    assert module_statement["result"]["success"] is True
    assert module_statement["result"]["score"] == {"scaled": 1.0, "raw": 100, "min": 0, "max": 100}
    # Built again, the same statements (a replay must be the same statement).
    assert statements(ledger(user)) == built


def test_actor_is_an_opaque_account_unless_the_force_chose_mbox(module_tree):
    user = learner("met", user__email="sam@met.demo.example")
    services.progress_record(
        learner=user, event_id=uuid.uuid4(), lesson=module_tree.lessons[0], verb=Verb.EXPERIENCED
    )
    [statement] = statements(ledger(user))
    assert statement["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": iris.base_url(), "name": str(user.learner_profile.xapi_id)},
    }
    assert "sam@" not in str(statement)
    [mailed] = statements(ledger(user), actor_format=ActorFormat.MBOX)
    assert mailed["actor"] == {"objectType": "Agent", "mbox": "mailto:sam@met.demo.example"}


def test_an_answer_is_an_interaction_with_choices_but_never_the_correct_answer(module_tree):
    user = learner("met")
    lesson = module_tree.lessons[-1]
    services.progress_record(
        learner=user,
        event_id=uuid.uuid4(),
        lesson=lesson,
        verb=Verb.ANSWERED,
        result={"block_id": module_tree.check_block_id, "answers": [0]},
    )
    [statement] = statements(ledger(user))
    definition = statement["object"]["definition"]
    assert statement["verb"]["id"] == ADL + "answered"
    assert definition["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
    assert definition["interactionType"] == "choice"
    choices = [choice["id"] for choice in definition["choices"]]
    assert choices == ["option-0", "option-1", "option-2"]
    assert "correctResponsesPattern" not in definition
    assert statement["result"]["response"] == "option-0"
    assert statement["result"]["success"] is False
    parent = statement["context"]["contextActivities"]["parent"][0]["id"]
    assert parent == iris.activity_iri("lesson", lesson.translation_key)
    extension = statement["context"]["extensions"][iris.force_extension_iri()]
    assert extension == {"code": "met", "name": force("met").name}


def test_a_reflection_never_reaches_a_statement(module_tree):
    user = learner("met")
    services.progress_record(
        learner=user,
        event_id=uuid.uuid4(),
        lesson=module_tree.lessons[0],
        verb=Verb.COMPLETED,
        result={"reflection": "Something private I wrote"},
    )
    [statement] = statements(ledger(user))
    assert "private" not in str(statement)
    assert statement["result"] == {"completion": True}


def test_activity_ids_survive_a_move_and_a_new_slug(module_tree):
    user = learner("met")
    lesson = module_tree.lessons[0]
    services.progress_record(
        learner=user, event_id=uuid.uuid4(), lesson=lesson, verb=Verb.EXPERIENCED
    )
    before = statements(ledger(user))[0]["object"]["id"]
    lesson.slug = "a-new-slug"
    lesson.save_revision().publish()
    assert statements(ledger(user))[0]["object"]["id"] == before


def test_events_are_queued_for_the_forces_lrs_in_the_same_transaction(module_tree):
    LrsConnection.objects.create(
        force=force("met"), endpoint="https://lrs.example/xAPI/", username="k"
    )
    met, gmp = learner("met"), learner("gmp")
    for user in (met, gmp):
        services.progress_record(
            learner=user, event_id=uuid.uuid4(), lesson=module_tree.lessons[0], verb="experienced"
        )
    assert list(XapiOutbox.objects.values_list("event__learner", flat=True)) == [met.pk]


def test_erasure_cancels_what_was_not_sent_and_erased_learners_have_no_statements(module_tree):
    LrsConnection.objects.create(
        force=force("met"), endpoint="https://lrs.example/xAPI/", username="k"
    )
    user = learner("met")
    services.progress_record(
        learner=user, event_id=uuid.uuid4(), lesson=module_tree.lessons[0], verb="experienced"
    )
    services.learner_erase(user=user)
    assert list(XapiOutbox.objects.values_list("state", flat=True)) == [3]
    assert statements(ledger(user)) == []
