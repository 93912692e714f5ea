"""Moving a learner from one force to another (a transfer between police forces)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext

from courses import audit
from courses.models import AuditAction, Force, LearnerProfile, LessonProgress, ModuleProgress
from courses.progress import totals


class LearnerMoveRefused(Exception):
    """The account cannot be moved (no learner profile, or an inactive force)."""


@dataclass(frozen=True)
class LearnerMoveResult:
    old_force: Force | None
    new_force: Force
    modules_moved: int  # the learner's modules not yet completed, now counted for the new force


@transaction.atomic
def learner_move(*, learner, force: Force, moved_by=None, path: str = "") -> LearnerMoveResult:
    """Move a learner to `force`. The rule: history stays with the force where it happened,
    and new activity counts for the new force.

    Completed modules (their rows, lessons and certificates) stay in the old force's reports;
    modules not yet completed move with the learner, and every event from now on is recorded
    for the new force (the ledger keeps each event's force at the time). The per-(force,
    module) totals follow in the same transaction (courses.progress.totals). Two audit entries:
    moved out of the old force and into the new one, with who did it. Moving a learner to the
    force they are in changes and records nothing. The learner's module rows are locked as
    the progress engine locks them, so no event is recorded half-way through a move.
    """
    try:
        profile = (
            LearnerProfile.objects.select_for_update().select_related("force").get(user=learner)
        )
    except LearnerProfile.DoesNotExist:
        raise LearnerMoveRefused(
            gettext("This account is not a learner: it has no force.")
        ) from None
    if not force.is_active:
        raise LearnerMoveRefused(
            gettext("%(force)s is not an active force.") % {"force": force.name}
        )
    old = profile.force
    if old is not None and old.pk == force.pk:
        return LearnerMoveResult(old, force, 0)
    open_rows = ModuleProgress.objects.select_for_update().filter(
        learner=learner, completed_at__isnull=True
    )
    counted = open_rows.only("force_id", "module_id", "status", "score").order_by("module_id")
    states = [totals.RowState.of(row) for row in counted]
    module_ids = [state.module_id for state in states]
    moved = ModuleProgress.objects.filter(learner=learner, module_id__in=module_ids).update(
        force=force
    )
    totals.totals_update(
        (state, totals.RowState(force.pk, state.module_id, state.status, state.score))
        for state in states
    )
    LessonProgress.objects.filter(learner=learner, module_id__in=module_ids).update(force=force)
    profile.force = force
    profile.save(update_fields=["force"])
    learner.learner_profile = profile  # the caller's instance records for the new force too
    by = moved_by.pk if moved_by is not None else None
    if old is not None:
        audit.audit_record(
            action=AuditAction.LEARNER_MOVED_OUT,
            user_id=by,
            subject_user_id=learner.pk,
            force_code=old.code,
            path=path,
        )
    audit.audit_record(
        action=AuditAction.LEARNER_MOVED_IN,
        user_id=by,
        subject_user_id=learner.pk,
        force_code=force.code,
        path=path,
    )
    return LearnerMoveResult(old, force, moved)
