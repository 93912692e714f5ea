"""Delivery of the outbox to a force's LRS (courses.xapi.delivery), against a real HTTP
server on loopback (tests.xapi.scripted_lrs): batches, headers, the LRS's answers, backoff,
dead letters, retries, erasure, and an LRS outage that never reaches a learner."""

import base64
import json
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from courses import services
from courses.models import (
    AuditAction,
    AuditEvent,
    LearnerProfile,
    LrsConnection,
    OutboxState,
    Verb,
    XapiOutbox,
)
from courses.xapi.delivery import DeliveryReport, connection_test, deliver_due
from courses.xapi.secrets import encrypt
from tests.conftest import CSRF_TOKEN, complete_module, signed_in_api_client
from tests.factories import UserFactory, force, learner
from tests.faults.servers import free_port
from tests.xapi.scripted_lrs import Reply, ScriptedLrs

pytestmark = pytest.mark.django_db

USERNAME, SECRET = "lrs-user", "s3cret-pass-9f"


@pytest.fixture
def lrs():
    with ScriptedLrs() as server:
        yield server


@pytest.fixture
def clock():
    """A fixed time for a pass, after every row's creation."""
    return timezone.now().replace(microsecond=0) + timedelta(minutes=1)


def connect(endpoint: str, code: str = "met", **fields) -> LrsConnection:
    fields.setdefault("secret_encrypted", encrypt(SECRET))
    return LrsConnection.objects.create(
        force=force(code), endpoint=endpoint, username=USERNAME, **fields
    )


def record(user, tree, count: int) -> list[str]:
    """`count` "experienced" events through the progress service; their ids, in order."""
    ids = [uuid.uuid4() for _ in range(count)]
    for i, event_id in enumerate(ids):
        services.progress_record(
            learner=user,
            event_id=event_id,
            lesson=tree.lessons[i % len(tree.lessons)],
            verb=Verb.EXPERIENCED,
        )
    return [str(event_id) for event_id in ids]


def states() -> list[int]:
    return list(XapiOutbox.objects.order_by("pk").values_list("state", flat=True))


def row(event_id: str) -> XapiOutbox:
    return XapiOutbox.objects.get(event_id=event_id)


# --- Sending ------------------------------------------------------------------------------------


def test_due_rows_go_in_batches_of_batch_size_oldest_first_with_version_and_basic_auth(
    lrs, module_tree, clock
):
    connect(lrs.endpoint, batch_size=2)
    ids = record(learner("met"), module_tree, 5)

    report = deliver_due(now=clock)

    assert report == DeliveryReport(sent=5, batches=3)
    assert lrs.posted_ids() == [ids[0:2], ids[2:4], ids[4:5]]
    basic = "Basic " + base64.b64encode(f"{USERNAME}:{SECRET}".encode()).decode()
    for request in lrs.received:
        assert request.path == "/xAPI/statements"
        assert request.headers["x-experience-api-version"] == "1.0.3"
        assert request.headers["authorization"] == basic
        assert request.headers["content-type"] == "application/json"
    assert all(statement["version"] == "1.0.0" for batch in lrs.posted() for statement in batch)
    assert "stored" not in lrs.posted()[0][0] and "authority" not in lrs.posted()[0][0]
    assert states() == [OutboxState.SENT] * 5
    assert set(XapiOutbox.objects.values_list("sent_at", flat=True)) == {clock}
    # Nothing is sent twice.
    assert deliver_due(now=clock + timedelta(hours=1)) == DeliveryReport()
    assert len(lrs.received) == 3


def test_version_2_endpoint_without_trailing_slash_and_module_statement_with_its_event(
    lrs, module_tree, clock
):
    connect(lrs.endpoint.rstrip("/"), xapi_version="2.0.0", batch_size=10)
    complete_module(learner("met"), module_tree)

    assert deliver_due(now=clock) == DeliveryReport(sent=4, batches=1)

    [batch] = lrs.posted()
    assert len(batch) == 5  # four events and the module's own statement
    assert {statement["version"] for statement in batch} == {"2.0.0"}
    assert lrs.received[0].headers["x-experience-api-version"] == "2.0.0"
    assert lrs.received[0].path == "/xAPI/statements"


def test_a_request_never_holds_more_than_batch_size_statements(lrs, module_tree, clock):
    connect(lrs.endpoint, batch_size=1)
    complete_module(learner("met"), module_tree)

    deliver_due(now=clock)

    assert [len(batch) for batch in lrs.posted()] == [1] * 5
    assert states() == [OutboxState.SENT] * 4


