"""GET /api/v1/forces/<code>/summary/ and GET /api/v1/modules/ and /api/v1/forces/."""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.models import ApiAccessLog, ProgressStatus
from tests.conftest import build_module_tree
from tests.factories import LearnerProfileFactory, ModuleProgressFactory, api_key, force, learner

SUMMARY = reverse("manager-force-summary", kwargs={"code": "met"})


def get(client, url, key, **extra):
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}", **extra)


@pytest.fixture
def key(db):
    return api_key("met").key


def test_summary_counts_learners_without_progress_as_not_started(client, home_page, key):
    leadership = build_module_tree(home_page, title="Leadership").module
    mens_role = build_module_tree(home_page, title="Mens role").module
    done, going, idle = learner("met"), learner("met"), learner("met")
    LearnerProfileFactory(force=force("met"))  # a fourth learner who never opened anything
    ModuleProgressFactory(learner=done, module=leadership, completed=True, score=80)
    ModuleProgressFactory(learner=going, module=leadership, completed=True, score=100)
    ModuleProgressFactory(learner=idle, module=leadership, status=ProgressStatus.IN_PROGRESS)
    ModuleProgressFactory(learner=idle, module=mens_role, status=ProgressStatus.NOT_STARTED)
    ModuleProgressFactory(learner=learner("gmp"), module=mens_role, completed=True)  # not met

    body = get(client, SUMMARY, key).json()

    assert body["force"] == {"code": "met", "name": force("met").name, "country": "england"}
    assert body["modules"] == [
        {
            "module": leadership.slug,
            "title": "Leadership",
            "learners": 4,
            "not_started": 1,
            "in_progress": 1,
            "completed": 2,
            "completion_rate": 50.0,
            "average_score": 90.0,
            "required": 0,  # no pathway here: see test_enrolment_fields.py
            "overdue": 0,
        },
        {
            "module": mens_role.slug,
            "title": "Mens role",
            "learners": 4,
            "not_started": 4,
            "in_progress": 0,
            "completed": 0,
            "completion_rate": 0.0,
            "average_score": None,
            "required": 0,
            "overdue": 0,
        },
    ]
    assert body["totals"] == {
        "learners": 4,
        "not_started": 5,
        "in_progress": 1,
        "completed": 2,
        "completion_rate": 25.0,
        "average_score": 90.0,
        "required": 0,
        "overdue": 0,
    }


def test_summary_of_a_force_without_learners_has_no_rates(client, home_page, key):
    build_module_tree(home_page)
    body = get(client, SUMMARY, key).json()
    assert body["modules"][0]["learners"] == 0
    assert body["modules"][0]["completion_rate"] is None
    assert body["totals"]["completion_rate"] is None


def test_summary_leaves_out_unpublished_modules(client, home_page, key):
    draft = build_module_tree(home_page, title="Draft").module
    ModuleProgressFactory(learner=learner("met"), module=draft, completed=True)
    draft.unpublish()
    body = get(client, SUMMARY, key).json()
    assert body["modules"] == []
    assert body["totals"]["completed"] == 0


def build_report(home_page, modules: int, learners_per_module: int):
    for index in range(modules):
        module = build_module_tree(home_page, title=f"Module {index}", lessons=1).module
        for _ in range(learners_per_module):
            ModuleProgressFactory(learner=learner("met"), module=module, completed=True)


@pytest.mark.parametrize(("modules", "learners_per_module"), [(2, 2), (5, 6)])
def test_summary_query_count_does_not_grow_with_rows_or_modules(
    client, home_page, key, django_assert_num_queries, modules, learners_per_module
):
    build_report(home_page, modules, learners_per_module)
    get(client, SUMMARY, key)  # the first use of a key records last_used_at; pin the steady state
    # 1 key by prefix, 1 force in the key's scope, 1 the published modules, 1 learner count,
    # 1 read of the force's
    # per-module totals (ForceModuleSummary), 1 the required and overdue rows grouped by module
    # (one index of required rows), 1 access-log insert: the same for 2 modules with
    # 2 learners each and 5 modules with 6.
    with django_assert_num_queries(7):
        response = get(client, SUMMARY, key)
    assert len(response.json()["modules"]) == modules
    assert response.json()["totals"]["completed"] == modules * learners_per_module


