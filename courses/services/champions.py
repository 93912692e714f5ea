"""DA Matters Champions: a trained learner volunteers (and may step down); a force's lead may
remove the status. Each change writes an audit entry (identifiers only)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from courses import audit
from courses.models import AuditAction, LearnerProfile
from courses.selectors.evidence import trained_profiles


class ChampionRefused(Exception):
    """The learner may not volunteer (see the message, written for them)."""


@transaction.atomic
def champion_volunteer(
    *, user, now: datetime.datetime | None = None, path: str = ""
) -> LearnerProfile:
    """Make the learner a Champion from `now` (default: now). Only a learner who is trained
    (completed every module of their role's pathway) may volunteer; anyone else is refused
    and nothing is written. Volunteering again changes nothing (their first date stays)."""
    profile = LearnerProfile.objects.select_for_update().filter(user_id=user.pk).first()
    if profile is None:
        raise ChampionRefused(gettext("Only learners can volunteer as a DA Matters Champion."))
    if profile.champion_since is not None:
        return profile
    if not trained_profiles(force=None, user_id=profile.user_id).exists():
        raise ChampionRefused(
            gettext(
                "You can volunteer as a DA Matters Champion once you have completed every module "
                "your role requires. Your progress is on My learning."
            )
        )
    profile.champion_since = now or timezone.now()
    profile.save(update_fields=["champion_since"])
    audit.audit_record(
        action=AuditAction.CHAMPION_JOINED,
        user_id=user.pk,
        subject_user_id=user.pk,
        force_code=profile.force.code,
        path=path,
    )
    return profile


@transaction.atomic
def champion_step_down(*, user, path: str = "") -> bool:
    """The learner stops being a Champion. True if they were one (and so were changed)."""
    profile = LearnerProfile.objects.select_for_update().filter(user_id=user.pk).first()
    if profile is None or profile.champion_since is None:
        return False
    profile.champion_since = None
    profile.save(update_fields=["champion_since"])
    audit.audit_record(
        action=AuditAction.CHAMPION_LEFT,
        user_id=user.pk,
        subject_user_id=user.pk,
        force_code=profile.force.code,
        path=path,
    )
    return True


@transaction.atomic
def champion_remove(*, profile: LearnerProfile, removed_by, path: str = "") -> bool:
    """A lead (or an administrator) clears a learner's Champion status. Callers check that
    the learner is in the lead's forces. True if they were a Champion."""
    profile = LearnerProfile.objects.select_for_update().select_related("force").get(pk=profile.pk)
    if profile.champion_since is None:
        return False
    profile.champion_since = None
    profile.save(update_fields=["champion_since"])
    audit.audit_record(
        action=AuditAction.CHAMPION_REMOVED,
        user_id=removed_by.pk,
        subject_user_id=profile.user_id,
        force_code=profile.force.code,
        path=path,
    )
    return True
