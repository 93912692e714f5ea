"""GET /api/v1/forces/<code>/completions/: rows, filters, cursor pages, CSV, audit, throttle."""

import base64
import csv
import io
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from courses.api.manager_views import CompletionCursorPagination
from courses.models import ApiAccessLog, LearnerRole, ProgressStatus
from tests.conftest import build_module_tree
from tests.factories import ModuleProgressFactory, api_key, learner

URL = reverse("manager-force-completions", kwargs={"code": "met"})


def get(client, key, url=URL, **params):
    return client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {key}")


def when(day: int) -> datetime:
    return datetime(2026, 3, day, 12, 0, tzinfo=UTC)


@pytest.fixture
def key(db):
    return api_key("met").key


@pytest.fixture
def report(home_page):
    """Two modules; met learners in each state and role; one gmp row that must never show."""
    leadership = build_module_tree(home_page, title="Leadership").module
    voices = build_module_tree(home_page, title="Voices").module
    pcso = learner("met", role=LearnerRole.PCSO, staff_number="MP00001")
    officer = learner("met", role=LearnerRole.RESPONSE_OFFICER, staff_number="MP00002")
    rows = {
        "pcso_done": ModuleProgressFactory(
            learner=pcso, module=leadership, completed=True, score=90, completed_at=when(2)
        ),
        "pcso_going": ModuleProgressFactory(
            learner=pcso, module=voices, lessons_completed=2, lessons_total=3
        ),
        "officer_done": ModuleProgressFactory(
            learner=officer, module=voices, completed=True, score=70, completed_at=when(20)
        ),
        "officer_new": ModuleProgressFactory(
            learner=officer,
            module=leadership,
            status=ProgressStatus.NOT_STARTED,
            lessons_completed=0,
            started_at=None,
        ),
    }
    ModuleProgressFactory(learner=learner("gmp"), module=leadership, completed=True)
    return {"leadership": leadership, "voices": voices, "pcso": pcso, **rows}


def test_rows_carry_everything_hr_needs(client, key, report):
    response = get(client, key)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    results = response.json()["results"]
    assert [row["id"] for row in results] == sorted(
        report[name].pk for name in ("pcso_done", "pcso_going", "officer_done", "officer_new")
    )
    pcso = report["pcso"]
    assert results[0] == {
        "id": report["pcso_done"].pk,
        "learner_id": pcso.pk,
        "name": f"{pcso.first_name} {pcso.last_name}",
        "email": pcso.email,
        "staff_number": "MP00001",
        "role": "pcso",
        "module": report["leadership"].slug,
        "status": "completed",
        "progress_percent": 100,
        "score": 90,
        "started_at": results[0]["started_at"],
        "completed_at": "2026-03-02T12:00:00Z",
        "required": False,  # no pathway here: see tests/courses/api/test_enrolment_fields.py
        "due_at": None,
        "overdue": False,
    }
    assert results[1]["status"] == "in_progress"
    assert results[1]["progress_percent"] == 66
    assert results[1]["completed_at"] is None
    assert results[3]["status"] == "not_started"
    assert results[3]["started_at"] is None


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_filter_by_module(client, key, report):
    response = get(client, key, module=report["voices"].slug)
    assert ids(response) == {report["pcso_going"].pk, report["officer_done"].pk}


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("completed", {"pcso_done", "officer_done"}),
        ("in_progress", {"pcso_going"}),
        ("not_started", {"officer_new"}),
    ],
)
def test_filter_by_status(client, key, report, status, expected):
    assert ids(get(client, key, status=status)) == {report[name].pk for name in expected}


def test_filter_by_role(client, key, report):
    assert ids(get(client, key, role="pcso")) == {report["pcso_done"].pk, report["pcso_going"].pk}


def test_filter_by_completion_window(client, key, report):
    assert ids(get(client, key, completed_after="2026-03-10T00:00:00Z")) == {
        report["officer_done"].pk
    }
    assert ids(get(client, key, completed_before="2026-03-10")) == {report["pcso_done"].pk}
    window = get(client, key, completed_after="2026-03-01", completed_before="2026-03-31")
    assert ids(window) == {report["pcso_done"].pk, report["officer_done"].pk}


def test_filters_combine(client, key, report):
    response = get(client, key, module=report["leadership"].slug, status="completed", role="pcso")
    assert ids(response) == {report["pcso_done"].pk}


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"status": "done"}, "status", "Unknown status done"),
        ({"role": "sergeant"}, "role", "Unknown role sergeant"),
        ({"module": "no-such-module"}, "module", "No published module has the slug"),
        ({"completed_after": "last tuesday"}, "completed_after", "ISO 8601"),
        ({"completed_before": "2026-13-45"}, "completed_before", "ISO 8601"),
        (
            {"completed_after": "2026-03-10", "completed_before": "2026-03-01"},
            "completed_before",
            "must be later than completed_after",
        ),
    ],
)
def test_bad_filter_values_get_400_with_a_message(client, key, report, params, field, message):
    response = get(client, key, **params)
    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert not ApiAccessLog.objects.exists()


