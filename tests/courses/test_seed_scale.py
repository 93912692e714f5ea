import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from courses.models import LearnerProfile, ModulePage, ModuleProgress, ProgressStatus


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


def test_seed_scale_adds_to_existing_data_without_clashing(db, home_page):
    call_command("seed_scale", learners=50, modules=2, stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_scale", learners=50, modules=2, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert LearnerProfile.objects.count() == 100
    assert ModulePage.objects.filter(slug__startswith="scale-module-").count() == 2


def test_seed_scale_refuses_production(db, settings):
    settings.ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="refuses production"):
        call_command("seed_scale", learners=1)
