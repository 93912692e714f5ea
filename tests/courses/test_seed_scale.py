import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F, Q, Sum

from courses.models import (
    ForceModuleSummary,
    LearnerProfile,
    ModulePage,
    ModuleProgress,
    ProgressStatus,
)


def test_seed_scale_loads_skewed_learners_with_module_rows(db, home_page):
    call_command("seed_scale", learners=400, modules=4, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert LearnerProfile.objects.count() == 400
    assert ModulePage.objects.filter(slug__startswith="scale-module-").count() == 4
    met_share = LearnerProfile.objects.filter(force__code="met").count() / 400
    assert 0.10 <= met_share <= 0.20  # about 15%, the largest force
    statuses = set(ModuleProgress.objects.values_list("status", flat=True))
    assert statuses == {ProgressStatus.IN_PROGRESS, ProgressStatus.COMPLETED}
    completed = ModuleProgress.objects.filter(status=ProgressStatus.COMPLETED)
    assert not completed.filter(completed_at__isnull=True).exists()
    # Some learners have not started some modules: fewer rows than learners x modules.
    assert 0 < ModuleProgress.objects.count() < 400 * 4
    # Every progress row carries its learner's force, as reports expect.
    assert not ModuleProgress.objects.exclude(force=F("learner__learner_profile__force")).exists()
    # Each learner has their own xAPI id (on PostgreSQL, COPY writes it: no model default).
    xapi_ids = LearnerProfile.objects.values_list("xapi_id", flat=True)
    assert None not in xapi_ids and len(set(xapi_ids)) == 400
    assert_summary_matches_rows()


def assert_summary_matches_rows():
    """The per-(force, module) totals the force summary reads equal a count of the rows."""
    counted = {
        (row.pop("force_id"), row.pop("module_id")): row
        for row in ModuleProgress.objects.values("force_id", "module_id").annotate(
            in_progress=Count("pk", filter=Q(status=ProgressStatus.IN_PROGRESS)),
            completed=Count("pk", filter=Q(status=ProgressStatus.COMPLETED)),
            scored=Count("score"),
            score_total=Sum("score", default=0),
        )
    }
    kept = {
        (row.pop("force_id"), row.pop("module_id")): row
        for row in ForceModuleSummary.objects.values(
            "force_id", "module_id", "in_progress", "completed", "scored", "score_total"
        )
    }
    # Groups with nothing to count (placeholder rows only) may exist on one side alone.
    assert {k: v for k, v in kept.items() if any(v.values())} == {
        k: v for k, v in counted.items() if any(v.values())
    }


def test_seed_scale_adds_to_existing_data_without_clashing(db, home_page):
    call_command("seed_scale", learners=50, modules=2, stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_scale", learners=50, modules=2, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert LearnerProfile.objects.count() == 100
    assert ModulePage.objects.filter(slug__startswith="scale-module-").count() == 2
    assert_summary_matches_rows()


def test_seed_scale_refuses_production(db, settings):
    settings.ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="refuses production"):
        call_command("seed_scale", learners=1)
