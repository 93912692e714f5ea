"""GET /api/v1/forces/<code>/champions/: counts against the target and the national benchmark,
never a name; another force's code is a 404 with nothing logged; each read is logged."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from courses.models import (
    ApiAccessLog,
    CriticalMassPlan,
    LearnerProfile,
    LearnerRole,
    Pathway,
    PathwayStep,
)
from tests.conftest import build_module_tree, complete_module
from tests.factories import api_key, force, learner

URL = reverse("manager-force-champions", kwargs={"code": "met"})


def get(client, url, key):
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def trained(home_page):
    """Make a trained learner of a force (a one-module response officers' pathway)."""
    tree = build_module_tree(home_page, title="Leadership", lessons=1)
    PathwayStep.objects.create(
        pathway=Pathway.objects.create(role=LearnerRole.RESPONSE_OFFICER), module=tree.module
    )

    def make(code="met", champion=False, **profile):
        user = learner(code, **profile)
        complete_module(user, tree)
        if champion:
            LearnerProfile.objects.filter(user=user).update(champion_since=timezone.now())
        return user

    return make


def test_counts_against_the_target_without_names(client, trained):
    people = [trained(champion=n < 3, team="Response A") for n in range(12)]
    learner("met")  # not trained
    trained("gmp", champion=True)
    CriticalMassPlan.objects.create(force=force("met"), champion_target_percent=50)
    key = api_key("met").key

    response = get(client, URL, key)

    assert response.status_code == 200
    body = response.json()
    assert body["force"] == {"code": "met", "name": force("met").name, "country": "england"}
    assert body["as_of"] == timezone.localdate().isoformat()
    assert {k: body[k] for k in ("champions", "trained", "share")} == {
        "champions": 3,
        "trained": 12,
        "share": 25.0,
    }
    assert (body["target_percent"], body["target"], body["still_needed"]) == (50, 6, 3)
    # Only the Met has 10 or more trained: fewer than 5 forces, no national figure.
    assert body["benchmark"] == {
        "forces": 1,
        "median": None,
        "lower_quartile": None,
        "upper_quartile": None,
    }
    text = response.content.decode()
    for user in people:
        assert user.email not in text and user.last_name not in text
    assert "@" not in text and "Response A" not in text
    entry = ApiAccessLog.objects.get()
    assert (entry.force.code, entry.endpoint, entry.row_count) == ("met", URL, 1)


def test_the_national_benchmark_over_forces_with_ten_trained(client, trained):
    for code, champions in [("met", 1), ("gmp", 2), ("kent", 3), ("essex", 4), ("sussex", 5)]:
        for n in range(10):
            trained(code, champion=n < champions)
    trained("dorset", champion=True)  # one trained: below k, left out of the benchmark

    body = get(client, URL, api_key("met").key).json()

    assert body["benchmark"] == {
        "forces": 5,
        "median": 30.0,
        "lower_quartile": 20.0,
        "upper_quartile": 40.0,
    }
    assert (body["champions"], body["trained"], body["share"]) == (1, 10, 10.0)


def test_another_forces_code_is_a_404_with_nothing_logged(client, trained):
    trained("gmp", champion=True)
    response = get(
        client, reverse("manager-force-champions", kwargs={"code": "gmp"}), api_key("met").key
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "No Force matches the given query."}
    assert not ApiAccessLog.objects.exists()


def test_no_key_is_a_401(client, db):
    assert client.get(URL).status_code == 401


def test_takes_a_fixed_number_of_queries(client, trained, django_assert_num_queries):
    key = api_key("met").key
    get(client, URL, key)  # the key's first use is recorded
    cache.clear()
    # The key (1) and its forces (1); the plan (1), trained and Champions counts (2); the
    # national shares (4, then kept in the cache); the access log (1).
    with django_assert_num_queries(10):
        assert get(client, URL, key).status_code == 200
    for code in ("met", "gmp", "kent"):
        for n in range(3):
            trained(code, champion=n == 0)
    with django_assert_num_queries(6):
        assert get(client, URL, key).status_code == 200


def test_documented_in_the_openapi_schema(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/forces/{code}/champions/" in schema
    assert "still_needed" in schema
