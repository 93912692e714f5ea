"""The bench's "progress POST, LRS delivery on" scenario: what bench.delivery gives the bench
learners' forces while it runs, and what it leaves behind."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.delivery import UNUSED_ENDPOINT, lrs_delivery
from bench.scenarios import DELIVERY, PROGRESS, scenarios
from courses.models import LrsConnection, OutboxState, XapiOutbox
from courses.xapi.secrets import connection_secret
from tests.conftest import CSRF_TOKEN, signed_in_api_client
from tests.factories import force, learner

pytestmark = pytest.mark.django_db


def post_event(user, lesson, *, event_id: str):
    client = signed_in_api_client(user)
    return client.post(
        "/api/v1/progress/",
        {"id": event_id, "lesson": lesson.pk, "verb": "experienced"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=CSRF_TOKEN,
    )


def test_each_new_event_is_queued_while_delivery_is_on_and_nothing_is_left_after(module_tree):
    met, gmp = learner("met"), learner("gmp")
    others = learner("psni")
    lesson = module_tree.lessons[0]
    with lrs_delivery([met.pk, gmp.pk]) as ids:
        connections = LrsConnection.objects.filter(pk__in=ids)
        assert sorted(c.force.code for c in connections) == ["gmp", "met"]
        for connection in connections:
            assert connection.enabled
            assert connection.endpoint == UNUSED_ENDPOINT
            assert connection_secret(connection)  # a complete connection, as an admin saves one
        for number, user in enumerate((met, gmp, others)):
            event_id = f"00000000-0000-4000-8000-00000000000{number}"
            assert post_event(user, lesson, event_id=event_id).status_code == 201
        queued = XapiOutbox.objects.filter(state=OutboxState.PENDING)
        assert sorted(queued.values_list("event__learner", flat=True)) == sorted([met.pk, gmp.pk])
    assert not LrsConnection.objects.exists()
    assert not XapiOutbox.objects.exists()


def test_a_force_that_already_delivers_keeps_its_connection_and_its_outbox(module_tree):
    own = LrsConnection.objects.create(
        force=force("met"), endpoint="https://lrs.example/xAPI/", username="k", enabled=False
    )
    met = learner("met")
    with lrs_delivery([met.pk]) as ids:
        assert ids == []
        post_event(met, module_tree.lessons[0], event_id="00000000-0000-4000-8000-000000000001")
    own.refresh_from_db()
    assert (own.endpoint, own.enabled) == ("https://lrs.example/xAPI/", False)
    assert XapiOutbox.objects.filter(connection=own).count() == 1


def test_the_connections_are_removed_when_the_scenario_fails(module_tree):
    met = learner("met")
    with pytest.raises(RuntimeError), lrs_delivery([met.pk]):
        assert LrsConnection.objects.count() == 1
        raise RuntimeError("the load generator failed")
    assert not LrsConnection.objects.exists()


def test_the_delivery_scenario_sends_the_plain_progress_posts_requests():
    data = {
        "lessons": [(1, "/a/"), (2, "/b/")],
        "sessions": [{"user": n, "cookie": f"sessionid=s{n}", "csrf": f"c{n}"} for n in range(3)],
        "keys": ["key"],
        "plain_page": "/plain/",
    }
    every = scenarios(data)
    assert every[DELIVERY] == every[PROGRESS]
    names = list(every)
    assert names.index(DELIVERY) == names.index(PROGRESS) + 1  # measured right after it
    assert json.loads(every[DELIVERY][0]["body"])["id"] == "{uuid}"


def test_delivery_on_costs_a_progress_post_one_insert_into_the_outbox(module_tree):
    """What the scenario measures, counted: the same POST, one statement more (the outbox
    row, in the progress transaction); the connection's look-up happens either way."""
    met = learner("met")
    lesson = module_tree.lessons[0]
    post_event(met, lesson, event_id="00000000-0000-4000-8000-000000000001")  # rows exist now

    def queries_of(event_id):
        with CaptureQueriesContext(connection) as queries:
            assert post_event(met, lesson, event_id=event_id).status_code == 201
        return [query["sql"] for query in queries]

    plain = queries_of("00000000-0000-4000-8000-000000000002")
    with lrs_delivery([met.pk]):
        delivering = queries_of("00000000-0000-4000-8000-000000000003")
    assert len(delivering) == len(plain) + 1
    [extra] = [sql for sql in delivering if "xapioutbox" in sql]
    assert extra.startswith("INSERT")
