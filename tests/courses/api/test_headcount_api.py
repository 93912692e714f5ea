"""PUT/GET /api/v1/forces/<code>/headcount/ (the write scope) and GET .../critical-mass/."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import (
    ApiAccessLog,
    AuditAction,
    AuditEvent,
    Headcount,
    HeadcountSource,
    LearnerRole,
    Pathway,
    PathwayStep,
)
from tests.conftest import build_module_tree, complete_module
from tests.factories import api_key, force, learner

pytestmark = pytest.mark.django_db


def url(name: str, code: str = "met") -> str:
    return reverse(f"manager-force-{name}", kwargs={"code": code})


def put(client, key, body, code="met"):
    return client.put(
        url("headcount", code),
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


def get(client, key, name, code="met", **params):
    return client.get(url(name, code), params, HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def writer():
    return api_key("met", can_write=True)


@pytest.fixture
def today():
    return timezone.localdate()


def test_a_write_key_sets_several_roles_for_a_date(client, writer, today):
    body = {"as_of": today.isoformat(), "headcounts": {"response-officer": 1200, "pcso": 300}}

    response = put(client, writer.key, body)

    assert response.status_code == 200
    assert response.json() == {
        "force": "met",
        "as_of": today.isoformat(),
        "headcounts": {"response-officer": 1200, "pcso": 300},
    }
    stored = Headcount.objects.get(force=force("met"), role="pcso")
    assert (stored.count, stored.source, stored.api_key) == (
        300,
        HeadcountSource.API,
        writer.api_key,
    )
    log = ApiAccessLog.objects.get()
    assert (log.key, log.force.code, log.row_count) == (writer.api_key, "met", 2)
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.HEADCOUNT_SET, api_key_prefix=writer.api_key.prefix
        ).count()
        == 2
    )

    # The same date again replaces; the history keeps other dates.
    put(client, writer.key, {"as_of": today.isoformat(), "headcounts": {"pcso": 310}})
    earlier = (today - datetime.timedelta(days=30)).isoformat()
    put(client, writer.key, {"as_of": earlier, "headcounts": {"pcso": 290}})
    rows = get(client, writer.key, "headcount").json()["headcounts"]
    assert [(r["role"], r["count"], r["as_of"]) for r in rows] == [
        ("pcso", 310, today.isoformat()),
        ("response-officer", 1200, today.isoformat()),
        ("pcso", 290, earlier),
    ]


def test_a_read_only_key_is_refused_with_a_clear_message(client, today):
    reader = api_key("met")
    response = put(client, reader.key, {"as_of": today.isoformat(), "headcounts": {"pcso": 3}})
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    assert not Headcount.objects.exists()
    # It may still read the history.
    assert get(client, reader.key, "headcount").status_code == 200


def test_a_write_key_for_met_cannot_set_gmp(client, today):
    writer = api_key("met", can_write=True)
    response = put(
        client, writer.key, {"as_of": today.isoformat(), "headcounts": {"pcso": 3}}, code="gmp"
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "No Force matches the given query."}
    assert not Headcount.objects.exists()
    assert get(client, writer.key, "headcount", code="gmp").status_code == 404
    assert get(client, writer.key, "critical-mass", code="gmp").status_code == 404


def future(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"as_of": "2026-01-05", "headcounts": {"pcsx": 3}}, {"headcounts": ["pcsx"]}),
        ({"as_of": "2026-01-05", "headcounts": {"not-given": 3}}, {"headcounts": ["not-given"]}),
        ({"as_of": "2026-01-05", "headcounts": {"pcso": -1}}, {"headcounts": ["pcso"]}),
        ({"as_of": "2026-01-05", "headcounts": {"pcso": 2_000_000}}, {"headcounts": ["pcso"]}),
        ({"as_of": "2026-01-05", "headcounts": {"pcso": "12"}}, {"headcounts": ["pcso"]}),
        ({"as_of": "2026-01-05", "headcounts": {"pcso": 1.5}}, {"headcounts": ["pcso"]}),
        ({"as_of": "2026-01-05", "headcounts": {"pcso": None}}, {"headcounts": ["pcso"]}),
        ({"as_of": future(2), "headcounts": {"pcso": 3}}, {"as_of": None}),
        ({"as_of": "30/11/2026", "headcounts": {"pcso": 3}}, {"as_of": None}),
        ({"as_of": "2026-02-30", "headcounts": {"pcso": 3}}, {"as_of": None}),
        ({"as_of": 20261130, "headcounts": {"pcso": 3}}, {"as_of": None}),
        ({"headcounts": {"pcso": 3}}, {"as_of": None}),
        ({"as_of": "2026-01-05", "headcounts": {}}, {"headcounts": None}),
        ({"as_of": "2026-01-05", "headcounts": [3]}, {"headcounts": None}),
        ({"as_of": "2026-01-05"}, {"headcounts": None}),
        ({"as_of": "2026-01-05", "headcounts": {"pcso": 3}, "force": "gmp"}, {"detail": None}),
        ([{"as_of": "2026-01-05"}], {"detail": None}),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_nothing_is_written(client, writer, body, errors):
    body_with_good = body
    if isinstance(body, dict) and isinstance(body.get("headcounts"), dict) and body["headcounts"]:
        # A good figure beside the bad one is not stored either: all or nothing.
        body_with_good = {**body, "headcounts": {"response-officer": 10, **body["headcounts"]}}
    response = put(client, writer.key, body_with_good)

    assert response.status_code == 400
    data = response.json()
    assert set(data) == set(errors)
    for field, roles in errors.items():
        if roles is not None:
            assert set(data[field]) == set(roles)
            assert all(isinstance(m, str) and m for m in data[field][roles[0]])
    assert not Headcount.objects.exists()
    assert not ApiAccessLog.objects.exists()


def test_tomorrow_is_allowed(client, writer):
    assert (
        put(client, writer.key, {"as_of": future(1), "headcounts": {"pcso": 3}}).status_code == 200
    )


def test_headcount_history_as_csv(client, writer, today):
    services.headcount_set(force=force("met"), role="pcso", count=300, as_of=today)
    response = get(client, writer.key, "headcount", format="csv")
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "role,count,as_of,source,recorded_at"
    assert lines[1].startswith(f"pcso,300,{today.isoformat()},admin,")


# --- Critical mass ------------------------------------------------------------------------------


@pytest.fixture
def six_forces(home_page):
    """Six forces with 20 response officers each and 10 + i of them trained, so the national
    benchmark is available; met has a plan launched 30 days ago."""
    tree = build_module_tree(home_page, title="Core", lessons=1)
    PathwayStep.objects.create(
        pathway=Pathway.objects.create(role=LearnerRole.RESPONSE_OFFICER),
        module=tree.module,
        days_to_complete=28,
    )
    today = timezone.localdate()
    for i, code in enumerate(["met", "gmp", "kent", "essex", "merseyside", "cumbria"]):
        services.headcount_set(
            force=force(code),
            role="response-officer",
            count=20,
            as_of=today - datetime.timedelta(days=60),
        )
        for _ in range(10 + i):
            complete_module(learner(code), tree)
    services.critical_mass_plan_save(
        force=force("met"),
        launch_date=today - datetime.timedelta(days=30),
        first_responder_roles=["response-officer", "pcso"],
        target_percent=75,
        window_days=91,
        champion_target_percent=10,
    )
    return today


def test_critical_mass_with_the_benchmark(client, six_forces, django_assert_num_queries):
    key = api_key("met").key
    today = six_forces
    get(client, key, "critical-mass")  # warm up: the key's last use is recorded once a minute
    cache.clear()
    # Key and its force, the plan, trained by role, headcounts, the benchmark's four (then kept
    # in the cache), the log.
    with django_assert_num_queries(10):
        response = get(client, key, "critical-mass")
    with django_assert_num_queries(6):
        get(client, key, "critical-mass")

    assert response.status_code == 200
    body = response.json()
    assert body["force"] == "met"
    assert (body["state"], body["day"]) == ("in-window", today.isoformat())
    assert (body["trained"], body["headcount"], body["share"]) == (10, 20, 50.0)
    assert (body["target_count"], body["still_needed"]) == (15, 5)
    assert body["deadline"] == (today + datetime.timedelta(days=61)).isoformat()
    assert body["roles"][0] == {
        "role": "response-officer",
        "label": "Response officer",
        "trained": 10,
        "headcount": 20,
        "share": 50.0,
    }
    assert body["roles"][1]["headcount"] is None
    # 50, 55, 60, 65, 70, 75 per cent: the median, never another force's figure by name.
    assert body["benchmark"] == {
        "forces": 6,
        "median": 62.5,
        "lower_quartile": 56.2,
        "upper_quartile": 68.8,
    }
    text = response.content.decode()
    assert "gmp" not in text and "Greater Manchester" not in text and "@" not in text
    assert ApiAccessLog.objects.filter(endpoint=url("critical-mass")).count() == 3


def test_critical_mass_on_a_day_and_as_csv(client, six_forces):
    key = api_key("met").key
    before = (six_forces - datetime.timedelta(days=31)).isoformat()
    body = get(client, key, "critical-mass", day=before).json()
    assert (body["state"], body["day"], body["trained"]) == ("before-launch", before, 0)

    response = get(client, key, "critical-mass", format="csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines == [
        "role,label,trained,headcount,share",
        "response-officer,Response officer,10,20,50.0",
        "pcso,PCSO,0,,",
    ]


@pytest.mark.parametrize("day", ["yesterday", "2026-13-01", "", "2026-1-1"])
def test_a_bad_day_is_a_400(client, day):
    response = get(client, api_key("met").key, "critical-mass", day=day)
    assert response.status_code == 400
    assert list(response.json()) == ["day"]


def test_the_schema_documents_both_endpoints(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    cm = schema["paths"]["/api/v1/forces/{code}/critical-mass/"]["get"]
    assert {"200", "400", "401", "404", "429"} <= set(cm["responses"])
    assert {p["name"] for p in cm["parameters"]} >= {"code", "day", "format"}
    headcount = schema["paths"]["/api/v1/forces/{code}/headcount/"]
    assert {"200", "400", "401", "403", "404"} <= set(headcount["put"]["responses"])
    assert headcount["put"]["security"] == [{"ApiKey": []}]
    assert "200" in headcount["get"]["responses"]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"as_of=2026-01-01", "application/x-www-form-urlencoded"),
        (b"--x\r\n\r\n--x--", "multipart/form-data; boundary=x"),
    ],
)
def test_a_body_that_is_not_json_is_415(client, writer, body, content_type):
    response = client.put(
        url("headcount"),
        data=body,
        content_type=content_type,
        HTTP_AUTHORIZATION=f"Bearer {writer.key}",
    )
    assert response.status_code == 415
    assert "detail" in response.json()
    assert not Headcount.objects.exists()  # nothing written
