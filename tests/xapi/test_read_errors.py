"""The Statement Resource's refusals, access log and costs: every malformed parameter is a
400 naming it, writes are 405, other xAPI resources 404, never a 500 (fuzzed); one access log
row per read; a fixed number of queries whatever the page size."""

import json
import string

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.api import xapi_urls
from courses.api.permissions import ApiKeyRateThrottle
from courses.api.xapi_auth import HasXapiKey, XapiKeyAuthentication
from courses.api.xapi_views import StatementsView
from courses.models import ApiAccessLog
from tests.conftest import build_module_tree, complete_module
from tests.factories import api_key, learner
from tests.xapi.read_api import URL, VERSION, bearer, build_ledger, read

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(module_tree):
    return build_ledger(module_tree)


BAD_VALUES = [
    ("statementId", "not-a-uuid"),
    ("statementId", "{12345678-1234-1234-1234-123456789012}"),
    ("voidedStatementId", "123"),
    ("registration", "nope"),
    ("agent", "{not json"),
    ("agent", "[1, 2]"),
    ("agent", '"mailto:a@b.uk"'),
    ("agent", "{}"),
    ("agent", '{"mbox": "a@b.uk"}'),
    ("agent", '{"mbox": "mailto:a@b.uk", "openid": "https://x.example"}'),
    ("agent", '{"account": {"homePage": "https://x.example"}}'),
    ("agent", '{"objectType": "Group", "member": []}'),
    ("agent", '{"objectType": "Activity", "id": "https://x.example"}'),
    ("agent", "[" * 5000),
    ("verb", "passed"),
    ("verb", ""),
    ("activity", "not an iri"),
    ("since", "yesterday"),
    ("since", "2026-01-31T09:30:00"),
    ("until", "2026-13-01T00:00:00Z"),
    ("until", "0001-01-01T00:00:00+23:59"),
    ("limit", "-1"),
    ("limit", "501"),
    ("limit", "ten"),
    ("limit", "9" * 40),
    ("format", "full"),
    ("attachments", "yes"),
    ("ascending", "True"),
    ("related_activities", "1"),
    ("related_agents", ""),
    ("verb", "http://x.example/\x00"),
]


@pytest.mark.parametrize(("name", "value"), BAD_VALUES)
def test_a_malformed_value_is_a_400_naming_the_parameter(client, ledger, name, value):
    response = client.get(URL, {name: value}, **bearer(ledger.met_key))
    assert response.status_code == 400
    assert list(response.json()) == [name]
    assert response[VERSION] == "1.0.3"
    assert not ApiAccessLog.objects.exists()


def test_unknown_parameters_are_a_400_naming_them(client, ledger):
    response = client.get(URL, {"actor": "x", "page": "2", "limit": "5"}, **bearer(ledger.met_key))
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "actor, page" in detail and "statementId" in detail


