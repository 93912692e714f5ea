"""Force training leads: granting and revoking the role, and a lead's changes to one learner.

The role is two things kept together here: a TrainingLead row (which forces the account may
see, read by selectors.lead_forces) and membership of the TRAINING_LEADS_GROUP group (which only
lets the account into the admin). Every change writes audit entries, one per force gained or
lost, and a Wagtail log entry on the TrainingLead (its history in the admin).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.log_actions import log

from courses import audit
from courses.models import (
    TRAINING_LEADS_GROUP,
    AuditAction,
    Force,
    LearnerProfile,
    TrainingLead,
)
from courses.services.enrolments import enrolments_sync

LEAD_GRANT_ACTION = "courses.lead_grant"
LEAD_REVOKE_ACTION = "courses.lead_revoke"


class LeadGrantRefused(Exception):
    """The account cannot be made a training lead (see the message)."""


class LearnerUpdateRefused(Exception):
    """A lead may not make this change to this account (see the message)."""


@dataclass(frozen=True)
class LeadGrantResult:
    lead: TrainingLead
    created: bool
    forces_added: tuple[str, ...]  # force codes
    forces_removed: tuple[str, ...]


@transaction.atomic
def lead_grant(
    *, user, forces: Iterable[Force], granted_by=None, path: str = ""
) -> LeadGrantResult:
    """Make `user` a training lead of exactly `forces` (a first grant, or a change of forces).

    Adds the account to the training leads group (admin access). Refused for an inactive
    account, an administrator (who already sees every force) and an empty list of forces.
    Idempotent: granting the same forces again changes and records nothing."""
    forces = list(forces)
    if not forces:
        raise LeadGrantRefused(gettext("Choose at least one force for the lead."))
    if not user.is_active:
        raise LeadGrantRefused(
            gettext(
                "This account is deactivated. Reactivate it under Users before making it a lead."
            )
        )
    if user.is_superuser:
        raise LeadGrantRefused(
            gettext("Administrators already see every force; no lead role is needed.")
        )
    lead, created = TrainingLead.objects.select_for_update().get_or_create(
        user=user, defaults={"granted_by": granted_by}
    )
    before = {force.code: force for force in lead.forces.all()}
    after = {force.code: force for force in forces}
    added = tuple(sorted(set(after) - set(before)))
    removed = tuple(sorted(set(before) - set(after)))
    if added or removed:
        lead.forces.set(forces)
    user.groups.add(Group.objects.get(name=TRAINING_LEADS_GROUP))
    by = granted_by.pk if granted_by is not None else None
    for action, codes in ((AuditAction.LEAD_GRANTED, added), (AuditAction.LEAD_REVOKED, removed)):
        for code in codes:
            audit.audit_record(
                action=action, user_id=by, subject_user_id=user.pk, force_code=code, path=path
            )
    if created:
        log(instance=lead, action="wagtail.create", user=granted_by)
    elif added or removed:
        log(
            instance=lead,
            action=LEAD_GRANT_ACTION,
            user=granted_by,
            data={"added": list(added), "removed": list(removed)},
        )
    return LeadGrantResult(lead, created, added, removed)


@transaction.atomic
def lead_revoke(*, user, revoked_by=None, path: str = "") -> bool:
    """Take the training lead role away: the TrainingLead row goes (so the account sees no
    force's learners from the next request on) and the account leaves the training leads
    group (so it can no longer use the admin, unless another group lets it). Returns whether
    there was a role to revoke; revoking twice records nothing the second time."""
    lead = TrainingLead.objects.select_for_update().filter(user=user).first()
    user.groups.remove(*Group.objects.filter(name=TRAINING_LEADS_GROUP))
    if lead is None:
        return False
    by = revoked_by.pk if revoked_by is not None else None
    for code in lead.forces.order_by("code").values_list("code", flat=True):
        audit.audit_record(
            action=AuditAction.LEAD_REVOKED,
            user_id=by,
            subject_user_id=user.pk,
            force_code=code,
            path=path,
        )
    log(instance=lead, action=LEAD_REVOKE_ACTION, user=revoked_by)
    lead.delete()
    return True


@dataclass(frozen=True)
class LearnerUpdateResult:
    profile: LearnerProfile
    deactivated: bool
    reactivated: bool
    enrolments_synced: bool


@transaction.atomic
def learner_profile_update(
    *,
    profile: LearnerProfile,
    role: str,
    team: str,
    staff_number: str,
    start_date: datetime.date | None,
    left_on: datetime.date | None,
    updated_by=None,
) -> LearnerUpdateResult:
    """A lead's (or an administrator's) change to one learner's HR details.

    Setting `left_on` deactivates the account (the learner can no longer sign in, and their
    open required modules stop being due); clearing it reactivates an account that was
    deactivated because they had left. An account that is itself a lead's or an
    administrator's cannot be marked as left here. When the role, start date or activity
    changes, the learner's required modules are brought in line with their role's pathway
    (services.enrolments_sync). Writes a Wagtail log entry when anything changed."""
    profile = LearnerProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    user = profile.user
    newly_left = left_on is not None and profile.left_on is None
    if newly_left and (user.is_superuser or TrainingLead.objects.filter(user=user).exists()):
        raise LearnerUpdateRefused(
            gettext(
                "This account is an administrator's or a training lead's; ask an administrator "
                "to deactivate it."
            )
        )
    role_or_start_changed = (role, start_date) != (profile.role, profile.start_date)
    changed = role_or_start_changed or (team, staff_number, left_on) != (
        profile.team,
        profile.staff_number,
        profile.left_on,
    )
    deactivated = left_on is not None and user.is_active
    reactivated = left_on is None and profile.left_on is not None and not user.is_active
    profile.role = role
    profile.team = team
    profile.staff_number = staff_number
    profile.start_date = start_date
    profile.left_on = left_on
    profile.save(update_fields=["role", "team", "staff_number", "start_date", "left_on"])
    if deactivated or reactivated:
        user.is_active = reactivated
        user.save(update_fields=["is_active"])
    synced = role_or_start_changed or deactivated or reactivated
    if synced:
        enrolments_sync(profiles=LearnerProfile.objects.filter(pk=profile.pk))
    if changed or deactivated or reactivated:
        log(
            instance=profile,
            action="wagtail.edit",
            user=updated_by,
            content_changed=True,
            timestamp=timezone.now(),
        )
    return LearnerUpdateResult(profile, deactivated, reactivated, synced)