def test_a_pass_reads_the_database_a_fixed_number_of_times_per_batch(
    lrs, module_tree, clock, django_assert_num_queries
):
    connect(lrs.endpoint, batch_size=2)
    record(learner("met"), module_tree, 4)
    # One to find the connections; per batch: claim (2), events (1), statements (5), record
    # (2); one last claim that finds nothing. Inside the test's transaction each of the
    # claim's and the record's transactions adds a SAVEPOINT and its RELEASE.
    with django_assert_num_queries(1 + 2 * (10 + 4) + (1 + 2)):
        assert deliver_due(now=clock).batches == 2


def test_connections_take_turns_and_max_batches_stops_the_pass(lrs, module_tree, clock):
    connect(lrs.endpoint, "met", batch_size=1)
    connect(lrs.endpoint, "gmp", batch_size=1)
    met = record(learner("met"), module_tree, 2)
    gmp = record(learner("gmp"), module_tree, 2)

    assert deliver_due(now=clock, max_batches=3) == DeliveryReport(sent=3, batches=3)
    assert lrs.posted_ids() == [[met[0]], [gmp[0]], [met[1]]]


# --- The LRS's answers ------------------------------------------------------------------------


def test_409_sends_one_by_one_and_counts_the_conflicting_statement_as_sent(lrs, module_tree, clock):
    connect(lrs.endpoint)
    ids = record(learner("met"), module_tree, 3)
    lrs.stored[ids[1]] = {"id": ids[1], "verb": {"id": "http://example.org/other"}}

    assert deliver_due(now=clock) == DeliveryReport(sent=3, batches=1)

    assert lrs.posted_ids() == [ids, [ids[0]], [ids[1]], [ids[2]]]
    assert states() == [OutboxState.SENT] * 3
    conflicting = row(ids[1])
    assert conflicting.last_status == 409
    assert conflicting.last_answer.startswith("Counted as sent: the LRS already holds")
    assert f"Differing statements already exist with the same ID: {ids[1]}" in (
        conflicting.last_answer
    )


def test_an_identical_repeat_is_sent_without_complaint(lrs, module_tree, clock):
    """At least once: the LRS answers 204 to a statement it holds as it is."""
    connect(lrs.endpoint)
    ids = record(learner("met"), module_tree, 2)
    deliver_due(now=clock)
    # As when a worker died after sending, before recording: the rows are pending again.
    XapiOutbox.objects.update(state=OutboxState.PENDING)

    assert deliver_due(now=clock + timedelta(seconds=1)).sent == 2
    assert lrs.posted_ids() == [ids, ids]
    assert row(ids[0]).last_status == 204


def test_400_halves_the_batch_until_the_rejected_statement_is_alone(lrs, module_tree, clock):
    connect(lrs.endpoint)
    ids = record(learner("met"), module_tree, 4)
    lrs.reject.add(ids[2])

    assert deliver_due(now=clock) == DeliveryReport(sent=3, failed=1, batches=1)

    assert lrs.posted_ids() == [ids, ids[:2], ids[2:], [ids[2]], [ids[3]]]
    rejected = row(ids[2])
    assert (rejected.state, rejected.attempts, rejected.last_status) == (
        OutboxState.PENDING,
        1,
        400,
    )
    assert rejected.last_answer == json.dumps({"detail": f"Invalid statement {ids[2]}"})
    assert [row(i).state for i in (ids[0], ids[1], ids[3])] == [OutboxState.SENT] * 3


@pytest.mark.parametrize(
    ("reply", "status", "answer"),
    [
        (Reply(503, "Service Unavailable"), 503, "Service Unavailable"),
        (
            Reply(401, {"detail": "Invalid authentication credentials"}),
            401,
            '{"detail": "Invalid auth',
        ),
        (
            Reply(
                302,
                "",
            ),
            302,
            "The LRS redirects to",
        ),
        (Reply(close=True), None, "Could not reach the LRS"),
        (Reply(200, [], delay=2), None, "No answer from the LRS within 1 seconds."),
    ],
    ids=["503", "401", "redirect", "connection closed", "timeout"],
)
def test_a_failing_lrs_fails_the_batch_and_is_not_tried_again_in_the_pass(
    lrs, module_tree, clock, settings, reply, status, answer
):
    settings.XAPI_TIMEOUT_SECONDS = 1
    connect(lrs.endpoint, batch_size=1)
    ids = record(learner("met"), module_tree, 3)
    lrs.script = [reply]

    assert deliver_due(now=clock) == DeliveryReport(failed=1, batches=1)

    assert len(lrs.posted()) == 1
    failed = row(ids[0])
    assert (failed.state, failed.attempts, failed.last_status) == (OutboxState.PENDING, 1, status)
    assert failed.last_answer.startswith(answer)
    # The others were not claimed: due now, no attempt used.
    assert [(row(i).attempts, row(i).next_attempt_at <= clock) for i in ids[1:]] == [(0, True)] * 2


