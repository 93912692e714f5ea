"""Role pathways made into required module rows (services.enrolments_sync)."""

import datetime

from django.utils import timezone

from courses import services
from courses.models import LearnerProfile, ModuleProgress, Pathway, PathwayStep, ProgressStatus
from tests.conftest import complete_module
from tests.factories import learner


def _pathway(role, module, days=28):
    pathway, _ = Pathway.objects.get_or_create(role=role)
    return PathwayStep.objects.create(pathway=pathway, module=module, days_to_complete=days)


def test_sync_enrols_the_role_and_is_idempotent(module_tree):
    officer, staff = learner("met"), learner("gmp", role="staff")
    step = _pathway("response-officer", module_tree.module, days=14)

    result = services.enrolments_sync()

    assert result == services.EnrolmentSyncResult(enrolled=1, changed=0, released=0)
    row = ModuleProgress.objects.get(learner=officer)
    assert row.required and row.status == ProgressStatus.NOT_STARTED
    assert row.force.code == "met"
    assert row.enrolled_at == max(officer.learner_profile.created_at, step.added_at)
    assert row.due_at == row.enrolled_at + datetime.timedelta(days=14)
    assert not ModuleProgress.objects.filter(learner=staff).exists()
    assert services.enrolments_sync() == services.EnrolmentSyncResult(0, 0, 0)


def test_a_later_start_in_post_moves_the_due_date(module_tree):
    officer = learner("met")
    _pathway("response-officer", module_tree.module, days=10)
    start = timezone.localdate() + datetime.timedelta(days=30)
    LearnerProfile.objects.filter(user=officer).update(start_date=start)

    services.enrolments_sync()

    row = ModuleProgress.objects.get(learner=officer)
    assert timezone.localtime(row.due_at).date() == start + datetime.timedelta(days=10)


def test_role_change_and_leaving_release_open_rows_but_keep_completed_ones(module_tree):
    officer, finished = learner("met"), learner("met")
    _pathway("response-officer", module_tree.module)
    complete_module(finished, module_tree)
    services.enrolments_sync()

    LearnerProfile.objects.filter(user=officer).update(role="staff")
    finished.is_active = False
    finished.save()
    result = services.enrolments_sync()

    assert result.released == 1
    open_row = ModuleProgress.objects.get(learner=officer)
    assert not open_row.required and open_row.due_at is None
    done = ModuleProgress.objects.get(learner=finished)
    assert done.required and done.status == ProgressStatus.COMPLETED
