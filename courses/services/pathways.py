"""After a pathway changes: the enrolments of the learners it concerns made to match it."""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q

from courses.models import LearnerProfile, ModuleProgress, Pathway
from courses.services.enrolments import EnrolmentSyncResult, enrolments_sync


def pathway_learners(*, roles: Iterable[str]):
    """The learners a pathway change can touch: everyone with one of `roles`, and everyone
    whose role has no pathway any more but who still has an open required module (a pathway
    deleted, or moved to another role). One query when iterated."""
    orphaned = ~Q(role__in=Pathway.objects.values("role")) & Q(
        Exists(
            ModuleProgress.objects.filter(
                learner_id=OuterRef("user_id"), required=True, completed_at__isnull=True
            )
        )
    )
    return LearnerProfile.objects.filter(Q(role__in=list(roles)) | orphaned)


def pathway_enrolments_sync(*, roles: Iterable[str]) -> EnrolmentSyncResult:
    """Call after a pathway for one of `roles` was created, changed or deleted: enrolments_sync
    over pathway_learners(roles=roles). Idempotent."""
    return enrolments_sync(profiles=pathway_learners(roles=roles))
