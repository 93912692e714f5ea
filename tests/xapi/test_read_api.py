"""The read-only xAPI Statement Resource (GET /xapi/statements, /xapi/about) over real HTTP
through Django's test client: the specification's rules, force scoping, keys, paging."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from courses import services
from courses.models import (
    ApiAccessLog,
    ApiKey,
    AuditAction,
    AuditEvent,
    ProgressEvent,
)
from courses.xapi import iris
from courses.xapi.statements import timestamp
from tests.factories import api_key
from tests.xapi.read_api import (
    ADL,
    URL,
    VERSION,
    basic,
    bearer,
    build_ledger,
    ids,
    read_all,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(module_tree):
    return build_ledger(module_tree)


def expected_ids(ledger, *users) -> list[str]:
    """The statement ids of these learners' events, newest stored first, a module statement
    right after its event's."""
    events = ProgressEvent.objects.filter(learner__in=users).order_by("-recorded_at", "-id")
    found = []
    for event in events:
        found.append(str(event.pk))
        if event.module_statement_id:
            found.append(str(event.module_statement_id))
    return found


# --- About and versions -----------------------------------------------------------------------


def test_about_needs_no_key_and_lists_both_versions(client):
    response = client.get("/xapi/about")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == ["1.0.3", "2.0.0"]
    [(iri, extension)] = body["extensions"].items()
    assert iri.startswith(iris.base_url())
    assert extension["methods"] == ["GET", "HEAD"]
    assert response[VERSION] == "1.0.3"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("asked", "served"),
    [
        ("1.0.3", "1.0.3"),
        ("1.0", "1.0.3"),
        ("1.0.1", "1.0.3"),
        ("2.0.0", "2.0.0"),
        ("2.0", "2.0.0"),
    ],
)
def test_the_version_asked_is_served_and_stated(client, ledger, asked, served):
    response = client.get(URL, **bearer(ledger.met_key, version=asked))
    assert response.status_code == 200
    assert response[VERSION] == served
    versions = {statement["version"] for statement in response.json()["statements"]}
    assert versions == {"1.0.0" if served == "1.0.3" else "2.0.0"}


@pytest.mark.parametrize("asked", [None, "", "0.95", "1.1.0", "3.0.0", "1.0.x", "2"])
def test_a_request_without_a_supported_version_is_refused_with_the_header_set(
    client, ledger, asked
):
    response = client.get(URL, **bearer(ledger.met_key, version=asked))
    assert response.status_code == 400
    assert "X-Experience-API-Version" in response.json()["detail"]
    assert response[VERSION] == "1.0.3"
    assert not ApiAccessLog.objects.exists()


# --- Keys -------------------------------------------------------------------------------------


def test_basic_with_prefix_and_secret_with_the_whole_key_and_bearer_all_read(client, ledger):
    prefix, secret = ledger.met_key.split(".")
    expected = expected_ids(ledger, ledger.sam, ledger.alex)
    for headers in (basic(prefix, secret), basic(ledger.met_key, ""), bearer(ledger.met_key)):
        response = client.get(URL, **headers)
        assert response.status_code == 200
        assert ids(response.json()["statements"]) == expected


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"},
        basic("abc", "def"),
        basic("", ""),
        {"HTTP_AUTHORIZATION": "Basic not-base64!", "HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"},
        {"HTTP_AUTHORIZATION": "Basic", "HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"},
        bearer("abc.def"),
        {"HTTP_AUTHORIZATION": "Digest x", "HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"},
    ],
)
def test_no_key_or_a_wrong_key_is_a_401_asking_for_basic(client, ledger, headers):
    response = client.get(URL, **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="xapi"'
    assert response[VERSION] == "1.0.3"
    assert response["Cache-Control"] == "private, no-store"
    assert response.json()["detail"]


def test_a_revoked_or_expired_key_is_refused_and_audited_with_its_prefix(client, ledger):
    revoked = api_key("met")
    services.api_key_revoke(api_key=revoked.api_key)
    expired = api_key("met", expires_at=timezone.now() + timedelta(days=1))
    ApiKey.objects.filter(pk=expired.api_key.pk).update(expires_at=timezone.now())
    for issued, message in ((revoked, "revoked"), (expired, "expired")):
        prefix, secret = issued.key.split(".")
        response = client.get(URL, **basic(prefix, secret))
        assert response.status_code == 401
        assert message in response.json()["detail"]
    audited = AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED, path=URL)
    prefixes = set(audited.values_list("api_key_prefix", flat=True))
    assert prefixes == {revoked.api_key.prefix, expired.api_key.prefix}
    assert not ApiAccessLog.objects.exists()