def test_backoff_doubles_from_the_base_up_to_the_cap_then_the_row_is_dead(
    lrs, module_tree, clock, settings
):
    settings.XAPI_RETRY_BASE_SECONDS = 30
    settings.XAPI_RETRY_MAX_SECONDS = 100
    settings.XAPI_MAX_ATTEMPTS = 5
    connect(lrs.endpoint)
    [event_id] = record(learner("met"), module_tree, 1)
    lrs.script = [Reply(500, "Internal Server Error")] * 5

    now, waits = clock, []
    for _ in range(4):
        assert deliver_due(now=now) == DeliveryReport(failed=1, batches=1)
        due = row(event_id).next_attempt_at
        waits.append((due - now).total_seconds())
        # Not due before its time: no request.
        assert deliver_due(now=due - timedelta(seconds=1)) == DeliveryReport()
        now = due
    for wait, expected in zip(waits, [30, 60, 100, 100], strict=True):
        assert expected <= wait <= expected * 1.1  # plus up to a tenth of jitter

    assert deliver_due(now=now) == DeliveryReport(dead=1, batches=1)
    dead = row(event_id)
    assert (dead.state, dead.attempts, dead.last_status) == (OutboxState.DEAD, 5, 500)
    assert deliver_due(now=now + timedelta(days=30)) == DeliveryReport()
    assert len(lrs.posted()) == 5


def test_retry_makes_dead_letters_due_again_all_or_selected_and_is_audited(
    lrs, module_tree, clock, settings
):
    settings.XAPI_MAX_ATTEMPTS = 1
    met = connect(lrs.endpoint)
    gmp = connect(lrs.endpoint, "gmp")
    ids = record(learner("met"), module_tree, 3)
    [other] = record(learner("gmp"), module_tree, 1)
    lrs.script = [Reply(500)] * 2
    assert deliver_due(now=clock).dead == 4
    admin = UserFactory(is_superuser=True)

    chosen = row(ids[1]).pk
    assert services.outbox_retry(connection=met, entry_ids=[chosen, row(other).pk], user=admin) == 1
    assert (row(ids[1]).state, row(ids[1]).attempts) == (OutboxState.PENDING, 0)
    assert [row(i).state for i in (ids[0], ids[2], other)] == [OutboxState.DEAD] * 3

    assert services.outbox_retry(connection=met, user=admin) == 2
    assert deliver_due().sent == 3
    assert row(other).state == OutboxState.DEAD
    assert services.outbox_retry(connection=met, user=admin) == 0  # nothing left: not audited
    audits = AuditEvent.objects.filter(action=AuditAction.LRS_RETRY)
    assert list(audits.values_list("user_id", "force_code")) == [(admin.pk, "met")] * 2
    assert gmp.outbox.get().state == OutboxState.DEAD


# --- Erasure, pausing, secrets ----------------------------------------------------------------


def test_a_row_whose_learner_was_erased_is_cancelled_and_nothing_is_sent(lrs, module_tree, clock):
    connect(lrs.endpoint)
    user, other = learner("met"), learner("met")
    [erased] = record(user, module_tree, 1)
    [kept] = record(other, module_tree, 1)
    # An erasure that ran while the sender held the row: the profile is erased, the row not
    # yet cancelled.
    LearnerProfile.objects.filter(user=user).update(erased_at=timezone.now())

    assert deliver_due(now=clock) == DeliveryReport(sent=1, cancelled=1, batches=1)
    assert lrs.posted_ids() == [[kept]]
    assert row(erased).state == OutboxState.CANCELLED


def test_an_erasure_stops_sending_what_is_queued(lrs, module_tree, clock):
    connect(lrs.endpoint)
    user = learner("met")
    record(user, module_tree, 2)
    services.learner_erase(user=user)

    assert deliver_due(now=clock) == DeliveryReport()
    assert lrs.received == []
    assert states() == [OutboxState.CANCELLED] * 2


def test_a_paused_connection_sends_nothing_but_keeps_queueing(lrs, module_tree, clock):
    connection = connect(lrs.endpoint, enabled=False)
    user = learner("met")
    record(user, module_tree, 1)
    assert deliver_due(now=clock) == DeliveryReport()
    record(user, module_tree, 1)
    assert lrs.received == [] and states() == [OutboxState.PENDING] * 2

    connection.enabled = True
    connection.save()
    assert deliver_due(now=clock).sent == 2


