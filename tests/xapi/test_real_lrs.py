"""Delivery to a real LRS (Ralph, tests/xapi/lrs.py): the demo's ledger arrives whole and as
we read it ourselves, and an LRS killed in the middle of delivery still ends up with every
statement exactly once, while learners' progress keeps being recorded and queued.

The round trip compares what Ralph holds with what a manager reads from our own Statement
Resource (GET /xapi/statements). The demo is seeded once for the module, with a paused
connection to Ralph for two of its forces (a paused connection still queues); each test
resumes the one it delivers for, so the forces' statements never mix. Ralph keeps what
earlier tests sent: each test reads back the statements of its own force, and counts every
id Ralph holds.
"""

import uuid
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from courses.models import LessonPage, LrsConnection, OutboxState, ProgressEvent, XapiOutbox
from courses.xapi.delivery import deliver_due
from courses.xapi.iris import force_extension_iri
from courses.xapi.secrets import encrypt
from courses.xapi.statements import EVENT_FIELDS, statements
from tests.conftest import CSRF_TOKEN, signed_in_api_client
from tests.factories import api_key, force
from tests.xapi.read_api import read_all

pytestmark = pytest.mark.django_db

# What a statement says, as both sides must agree on it (the LRS sets stored and authority).
COMPARED = ("actor", "verb", "object", "result", "context", "timestamp", "version")
ROUNDS = 100  # more than any delivery here needs; a loop that never ends fails instead


@pytest.fixture(scope="module")
def demo(ralph_server, django_db_setup, django_db_blocker, tmp_path_factory):
    """seed_demo once, with met's and gmp's paused connections to Ralph already in place, in
    a transaction rolled back when the module ends."""
    media = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        for code in ("met", "gmp"):
            LrsConnection.objects.create(
                force=force(code),
                enabled=False,
                endpoint=ralph_server.endpoint,
                username=ralph_server.username,
                secret_encrypted=encrypt(ralph_server.password),
            )
        call_command("seed_demo", "--learners-per-force", "2", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def resume(code: str, **fields) -> LrsConnection:
    connection = LrsConnection.objects.get(force__code=code)
    for name, value in {"enabled": True, **fields}.items():
        setattr(connection, name, value)
    connection.save()
    return connection


def due(connection, now) -> bool:
    return XapiOutbox.objects.filter(
        connection=connection, state=OutboxState.PENDING, next_attempt_at__lte=now
    ).exists()


def deliver_until_nothing_is_due(connection, now=None) -> list:
    reports = []
    for _ in range(ROUNDS):
        if not due(connection, now or timezone.now()):
            return reports
        reports.append(deliver_due(now=now))
    pytest.fail(f"still due after {ROUNDS} rounds of delivery: {reports[-3:]}")


def expected_statements(connection) -> dict[str, dict]:
    """The connection's statements as we build them (courses.xapi.statements), by id."""
    owed = XapiOutbox.objects.filter(connection=connection).values("event_id")
    events = ProgressEvent.objects.filter(pk__in=owed).only(*EVENT_FIELDS)
    built = statements(
        events.order_by("recorded_at", "id"),
        version=connection.xapi_version,
        actor_format=connection.actor_format,
        for_lrs=True,
    )
    return {statement["id"]: statement for statement in built}


def read_api_statements(code: str) -> dict[str, dict]:
    """The force's statements as a manager reads them from GET /xapi/statements (1.0.3)."""
    found = read_all(Client(), api_key(code).key)
    return {statement["id"]: statement for statement in found}


def held_by_force(held: list[dict], code: str) -> list[dict]:
    extension = force_extension_iri()
    return [s for s in held if s["context"]["extensions"][extension]["code"] == code]


def assert_each_id_once(held: list[dict]) -> None:
    doubles = {id_: n for id_, n in Counter(s["id"] for s in held).items() if n > 1}
    assert doubles == {}


def compared(statement: dict) -> dict:
    return {key: statement.get(key) for key in COMPARED}


def test_the_demo_ledger_arrives_whole_and_as_we_read_it(demo, ralph_lrs):
    connection = resume("met")
    expected = read_api_statements("met")
    assert len(expected) > 10  # the demo's met learners have trained
    assert set(expected) == set(expected_statements(connection))  # every one was queued

    deliver_until_nothing_is_due(connection)

    states = Counter(XapiOutbox.objects.filter(connection=connection).values_list("state"))
    assert states == {(OutboxState.SENT,): XapiOutbox.objects.filter(connection=connection).count()}
    held = ralph_lrs.statements()
    assert_each_id_once(held)
    mine = {statement["id"]: statement for statement in held_by_force(held, "met")}
    assert set(mine) == set(expected)
    for statement_id, statement in mine.items():
        assert compared(statement) == compared(expected[statement_id])


def record_progress(user) -> uuid.UUID:
    """A learner's progress POST, as the lesson page's script sends it."""
    lesson = LessonPage.objects.live().order_by("path").first()
    event_id = uuid.uuid4()
    response = signed_in_api_client(user).post(
        "/api/v1/progress/",
        {"id": str(event_id), "lesson": lesson.pk, "verb": "experienced"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=CSRF_TOKEN,
    )
    assert response.status_code == 201, response.content
    return event_id


def test_an_lrs_killed_mid_delivery_still_gets_every_statement_once(demo, ralph_lrs):
    connection = resume("gmp", batch_size=3, xapi_version="2.0.0")
    owed = XapiOutbox.objects.filter(connection=connection)
    assert owed.count() > 3 * 3  # several batches

    first = deliver_due(max_batches=1)
    assert (first.sent, first.failed, first.batches) == (3, 0, 1)
    ralph_lrs.kill()

    down = deliver_due()
    assert down.sent == 0 and down.failed > 0 and down.dead == 0
    failed = owed.filter(state=OutboxState.PENDING, attempts__gte=1)
    assert failed.count() == down.failed
    assert not failed.filter(next_attempt_at__lte=timezone.now()).exists()  # backing off
    # Learners carry on: their progress is recorded and queued while the LRS is down.
    learner = ProgressEvent.objects.filter(force__code="gmp").latest("recorded_at").learner
    recorded = record_progress(learner)
    assert owed.filter(event_id=recorded, state=OutboxState.PENDING).exists()

    ralph_lrs.start()
    later = timezone.now() + timedelta(days=1)  # beyond any backoff
    deliver_until_nothing_is_due(connection, now=later)

    assert not owed.exclude(state=OutboxState.SENT).exists()
    held = ralph_lrs.statements()
    assert_each_id_once(held)
    expected = expected_statements(connection)
    assert {s["id"] for s in held_by_force(held, "gmp")} == set(expected)
    assert str(recorded) in expected
