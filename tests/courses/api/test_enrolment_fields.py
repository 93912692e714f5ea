"""Required modules in the managers' API: `required`, `due_at` and `overdue` on completion rows
(JSON and CSV) with their filters, and required and overdue counts in the force summary."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from courses import selectors, services
from courses.models import ModuleProgress, Pathway, PathwayStep
from tests.conftest import build_module_tree, complete_module
from tests.factories import api_key, force, learner

COMPLETIONS = reverse("manager-force-completions", kwargs={"code": "met"})
SUMMARY = reverse("manager-force-summary", kwargs={"code": "met"})
FUTURE = datetime(2099, 1, 12, 9, 0, tzinfo=UTC)


def get(client, key, url=COMPLETIONS, **params):
    return client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def key(db):
    return api_key("met").key


@pytest.fixture
def enrolled(home_page):
    """PCSOs must take Leadership. In the Met: one overdue, one due in the future, one who
    completed it late (not overdue), and an officer taking it by choice; in GMP an overdue
    PCSO whose row the Met's key must never see or count."""
    leadership = build_module_tree(home_page, title="Leadership")
    voices = build_module_tree(home_page, title="Voices")
    pathway = Pathway.objects.create(role="pcso")
    PathwayStep.objects.create(pathway=pathway, module=leadership.module)
    late, on_time, done = (learner("met", role="pcso") for _ in range(3))
    chosen = learner("met")
    gmp_late = learner("gmp", role="pcso")
    services.enrolments_sync()
    complete_module(done, leadership)
    complete_module(chosen, leadership)
    complete_module(on_time, voices)  # optional, never overdue
    past = timezone.now() - timedelta(days=3)
    ModuleProgress.objects.filter(learner__in=[late, done, gmp_late]).filter(
        module=leadership.module
    ).update(due_at=past)
    ModuleProgress.objects.filter(learner=on_time, module=leadership.module).update(due_at=FUTURE)
    rows = {
        name: ModuleProgress.objects.get(learner=user, module=leadership.module)
        for name, user in (("late", late), ("on_time", on_time), ("done", done), ("chosen", chosen))
    }
    rows["optional"] = ModuleProgress.objects.get(learner=on_time, module=voices.module)
    return {
        "tree": leadership,
        "leadership": leadership.module,
        "voices": voices.module,
        "past": past,
        **rows,
    }


def by_id(response):
    return {row["id"]: row for row in response.json()["results"]}


# --- Completion rows --------------------------------------------------------------------------


def test_rows_carry_required_due_at_and_overdue(client, key, enrolled):
    rows = by_id(get(client, key))

    late = rows[enrolled["late"].pk]
    assert late["required"] is True and late["overdue"] is True
    assert late["status"] == "not_started"  # enrolled, never opened
    assert late["due_at"] == enrolled["past"].astimezone(UTC).isoformat().replace("+00:00", "Z")
    on_time = rows[enrolled["on_time"].pk]
    assert on_time == {**on_time, "required": True, "due_at": "2099-01-12T09:00:00Z"}
    assert on_time["overdue"] is False
    done = rows[enrolled["done"].pk]
    assert (done["required"], done["overdue"], done["status"]) == (True, False, "completed")
    for name in ("chosen", "optional"):
        row = rows[enrolled[name].pk]
        assert (row["required"], row["due_at"], row["overdue"]) == (False, None, False)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"required": "true"}, {"late", "on_time", "done"}),
        ({"required": "false"}, {"chosen", "optional"}),
        ({"overdue": "true"}, {"late"}),
        ({"overdue": "false"}, {"on_time", "done", "chosen", "optional"}),
        ({"required": "true", "status": "completed"}, {"done"}),
        ({"overdue": "true", "role": "response-officer"}, set()),
    ],
)
def test_filters_required_and_overdue(client, key, enrolled, params, expected):
    response = get(client, key, **params)

    assert response.status_code == 200
    assert set(by_id(response)) == {enrolled[name].pk for name in expected}


@pytest.mark.parametrize("name", ["required", "overdue"])
@pytest.mark.parametrize("value", ["yes", "1", "True", "maybe"])
def test_bad_boolean_values_get_400_naming_the_allowed_values(client, key, enrolled, name, value):
    response = get(client, key, **{name: value})

    assert response.status_code == 400
    assert response.json() == {name: [f"Unknown {name} {value}; use true or false."]}


@pytest.mark.parametrize("name", ["required", "overdue"])
def test_an_empty_boolean_gets_400(client, key, enrolled, name):
    response = get(client, key, **{name: ""})

    assert response.status_code == 400
    assert response.json() == {name: ["Give a value, or leave the parameter out."]}


def test_csv_has_the_same_columns_and_values(client, key, enrolled):
    response = get(client, key, format="csv", overdue="true")
    lines = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert list(lines[0])[-3:] == ["required", "due_at", "overdue"]
    assert len(lines) == 1
    json_row = by_id(get(client, key, overdue="true"))[enrolled["late"].pk]
    assert lines[0]["required"] == "True" and lines[0]["overdue"] == "True"
    assert lines[0]["due_at"] == json_row["due_at"]


def test_overdue_follows_the_clock(client, key, enrolled):
    """A row is overdue from the moment its due time passes; no job has to mark it."""
    ModuleProgress.objects.filter(pk=enrolled["on_time"].pk).update(
        due_at=timezone.now() - timedelta(seconds=1)
    )
    assert set(by_id(get(client, key, overdue="true"))) == {
        enrolled["late"].pk,
        enrolled["on_time"].pk,
    }


# --- Force summary ----------------------------------------------------------------------------


def test_summary_counts_required_and_overdue_per_module_and_in_total(client, key, enrolled):
    body = get(client, key, SUMMARY).json()

    leadership, voices = body["modules"]
    assert (leadership["required"], leadership["overdue"]) == (3, 1)  # GMP's is not counted
    assert (voices["required"], voices["overdue"]) == (0, 0)
    assert (body["totals"]["required"], body["totals"]["overdue"]) == (3, 1)
    gmp = selectors.force_summary(force=force("gmp"))
    assert (gmp.modules[0].required, gmp.modules[0].overdue) == (1, 1)


def test_summary_counts_still_ignore_rows_nobody_started(client, key, enrolled):
    """Creating enrolments (not-started rows) leaves the progress figures as they were."""
    leadership = get(client, key, SUMMARY).json()["modules"][0]
    # 4 Met learners (3 PCSOs and the officer): 2 completed Leadership.
    assert leadership["learners"] == 4
    assert (leadership["completed"], leadership["in_progress"]) == (2, 0)
    assert leadership["not_started"] == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_the_summary_reads_required_rows_from_their_index(enrolled):
    from django.db.models import Count

    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a tiny table would be scanned otherwise
        try:
            plan = (
                ModuleProgress.objects.filter(
                    force=force("met"), required=True, module_id__in=[enrolled["leadership"].pk]
                )
                .values("module_id")
                .annotate(enrolled=Count("pk"), late=Count("pk", filter=selectors.overdue_q()))
                .order_by()
                .explain()
            )
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "moduleprogress_required_idx" in plan


def test_a_learner_who_finishes_leaves_the_overdue_count(client, key, enrolled):
    complete_module(enrolled["late"].learner, enrolled["tree"])

    leadership = get(client, key, SUMMARY).json()["modules"][0]
    assert (leadership["required"], leadership["overdue"]) == (3, 0)
    row = by_id(get(client, key))[enrolled["late"].pk]
    assert (row["status"], row["overdue"], row["required"]) == ("completed", False, True)
