"""A learner cannot forge when they completed: occurred_at is bounded (an offline window, and
never before the account existed), and reports and certificates use the server's clock."""

import json
import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from courses.models import LessonProgress, ModuleProgress, ProgressEvent
from tests.conftest import CSRF_TOKEN, signed_in_api_client
from tests.factories import api_key, learner

pytestmark = pytest.mark.django_db

URL = "/api/v1/progress/"
COMPLETIONS = reverse("manager-force-completions", kwargs={"code": "met"})


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


@pytest.fixture
def officer():
    return learner("met", user__date_joined=timezone.now() - timedelta(days=60))


def post(client, body):
    return client.post(
        URL, json.dumps(body), content_type="application/json", HTTP_X_CSRFTOKEN=CSRF_TOKEN
    )


def iso(at) -> str:
    return at.isoformat().replace("+00:00", "Z")


def module_events(tree, at: str | None) -> list[dict]:
    """Every lesson completed and the check answered rightly, each dated `at` if given."""
    events = [{"lesson": lesson.pk, "verb": "completed"} for lesson in tree.lessons]
    answer = {"block_id": tree.check_block_id, "answers": [1]}
    events.append({"lesson": tree.lessons[-1].pk, "verb": "answered", "result": answer})
    dated = {"occurred_at": at} if at else {}
    return [{"id": str(uuid.uuid4()), **event, **dated} for event in events]


def completions(**filters) -> set[int]:
    key = api_key("met").key
    response = Client().get(COMPLETIONS, filters, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("at", ["1900-01-01T00:00:00Z", "2000-01-01T00:00:00Z"])
def test_a_single_event_from_long_ago_is_400_naming_occurred_at(officer, module_tree, at):
    body = module_events(module_tree, at)[0]
    response = post(signed_in_api_client(officer), body)
    assert response.status_code == 400
    assert "more than 14 days ago" in response.json()["occurred_at"][0]
    assert not ProgressEvent.objects.exists()


def test_a_batch_with_one_event_from_long_ago_is_400_naming_it(officer, module_tree):
    batch = module_events(module_tree, None)
    batch[2]["occurred_at"] = "1900-01-01T00:00:00Z"
    response = post(signed_in_api_client(officer), batch)
    assert response.status_code == 400
    assert list(response.json()) == ["2"]
    assert "more than 14 days ago" in response.json()["2"]["occurred_at"][0]
    assert not (ProgressEvent.objects.exists() or ModuleProgress.objects.exists())


def test_an_event_dated_before_the_account_existed_is_400(module_tree):
    newcomer = learner("met", user__date_joined=timezone.now() - timedelta(days=2))
    body = module_events(module_tree, iso(timezone.now() - timedelta(days=5)))[0]
    response = post(signed_in_api_client(newcomer), body)
    assert response.status_code == 400
    assert "before your account was created" in response.json()["occurred_at"][0]
    assert not ProgressEvent.objects.exists()


def test_offline_events_within_the_window_count_at_the_time_they_arrive(officer, module_tree):
    """The batch path: a device that was offline for 13 days catches up. Its times stay in the
    ledger; the completion, the certificate and the managers' report are dated today."""
    before = timezone.now()
    offline = timezone.now() - timedelta(days=13)
    response = post(signed_in_api_client(officer), module_events(module_tree, iso(offline)))
    assert response.status_code == 201, response.content
    assert {event.occurred_at for event in ProgressEvent.objects.all()} == {offline}

    row = ModuleProgress.objects.get(learner=officer)
    assert row.certificate_code and row.completed_at >= before and row.started_at >= before
    assert all(at >= before for at in LessonProgress.objects.values_list("completed_at", flat=True))

    yesterday = (timezone.now() - timedelta(days=1)).date().isoformat()
    assert completions(completed_before=yesterday) == set()
    assert completions(completed_after=yesterday) == {row.pk}

    client = Client()
    client.force_login(officer)
    certificate = client.get(reverse("courses:certificate", args=[module_tree.module.pk]))
    text = certificate.content.decode()
    local = timezone.localtime(row.completed_at)
    assert date_format(local, "j F Y") in text
    assert date_format(timezone.localtime(offline), "j F Y") not in text


def test_a_single_event_within_the_window_keeps_the_devices_time_in_the_ledger(
    officer, module_tree
):
    offline = (timezone.now() - timedelta(days=3)).replace(microsecond=0)
    response = post(signed_in_api_client(officer), module_events(module_tree, iso(offline))[0])
    assert response.status_code == 201
    data = response.json()
    assert data["occurred_at"] == iso(offline)
    assert data["module_progress"]["started_at"] == data["recorded_at"]


def test_the_web_forms_date_a_completion_by_the_server(officer, module_tree):
    """The lesson forms take no time from the browser: a posted occurred_at is ignored."""
    client = Client()
    client.force_login(officer)
    before = timezone.now()
    for lesson in module_tree.lessons:
        response = client.post(
            reverse("courses:lesson_complete", args=[lesson.pk]),
            {"event_id": str(uuid.uuid4()), "occurred_at": "1900-01-01T00:00:00Z"},
        )
        assert response.status_code == 302
    client.post(
        reverse("courses:lesson_answer", args=[module_tree.lessons[-1].pk]),
        {"block_id": module_tree.check_block_id, "answer": ["1"], "occurred_at": "1900-01-01"},
    )
    row = ModuleProgress.objects.get(learner=officer)
    assert row.completed_at >= before
    assert all(event.occurred_at >= before for event in ProgressEvent.objects.all())
    assert completions(completed_before="2000-01-01") == set()
    page = client.get(reverse("courses:certificate", args=[module_tree.module.pk]))
    assert "1900" not in page.content.decode()