def test_the_secret_can_come_from_an_environment_variable(lrs, module_tree, clock, monkeypatch):
    connect(lrs.endpoint, secret_encrypted="", secret_env="LRS_SECRET_MET")
    [event_id] = record(learner("met"), module_tree, 1)

    assert deliver_due(now=clock) == DeliveryReport(failed=1, batches=1)
    assert lrs.received == []
    assert row(event_id).last_answer == (
        "The environment variable LRS_SECRET_MET is not set on this server."
    )

    monkeypatch.setenv("LRS_SECRET_MET", "from-the-environment")
    assert deliver_due(now=clock + timedelta(hours=1)).sent == 1
    basic = base64.b64encode(f"{USERNAME}:from-the-environment".encode()).decode()
    assert lrs.received[0].headers["authorization"] == f"Basic {basic}"


def test_the_secret_never_reaches_last_answer_and_long_answers_are_shortened(
    lrs, module_tree, clock
):
    connect(lrs.endpoint)
    ids = record(learner("met"), module_tree, 2)
    basic = base64.b64encode(f"{USERNAME}:{SECRET}".encode()).decode()
    lrs.script = [Reply(500, f"Bad request from Basic {basic} (password {SECRET})")]

    deliver_due(now=clock)
    answer = row(ids[0]).last_answer
    assert SECRET not in answer and basic not in answer
    assert answer == "Bad request from Basic [secret] (password [secret])"

    lrs.script = [Reply(502, "x" * 5000)]
    deliver_due(now=clock + timedelta(hours=1))
    assert len(row(ids[0]).last_answer) == 2000


# --- The learner is never held up -------------------------------------------------------------


def test_a_progress_post_succeeds_while_the_lrs_is_down_and_its_row_waits(module_tree, clock):
    connect(f"http://127.0.0.1:{free_port()}/xAPI/")  # nothing listens there
    user = learner("met")
    client = signed_in_api_client(user)
    body = {"id": str(uuid.uuid4()), "lesson": module_tree.lessons[0].pk, "verb": "experienced"}

    response = client.post(
        "/api/v1/progress/", json.dumps(body), "application/json", HTTP_X_CSRFTOKEN=CSRF_TOKEN
    )

    assert response.status_code == 201
    waiting = row(body["id"])
    assert (waiting.state, waiting.attempts) == (OutboxState.PENDING, 0)
    assert deliver_due(now=clock) == DeliveryReport(failed=1, batches=1)
    assert row(body["id"]).last_answer.startswith("Could not reach the LRS")


# --- The command and the connection test ------------------------------------------------------


def test_deliver_xapi_once_prints_what_it_did(lrs, module_tree, capsys):
    connect(lrs.endpoint)
    record(learner("met"), module_tree, 2)

    call_command("deliver_xapi", "--once")

    assert "1 batch(es): 2 sent, 0 to retry, 0 dead, 0 cancelled" in capsys.readouterr().out
    assert states() == [OutboxState.SENT] * 2


def test_connection_test_names_what_is_wrong(module_tree):
    with ScriptedLrs(credentials=(USERNAME, SECRET)) as lrs:
        connection = connect(lrs.endpoint)
        assert connection_test(connection) == (
            True,
            "Connected: the LRS accepted the username and secret. It supports xAPI 1.0.3, 2.0.0.",
        )
        assert [r.path for r in lrs.received] == ["/xAPI/about", "/xAPI/statements?limit=1"]
        assert lrs.received[0].headers["x-experience-api-version"] == "1.0.3"

        connection.secret_encrypted = encrypt("wrong")
        ok, message = connection_test(connection)
        assert not ok and message.startswith("The LRS refused the username or secret (401)")

    with ScriptedLrs(versions=["1.0.3"]) as lrs:
        connection.endpoint, connection.xapi_version = lrs.endpoint, "2.0.0"
        assert connection_test(connection) == (
            False,
            "The LRS supports xAPI 1.0.3, not 2.0.0: choose a version it supports.",
        )
    with ScriptedLrs(about_status=404) as lrs:  # no /about, as Ralph
        connection.endpoint = lrs.endpoint
        assert connection_test(connection)[0] is True

    connection.endpoint = f"http://127.0.0.1:{free_port()}/xAPI/"
    ok, message = connection_test(connection)
    assert not ok and message.startswith("Could not reach the LRS")
