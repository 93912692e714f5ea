"""GET /api/v1/forces/<code>/survey-results/: k-anonymous figures as JSON and CSV, filters
checked, scope kept, reads logged."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import ApiAccessLog
from tests.courses.survey_data import make_survey, pairs
from tests.factories import api_key, force

URL = reverse("manager-force-survey-results", kwargs={"code": "met"})


def get(client, key, url=URL, **params):
    return client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {key}")


def last_month(n=1) -> datetime.date:
    day = timezone.localdate().replace(day=1)
    for _ in range(n):
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    return day


@pytest.fixture
def results(home_page):
    survey = make_survey(home_page, statements=2)
    met = force("met")
    pairs(survey, force=met, role="pcso", n=14, pre_day=last_month(2), post_day=last_month(1))
    pairs(survey, force=met, role="staff", n=3, pre_day=last_month(2), post_day=last_month(2))
    return survey


def test_json_per_statement_with_withheld_figures_null(client, results):
    key = api_key("met").key

    body = get(client, key).json()

    assert body["force"] == "met" and body["months"] == [
        last_month(2).strftime("%Y-%m"),
        last_month(1).strftime("%Y-%m"),
    ]
    first = body["statements"][0]
    assert first["text"] == "Statement 1"
    assert first["stages"]["post"]["counts"]["value"]["agree"] == 17  # every group
    staff = get(client, key, role_group="staff-other").json()["statements"][0]
    assert staff["paired_shift"] == {
        "value": None,
        "learners": None,
        "suppressed": "fewer-than-k",
        "as_of": staff["paired_shift"]["as_of"],
    }
    assert "fewer-than-k" in body["suppression_reasons"]
    assert ApiAccessLog.objects.filter(endpoint=URL).count() == 2


def test_csv_one_row_per_statement_and_stage(client, results):
    response = get(client, api_key("met").key, format="csv")

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert response["Content-Type"].startswith("text/csv")
    assert [(r["statement"], r["stage"]) for r in rows][:3] == [
        ("Statement 1", "pre"),
        ("Statement 1", "post"),
        ("Statement 1", "follow-up"),
    ]
    assert rows[1]["paired_shift"] == "2.0" and rows[1]["paired_learners"] == "17"
    assert rows[2]["mean"] == "" and rows[2]["respondents"] == ""


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"month": "2025-13"}, "month"),
        ({"month": "last"}, "month"),
        ({"month": "2001-01"}, "month"),
        ({"role_group": "champions"}, "role_group"),
    ],
)
def test_bad_filters_are_400_with_the_allowed_values(client, results, params, field):
    response = get(client, api_key("met").key, **params)

    assert response.status_code == 400
    assert field in response.json()
    if params.get("month") == "2001-01":
        assert last_month(1).strftime("%Y-%m") in response.json()["month"][0]


def test_another_force_is_404(client, results):
    response = get(client, api_key("gmp").key)

    assert response.status_code == 404
    assert "statements" not in response.json()


def test_query_count_is_pinned(client, results, django_assert_num_queries):
    key = api_key("met").key
    get(client, key)  # warm the key's last-used stamp
    # the key with its forces (2), survey, statements, answers (3), access log (1)
    with django_assert_num_queries(6):
        response = get(client, key, role_group="frontline")
    assert response.status_code == 200