# --- Scope ------------------------------------------------------------------------------------


def test_each_key_reads_only_its_own_forces(client, ledger):
    met = read_all(client, ledger.met_key, limit=0)
    gmp = read_all(client, ledger.gmp_key, limit=0)
    assert ids(met) == expected_ids(ledger, ledger.sam, ledger.alex)
    assert ids(gmp) == expected_ids(ledger, ledger.kim)
    both = api_key("met", "gmp").key
    assert sorted(ids(read_all(client, both, limit=0))) == sorted(ids(met) + ids(gmp))


def test_a_statement_outside_the_keys_forces_is_the_same_404_as_an_unknown_one(client, ledger):
    [kims] = ledger.events(ledger.kim)
    outside = client.get(URL, {"statementId": str(kims.pk)}, **bearer(ledger.met_key))
    unknown = client.get(URL, {"statementId": str(uuid.uuid4())}, **bearer(ledger.met_key))
    assert outside.status_code == unknown.status_code == 404
    assert outside.content == unknown.content
    assert outside[VERSION] == "1.0.3"
    assert not ApiAccessLog.objects.exists()


def test_an_erased_learners_statements_never_appear(client, ledger):
    services.learner_erase(user=ledger.sam)
    met = read_all(client, ledger.met_key, limit=1)
    assert ids(met) == expected_ids(ledger, ledger.alex)
    finishing = ledger.finishing
    for statement_id in (finishing.pk, finishing.module_statement_id):
        response = client.get(URL, {"statementId": str(statement_id)}, **bearer(ledger.met_key))
        assert response.status_code == 404


# --- One statement ----------------------------------------------------------------------------


def test_statement_id_returns_the_statement_itself_with_its_headers(client, ledger):
    finishing = ledger.finishing
    for statement_id in (finishing.pk, finishing.module_statement_id):
        response = client.get(URL, {"statementId": str(statement_id)}, **bearer(ledger.met_key))
        assert response.status_code == 200
        statement = response.json()
        assert statement["id"] == str(statement_id)
        assert "statements" not in statement
        assert statement["stored"] == timestamp(finishing.recorded_at)
        assert response["Last-Modified"]
        assert response["X-Experience-API-Consistent-Through"]
    module = client.get(
        URL,
        {"statementId": str(finishing.module_statement_id), "format": "ids"},
        **bearer(ledger.met_key),
    ).json()
    assert module["verb"] == {"id": ADL + "passed"}
    assert "definition" not in module["object"]


@pytest.mark.parametrize("other", ["verb", "limit", "since", "ascending", "cursor"])
@pytest.mark.parametrize("name", ["statementId", "voidedStatementId"])
def test_a_statement_id_with_any_filter_is_a_400(client, ledger, name, other):
    value = {"verb": ADL + "passed", "limit": "1", "since": "2020-01-01T00:00:00Z"}.get(
        other, "false"
    )
    params = {name: str(ledger.finishing.pk), other: value}
    response = client.get(URL, params, **bearer(ledger.met_key))
    assert response.status_code == 400
    assert other in response.json()["detail"]


def test_both_statement_ids_at_once_are_a_400_and_a_voided_id_is_never_found(client, ledger):
    event = str(ledger.finishing.pk)
    both = client.get(
        URL, {"statementId": event, "voidedStatementId": event}, **bearer(ledger.met_key)
    )
    assert both.status_code == 400
    voided = client.get(
        URL, {"voidedStatementId": event, "format": "exact"}, **bearer(ledger.met_key)
    )
    assert voided.status_code == 404