@pytest.mark.parametrize(
    "name", ["status", "module", "role", "completed_after", "completed_before"]
)
def test_an_empty_filter_value_gets_400_naming_it(client, key, report, name):
    """An empty value would filter nothing: a whole force's rows when one was meant."""
    response = get(client, key, **{name: ""})
    assert response.status_code == 400
    assert response.json() == {name: ["Give a value, or leave the parameter out."]}
    assert not ApiAccessLog.objects.exists()


@pytest.mark.parametrize("name", ["completed_after", "completed_before"])
@pytest.mark.parametrize("offset", ["+14:00", "-14:00", "+05:45", "-12:00"])
def test_real_utc_offsets_are_accepted(client, key, report, name, offset):
    assert get(client, key, **{name: f"2026-03-10T00:00:00{offset}"}).status_code == 200


@pytest.mark.parametrize("name", ["completed_after", "completed_before"])
@pytest.mark.parametrize("offset", ["+16:00", "-16:00", "+14:01", "-23:59"])
def test_offsets_beyond_14_hours_get_400_naming_the_field(client, key, report, name, offset):
    """PostgreSQL refuses offsets beyond 15:59 (a 500 before); none beyond 14:00 exist."""
    response = get(client, key, **{name: f"2026-01-01T00:00:00{offset}"})
    assert response.status_code == 400
    assert "UTC offset between -14:00 and +14:00" in response.json()[name][0]


@pytest.mark.parametrize("name", ["completed_after", "completed_before"])
@pytest.mark.parametrize(
    "value", ["2026-01-01T00:00:00+24:00", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"]
)
def test_times_beyond_the_calendar_get_400(client, key, report, name, value):
    response = get(client, key, **{name: value})
    assert response.status_code == 400
    assert "ISO 8601" in response.json()[name][0]


def test_the_offset_is_respected(client, key, report):
    """pcso_done completed 2026-03-02 12:00 UTC, which is 2026-03-03 01:00 at +13:00."""
    rows = ids(get(client, key, completed_after="2026-03-03T00:30:00+13:00"))
    assert report["pcso_done"].pk in rows
    rows = ids(get(client, key, completed_after="2026-03-03T01:30:00+13:00"))
    assert report["pcso_done"].pk not in rows


def test_one_requests_filter_values_or_errors_never_reach_the_next(client, key, report):
    assert get(client, key, status="done").status_code == 400
    assert ids(get(client, key, status="completed")) == {
        report["pcso_done"].pk,
        report["officer_done"].pk,
    }
    assert ids(get(client, key, module=report["voices"].slug)) == {
        report["pcso_going"].pk,
        report["officer_done"].pk,
    }
    assert len(ids(get(client, key))) == 4


def test_unknown_parameter_gets_400(client, key, report):
    response = get(client, key, stauts="completed")
    assert response.status_code == 400
    assert "stauts" in response.json()["detail"]
    assert "status" in response.json()["detail"]


def test_bad_filter_with_csv_format_answers_in_json(client, key, report):
    response = get(client, key, format="csv", status="done")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "status" in response.json()


def test_unpublished_module_slug_is_not_a_valid_filter(client, key, report):
    report["voices"].unpublish()
    assert get(client, key, module=report["voices"].slug).status_code == 400


def test_page_query_count_does_not_grow_with_rows(client, key, report, django_assert_num_queries):
    for _ in range(5):
        ModuleProgressFactory(learner=learner("met"), module=report["voices"], completed=True)
    get(client, key)  # first use of the key records last_used_at
    # 1 key by prefix, 1 force in scope, 1 page of rows with learner and profile joined in,
    # 1 for every module's slug, 1 access-log insert. 9 rows or 4, no query per row.
    with django_assert_num_queries(5):
        assert len(get(client, key).json()["results"]) == 9


def collect(client, key, page_size=2, on_page=None):
    """Follow `next` links; call on_page(n) after each page."""
    seen, url, params, pages = [], URL, {"page_size": page_size}, 0
    while url:
        body = client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {key}").json()
        seen += [row["id"] for row in body["results"]]
        pages += 1
        if on_page:
            on_page(pages)
        url, params = body["next"], {}
    return seen


def test_cursor_pages_are_stable_while_rows_are_added(client, key, report):
    before = {row["id"] for row in get(client, key).json()["results"]}
    added = []

    def add_rows(page):
        added.append(ModuleProgressFactory(learner=learner("met"), module=report["voices"]).pk)

    seen = collect(client, key, page_size=2, on_page=add_rows)
    assert len(seen) == len(set(seen)), "a row was repeated"
    assert before <= set(seen), "a row that existed at the start was skipped"
    assert seen == sorted(seen)


@pytest.mark.parametrize("page_size", ["garbage", "0", "-1", "1001", "1.5", " 2", "9" * 5000, ""])
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_bad_page_size_gets_400_naming_it(client, key, report, page_size, fmt):
    response = get(client, key, page_size=page_size, format=fmt)
    assert response.status_code == 400
    assert response.json() == {
        "page_size": ["Use a whole number from 1 to 1000, or leave it out for 100 rows a page."]
    }


def test_the_largest_page_size_is_accepted(client, key, report):
    assert CompletionCursorPagination.max_page_size == 1000
    assert get(client, key, page_size="1000").status_code == 200
    assert len(get(client, key, page_size="1").json()["results"]) == 1


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "cD1hYmM=",  # p=abc: well-formed base64, a position that is not a row id
        "cD0=",  # p= (empty)
        "cD0tMQ==",  # p=-1
        "cD0xZTk=",  # p=1e9
        "cD05OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5",  # p=9999...: beyond any id
        "cD0AMQ==",  # p=NUL1
        "bz0tMQ==",  # o=-1
        "cj14",  # r=x
    ],
)
def test_a_tampered_cursor_gets_404_with_a_message(client, key, report, cursor):
    response = get(client, key, cursor=cursor)
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid cursor"}