def test_summary_read_is_logged(client, home_page, key):
    build_module_tree(home_page)
    get(client, SUMMARY, key)
    entry = ApiAccessLog.objects.get()
    assert (entry.force.code, entry.endpoint, entry.row_count) == ("met", SUMMARY, 1)
    assert entry.key.prefix == key.split(".")[0]


def test_summary_is_not_cached(client, home_page, key):
    assert get(client, SUMMARY, key)["Cache-Control"] == "private, no-store"


def test_summary_has_no_csv(client, key):
    response = get(client, SUMMARY + "?format=csv", key)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_unknown_query_parameters_are_refused(client, key):
    response = get(client, SUMMARY + "?module=leadership", key)
    assert response.status_code == 400
    assert "Unknown query parameter(s): module" in response.json()["detail"]


def test_modules_lists_published_modules_with_lesson_counts(
    client, home_page, key, django_assert_num_queries
):
    leadership = build_module_tree(home_page, title="Leadership", lessons=3).module
    build_module_tree(home_page, title="Voices", lessons=2).module.unpublish()
    get(client, reverse("manager-modules"), key)
    # 1 key, 1 modules, 1 lesson paths: no query per module.
    with django_assert_num_queries(3):
        body = get(client, reverse("manager-modules"), key).json()
    assert body == [
        {
            "id": leadership.pk,
            "slug": leadership.slug,
            "title": "Leadership",
            "theme": "leadership",
            "lessons": 3,
            "pass_mark": 80,
            "estimated_minutes": 30,
        }
    ]
    assert not ApiAccessLog.objects.exists()  # no learner data read


def test_forces_lists_only_the_keys_forces(client, db):
    issued = api_key("met", "south-wales")
    body = get(client, reverse("manager-forces"), issued.key).json()
    assert [f["code"] for f in body] == ["met", "south-wales"]


@pytest.fixture
def two_modules(home_page):
    return [build_module_tree(home_page, title=f"Module {i}", lessons=1).module for i in (1, 2)]


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    statuses=st.lists(
        st.lists(st.sampled_from([None, *ProgressStatus.values]), min_size=2, max_size=2),
        max_size=6,
    )
)
def test_summary_adds_up_for_any_mix_of_learners(client, two_modules, key, statuses):
    """Whatever the learners did, each module's counts add up to the force's learners and the
    totals are the sums of the modules. (The fixtures are built once for all examples; each
    example's rows are rolled back.)"""
    with transaction.atomic():
        for per_module in statuses:
            person = learner("met")
            for module, status in zip(two_modules, per_module, strict=True):
                if status is not None:
                    ModuleProgressFactory(
                        learner=person,
                        module=module,
                        status=status,
                        completed_at=timezone.now() if status == ProgressStatus.COMPLETED else None,
                    )
        body = get(client, SUMMARY, key).json()
        transaction.set_rollback(True)
    learners = len(statuses)
    for row in body["modules"]:
        assert row["learners"] == learners
        assert row["not_started"] + row["in_progress"] + row["completed"] == learners
    for field in ("not_started", "in_progress", "completed"):
        assert body["totals"][field] == sum(row[field] for row in body["modules"])
    expected_done = sum(status == ProgressStatus.COMPLETED for per in statuses for status in per)
    assert body["totals"]["completed"] == expected_done


def test_the_summary_is_written_as_drfs_declared_fields_would(home_page):
    """ForceSummarySerializer builds its output by hand: the same as DRF's own, with rates
    and scores present and absent."""
    from rest_framework import serializers

    from courses import selectors
    from courses.api.manager_serializers import ForceSummarySerializer

    first = build_module_tree(home_page, title="Leadership", lessons=1).module
    build_module_tree(home_page, title="Men's role", lessons=1)
    ModuleProgressFactory(learner=learner("met"), module=first, completed=True, score=87)
    LearnerProfileFactory(force=force("met"))
    seen = 0
    for code in ("met", "gmp"):  # the Met's learners, and a force without any
        summary = selectors.force_summary(force=force(code))
        drf = serializers.Serializer.to_representation(ForceSummarySerializer(), summary)
        assert ForceSummarySerializer(summary).data == drf
        if code == "met":
            assert drf["modules"][0]["average_score"] == 87.0
            assert drf["modules"][1]["average_score"] is None
        seen += 1
    assert drf["totals"]["completion_rate"] is None
    assert seen == 2
