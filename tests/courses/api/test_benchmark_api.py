"""GET /api/v1/forces/<code>/benchmark/: a force's own critical-mass and Champions shares
beside the national median and interquartile range, never another force's figure."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from courses import selectors
from courses.models import ApiAccessLog, AuditAction, AuditEvent
from tests.courses.evidence_world import (
    BIG_FORCES,
    SMALL_FORCE,
    headcount,
    national_world,
    trained_learner,
)
from tests.factories import api_key, force

DAY = "2026-03-31"


def url(code: str) -> str:
    return reverse("manager-force-benchmark", kwargs={"code": code})


def get(client, path, key, **params):
    return client.get(path, params, HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def world(module_tree):
    national_world(module_tree.module)
    return module_tree


def test_a_force_sees_its_own_shares_against_the_national_benchmark(client, world):
    key = api_key("cumbria").key
    body = get(client, url("cumbria"), key, day=DAY).json()

    assert body["force"] == {"code": "cumbria", "name": force("cumbria").name, "country": "england"}
    assert body["day"] == DAY
    cm = selectors.critical_mass_benchmark(day=datetime.date(2026, 3, 31))
    assert body["critical_mass"] == {
        "share": 75.0,  # 15 of 20 response officers
        "meets_k": True,
        "national": {
            "forces": 6,
            "median": 62.5,
            "lower_quartile": cm.lower_quartile,
            "upper_quartile": cm.upper_quartile,
        },
    }
    ch = selectors.champions_benchmark(day=datetime.date(2026, 3, 31))
    assert body["champions"]["share"] == round(100 / 15, 1)
    assert body["champions"]["national"]["median"] == ch.median
    assert body["paired_shift"] == []
    # No other force is named, nor its own figure given.
    assert set(body) == {"force", "day", "critical_mass", "champions", "paired_shift"}
    for other in BIG_FORCES[:-1]:
        assert force(other).name not in str(body)


def test_a_force_below_k_is_flagged_and_left_out_of_the_benchmark(client, world):
    body = get(client, url(SMALL_FORCE), api_key(SMALL_FORCE).key, day=DAY).json()
    assert body["critical_mass"]["meets_k"] is False
    assert body["champions"]["meets_k"] is False
    assert body["critical_mass"]["national"]["forces"] == 6  # not counting Dyfed-Powys


def test_before_enough_forces_have_a_figure_the_national_figures_are_null(client, world):
    # On 1 January 2026 there are headcounts but nobody is trained yet: every force's share is
    # 0 (six meet k) and Champions have no denominator anywhere.
    body = get(client, url("met"), api_key("met").key, day="2026-01-01").json()
    assert body["critical_mass"]["share"] == 0.0
    assert body["champions"] == {
        "share": None,
        "meets_k": False,
        "national": {"forces": 0, "median": None, "lower_quartile": None, "upper_quartile": None},
    }
    # The day before any headcount: no critical-mass denominator either.
    body = get(client, url("met"), api_key("met").key, day="2025-12-31").json()
    assert body["critical_mass"]["share"] is None
    assert body["critical_mass"]["national"]["median"] is None


@pytest.mark.django_db
def test_another_forces_benchmark_is_404_and_recorded(client):
    key = api_key("met")
    response = get(client, url("gmp"), key.key)
    assert response.status_code == 404
    assert response.json() == {"detail": "No Force matches the given query."}
    assert AuditEvent.objects.filter(
        action=AuditAction.ACCESS_DENIED, force_code="gmp", api_key_prefix=key.api_key.prefix
    ).exists()
    assert get(client, url("no-such-force"), key.key).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["31/03/2026", "2026-02-30", "yesterday", "2026-3-1", ""])
def test_a_bad_day_is_a_400_naming_it(client, day):
    response = get(client, url("met"), api_key("met").key, day=day)
    assert response.status_code == 400
    assert list(response.json()) == ["day"]
    assert not ApiAccessLog.objects.exists()


@pytest.mark.django_db
def test_unknown_parameters_and_missing_keys_are_refused(client):
    assert get(client, url("met"), api_key("met").key, force="gmp").status_code == 400
    assert client.get(url("met")).status_code == 401


def test_each_read_is_logged_and_costs_the_same_queries(client, world, django_assert_num_queries):
    key = api_key("met").key
    get(client, url("met"), key)  # the first use of a key records last_used_at
    # 1 key, 1 the force among the key's, 4 selectors.national_shares (plans, headcounts,
    # trained learners by force and role, forces; then kept in the cache), 1 for the survey
    # shift without a live survey, 1 access-log insert.
    cache.clear()
    with django_assert_num_queries(8):
        assert get(client, url("met"), key, day=DAY).status_code == 200
    national_world_more(world)
    cache.clear()
    with django_assert_num_queries(8):
        assert get(client, url("met"), key, day=DAY).status_code == 200
    with django_assert_num_queries(4):
        assert get(client, url("met"), key, day=DAY).status_code == 200
    entry = ApiAccessLog.objects.latest("id")
    assert (entry.force.code, entry.endpoint, entry.filters) == ("met", url("met"), {"day": DAY})


def national_world_more(world) -> None:
    for code in ("surrey", "sussex", "north-wales", "wiltshire"):
        headcount(code, 40)
        for _ in range(11):
            trained_learner(code, world.module)