def test_a_forged_cursor_with_a_real_id_is_just_a_position(client, key, report):
    first = min(ids(get(client, key)))
    response = get(client, key, cursor=base64.b64encode(f"p={first}".encode()).decode())
    assert response.status_code == 200
    assert first not in ids(response)


def test_json_page_is_logged_with_filters_and_row_count(client, key, report):
    get(client, key, status="completed", page_size=1)
    entry = ApiAccessLog.objects.get()
    assert entry.force.code == "met"
    assert entry.endpoint == URL
    assert entry.filters == {"status": "completed", "page_size": "1"}
    assert entry.row_count == 1


def csv_rows(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def as_csv(row: dict) -> dict:
    return {key: "" if value is None else str(value) for key, value in row.items()}


@pytest.mark.parametrize("params", [{}, {"status": "completed"}, {"role": "pcso"}])
def test_csv_rows_equal_json_rows(client, key, report, params):
    json_rows = get(client, key, **params).json()["results"]
    response = get(client, key, format="csv", **params)
    assert response.status_code == 200
    assert response.streaming
    assert response["Cache-Control"] == "private, no-store"
    assert 'filename="met-completions.csv"' in response["Content-Disposition"]
    assert csv_rows(response) == [as_csv(row) for row in json_rows]


def test_csv_streams_every_row_beyond_a_page_and_logs_the_count(client, key, report):
    for _ in range(3):
        ModuleProgressFactory(learner=learner("met"), module=report["voices"])
    response = get(client, key, format="csv", page_size=2)
    assert len(csv_rows(response)) == 7
    assert ApiAccessLog.objects.get().row_count == 7


def test_csv_cells_never_start_a_formula(client, key, report):
    sneaky = learner("met")
    sneaky.first_name = "=HYPERLINK(1)"
    sneaky.save()
    ModuleProgressFactory(learner=sneaky, module=report["voices"])
    rows = csv_rows(get(client, key, format="csv"))
    assert rows[-1]["name"].startswith("'=HYPERLINK(1)")


@pytest.fixture
def tight_rate():
    cache.clear()
    with override_settings(
        REST_FRAMEWORK={
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"api_key": "2/min", "learner_progress": "240/min"},
        }
    ):
        yield
    cache.clear()


def test_throttled_per_key_with_retry_after(client, report, tight_rate):
    first, second = api_key("met").key, api_key("met").key
    assert get(client, first).status_code == 200
    assert get(client, first).status_code == 200
    throttled = get(client, first)
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert throttled["Cache-Control"] == "private, no-store"
    assert get(client, second).status_code == 200  # another key has its own bucket


def test_csv_reads_rows_through_one_streamed_query(client, key, report, django_assert_num_queries):
    for _ in range(5):
        ModuleProgressFactory(learner=learner("met"), module=report["voices"], completed=True)
    get(client, key)  # first use of the key records last_used_at
    # 1 key, 1 force in scope, 1 access-log insert, 1 streamed SELECT of all 9 rows with the
    # learner and profile joined (read from a cursor, not loaded as a list), 1 for every
    # module's slug, 1 row-count update.
    with django_assert_num_queries(6):
        response = get(client, key, format="csv")
        assert len(csv_rows(response)) == 9


def test_a_module_created_during_an_export_gets_its_slug(home_page, report):
    """The slugs are read once per export, and again for a module that did not exist then."""
    from courses.api.manager_serializers import CompletionSerializer

    serializer = CompletionSerializer()
    assert serializer.module_slug(report["voices"].pk) == report["voices"].slug
    newer = build_module_tree(home_page, title="Newer").module
    assert serializer.module_slug(newer.pk) == newer.slug


def test_module_slugs_are_every_modules_as_the_orm_reads_them(report):
    from courses import selectors
    from courses.models import ModulePage

    report["voices"].unpublish()  # its rows keep their slug
    expected = dict(ModulePage.objects.values_list("id", "slug"))
    assert len(expected) == 2
    assert selectors.module_slugs() == expected
