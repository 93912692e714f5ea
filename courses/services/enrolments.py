"""Enrolment on required modules: a learner's role pathway made into their module rows.

A learner is enrolled on a required module by their ModuleProgress row for it: `required`,
`enrolled_at` and `due_at`, created not started if they have not opened the module yet. The
row is the one the progress engine, reports and the managers' API already read, so a required
module nobody has started still appears in completions (as not started) and in overdue counts.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from courses.models import LearnerProfile, ModuleProgress, PathwayStep, ProgressStatus

SYNC_BATCH_SIZE = 2000


@dataclass(frozen=True)
class EnrolmentSyncResult:
    enrolled: int  # rows created or newly made required
    changed: int  # required rows whose dates changed
    released: int  # rows no longer required (role changed, step removed, learner left)


def _start(profile: LearnerProfile) -> datetime.datetime:
    """When the learner's clock starts: joining the platform, or a later start in post."""
    start = profile.created_at
    if profile.start_date is not None:
        midnight = datetime.datetime.combine(profile.start_date, datetime.time())
        start = max(start, timezone.make_aware(midnight))
    return start


def enrolments_sync(*, profiles: QuerySet[LearnerProfile] | None = None) -> EnrolmentSyncResult:
    """Make the learners' required modules match their role's pathway. Idempotent: a second
    run changes nothing.

    For each step of the learner's pathway the row is required, enrolled at the latest of the
    learner's start (joining, or the HR start date) and the step's addition to the pathway,
    and due `days_to_complete` days later. Rows required by no step any more, and every row of
    an inactive or erased learner, stop being required (completed rows keep their dates as a
    record). Progress, status and totals are never touched. `profiles` defaults to every
    learner; works in batches of SYNC_BATCH_SIZE learners, a few queries each."""
    steps: dict[str, list[PathwayStep]] = {}
    for step in PathwayStep.objects.select_related("pathway").order_by("sort_order"):
        steps.setdefault(step.pathway.role, []).append(step)
    queryset = profiles if profiles is not None else LearnerProfile.objects.all()
    queryset = queryset.select_related("user").order_by("pk")
    totals = [0, 0, 0]
    batch: list[LearnerProfile] = []
    for profile in queryset.iterator(chunk_size=SYNC_BATCH_SIZE):
        batch.append(profile)
        if len(batch) == SYNC_BATCH_SIZE:
            totals = [a + b for a, b in zip(totals, _sync_batch(batch, steps), strict=True)]
            batch = []
    if batch:
        totals = [a + b for a, b in zip(totals, _sync_batch(batch, steps), strict=True)]
    return EnrolmentSyncResult(*totals)


@transaction.atomic
def _sync_batch(batch: Iterable[LearnerProfile], steps) -> tuple[int, int, int]:
    wanted: dict[tuple[int, int], tuple[datetime.datetime, datetime.datetime]] = {}
    forces: dict[int, int | None] = {}
    for profile in batch:
        forces[profile.user_id] = profile.force_id
        if not profile.user.is_active or profile.erased_at is not None:
            continue
        start = _start(profile)
        for step in steps.get(profile.role, []):
            enrolled_at = max(start, step.added_at)
            due_at = enrolled_at + datetime.timedelta(days=step.days_to_complete)
            wanted[(profile.user_id, step.module_id)] = (enrolled_at, due_at)
    rows = ModuleProgress.objects.filter(learner_id__in=list(forces)).only(
        "pk", "learner_id", "module_id", "required", "enrolled_at", "due_at", "completed_at"
    )
    to_update, enrolled, changed, released = [], 0, 0, 0
    for row in rows:
        dates = wanted.pop((row.learner_id, row.module_id), None)
        if dates is None:
            if row.required and row.completed_at is None:
                row.required, row.enrolled_at, row.due_at = False, None, None
                to_update.append(row)
                released += 1
            continue
        if not row.required:
            enrolled += 1
        elif (row.enrolled_at, row.due_at) != dates:
            changed += 1
        else:
            continue
        row.required = True
        row.enrolled_at, row.due_at = dates
        to_update.append(row)
    ModuleProgress.objects.bulk_update(
        to_update, ["required", "enrolled_at", "due_at"], batch_size=500
    )
    # Rows the progress engine may create at the same moment win: the next sync marks them.
    ModuleProgress.objects.bulk_create(
        [
            ModuleProgress(
                learner_id=learner_id,
                module_id=module_id,
                force_id=forces[learner_id],
                status=ProgressStatus.NOT_STARTED,
                required=True,
                enrolled_at=enrolled_at,
                due_at=due_at,
            )
            for (learner_id, module_id), (enrolled_at, due_at) in wanted.items()
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    return enrolled + len(wanted), changed, released