def test_a_parameter_given_twice_is_a_400(client, ledger):
    response = client.get(URL + "?limit=1&limit=2", **bearer(ledger.met_key))
    assert response.status_code == 400
    assert response.json() == {"limit": ["Give this parameter once."]}


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch", "options"])
@pytest.mark.parametrize("with_key", [True, False])
def test_writes_are_405_read_only_with_allow_get_head(client, ledger, method, with_key):
    headers = bearer(ledger.met_key) if with_key else {"HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}
    body = json.dumps([{"id": "x"}])
    response = getattr(client, method)(URL, body, content_type="application/json", **headers)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "read-only" in response.json()["detail"]
    assert "force's own LRS" in response.json()["detail"]
    assert response[VERSION] == "1.0.3"


def test_head_answers_like_get_without_a_body(client, ledger):
    response = client.head(URL, **bearer(ledger.met_key))
    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Experience-API-Consistent-Through"]


@pytest.mark.parametrize(
    "path",
    [
        "/xapi/activities/state",
        "/xapi/agents/profile",
        "/xapi/activities",
        "/xapi/agents",
        "/xapi/activities/profile",
        "/xapi/",
        "/xapi/statements/extra",
    ],
)
@pytest.mark.parametrize("method", ["get", "put", "post", "delete"])
def test_other_xapi_resources_are_a_json_404(client, ledger, path, method):
    response = getattr(client, method)(path, **bearer(ledger.met_key))
    assert response.status_code == 404
    assert "only the Statement Resource" in response.json()["detail"]
    assert response[VERSION] == "1.0.3"
    assert response["Cache-Control"] == "private, no-store"


def test_the_statement_route_uses_the_managers_key_rules():
    view = next(
        pattern.callback.view_class
        for pattern in xapi_urls.urlpatterns
        if pattern.name == "xapi-statements"
    )
    assert view is StatementsView
    assert view.authentication_classes == [XapiKeyAuthentication]
    assert view.permission_classes == [HasXapiKey]
    assert view.throttle_classes == [ApiKeyRateThrottle]


def test_reads_are_throttled_per_key(client, ledger):
    rates = {"api_key": "2/min", "learner_progress": "240/min"}
    cache.clear()
    with override_settings(
        REST_FRAMEWORK={**django_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        statuses = [client.get(URL, **bearer(ledger.met_key)).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        assert client.get(URL, **bearer(ledger.gmp_key)).status_code == 200
    cache.clear()


# --- Access log -------------------------------------------------------------------------------


def test_each_read_is_logged_with_its_filters_and_count(client, ledger):
    read(client, ledger.met_key, limit=2, ascending="true")
    statement_id = str(ledger.finishing.pk)
    client.get(URL, {"statementId": statement_id}, **bearer(ledger.met_key))
    both = api_key("met", "gmp").key
    read(client, both, limit=3)
    page, one, wide = ApiAccessLog.objects.order_by("created_at", "id")
    assert (page.endpoint, page.filters, page.row_count) == (
        URL,
        {"limit": "2", "ascending": "true"},
        2,
    )
    assert page.force.code == "met"
    assert (one.filters, one.row_count) == ({"statementId": statement_id}, 1)
    assert wide.force is None and wide.row_count == 3


# --- Query counts -----------------------------------------------------------------------------

# A page: the key by its prefix (1), the key's forces with their LRS connections (1), the
# events (1), the builder: learners' profiles, forces, lessons, the answered checks' lessons,
# modules, programmes, the finished modules' rows (7), the access log (1).
PAGE_QUERIES = 11


@pytest.mark.parametrize("limit", [2, 40])
def test_a_page_costs_the_same_queries_whatever_its_size(
    client, home_page, django_assert_num_queries, limit
):
    tree = build_module_tree(home_page)
    ledger = build_ledger(tree)
    for _ in range(3):  # more learners who completed the module: 21 statements in met
        complete_module(learner("met"), tree)
    client.get(URL, **bearer(ledger.met_key))  # records the key's last use (once a minute)
    with django_assert_num_queries(PAGE_QUERIES):
        body = read(client, ledger.met_key, limit=limit)
    assert len(body["statements"]) == min(limit, 21)
    # One statement by id: the same, with the one event read by its id.
    statement_id = str(ledger.finishing.pk)
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(URL, {"statementId": statement_id}, **bearer(ledger.met_key))
    assert response.status_code == 200


# --- Fuzz -------------------------------------------------------------------------------------

NAMES = [
    "statementId",
    "voidedStatementId",
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "format",
    "attachments",
    "ascending",
    "cursor",
]
HOSTILE = st.sampled_from(
    [
        "",
        "\x00",
        "true",
        "false",
        "0",
        "500",
        "ids",
        "2026-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999+00:00",
        "0001-01-01T00:00:00-23:59",
        "00000000-0000-0000-0000-000000000000",
        '{"mbox": "mailto:a@b.uk"}',
        '{"account": {"homePage": "http://127.0.0.1:8000", "name": "platform"}}',
        "http://adlnet.gov/expapi/verbs/passed",
        "\ud800",
        "x" * 3000,
    ]
)
VALUES = st.one_of(HOSTILE, st.text(max_size=40), st.text(string.printable, max_size=40))


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(params=st.dictionaries(st.sampled_from(NAMES), VALUES, max_size=4))
def test_no_combination_of_parameter_values_is_a_500(fuzz_key, params):
    cache.clear()  # the throttle
    try:
        response = Client().get(URL, params, **bearer(fuzz_key))
    except UnicodeEncodeError:
        return  # the test client cannot send this text; no server would receive it
    assert response.status_code in (200, 400, 404), (params, response.content)
    assert response[VERSION] in ("1.0.3", "2.0.0")


@pytest.fixture
def fuzz_key(ledger):
    return ledger.met_key
