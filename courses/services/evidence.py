"""Writes behind the critical-mass figures: a force's headcounts by role and its plan.

Both are set by the force's training lead in the admin; headcounts also by an API key with the
write scope. Every change writes an audit entry (who, which force, where from). Bad input is a
django ValidationError whose message_dict names the field (or, for several headcounts at once,
the role), and nothing is written."""

import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from courses import audit
from courses.models import (
    JOB_ROLES,
    ApiKey,
    AuditAction,
    CriticalMassPlan,
    Force,
    Headcount,
    HeadcountSource,
)

# No UK force has this many people in one role (the largest has about 35,000 officers in
# all); a bigger figure is a typing or export mistake, refused rather than diluting the share.
HEADCOUNT_MAX = 100_000
# DA Matters began after this; an earlier "as of" date is a mistake.
HEADCOUNT_EARLIEST = datetime.date(2015, 1, 1)
ROLE_LABELS = dict(JOB_ROLES)


def _headcount_errors(*, role: str, count, as_of, today: datetime.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if role not in ROLE_LABELS:
        errors["role"] = [
            gettext(
                "Unknown role %(role)s; use one of %(roles)s "
                "(a headcount is for a job role, so “not given” has none)."
            )
            % {"role": repr(role), "roles": ", ".join(ROLE_LABELS)}
        ]
    if isinstance(count, bool) or not isinstance(count, int):
        errors["count"] = [gettext("Give the headcount as a whole number, e.g. 1200.")]
    elif count < 0:
        errors["count"] = [gettext("A headcount cannot be negative.")]
    elif count > HEADCOUNT_MAX:
        errors["count"] = [
            gettext(
                "%(count)s is more than any force has in one role (at most %(max)s); "
                "check the figure."
            )
            % {"count": f"{count:,}", "max": f"{HEADCOUNT_MAX:,}"}
        ]
    if not isinstance(as_of, datetime.date) or isinstance(as_of, datetime.datetime):
        errors["as_of"] = [gettext("Give the date the headcount was true, as YYYY-MM-DD.")]
    elif as_of > today + datetime.timedelta(days=1):
        errors["as_of"] = [
            gettext(
                "%(date)s is in the future; give the date the headcount was true "
                "(today at the latest)."
            )
            % {"date": f"{as_of:%Y-%m-%d}"}
        ]
    elif as_of < HEADCOUNT_EARLIEST:
        errors["as_of"] = [
            gettext("Give a date from %(date)s on.") % {"date": f"{HEADCOUNT_EARLIEST:%Y-%m-%d}"}
        ]
    return errors


def _source_fields(*, user, api_key: ApiKey | None) -> dict:
    return {
        "source": HeadcountSource.API if api_key is not None else HeadcountSource.ADMIN,
        "recorded_by": user if user is not None and user.is_authenticated else None,
        "api_key": api_key,
    }


@transaction.atomic
def headcount_set(
    *,
    force: Force,
    role: str,
    count: int,
    as_of: datetime.date,
    user=None,
    api_key: ApiKey | None = None,
    path: str = "",
    today: datetime.date | None = None,
) -> Headcount:
    """Record that `force` had `count` people in `role` on `as_of`, replacing a figure already
    recorded for that day (earlier and later days are kept: the history). Refused
    (ValidationError naming "role", "count" or "as_of") for a role outside JOB_ROLES, a
    count that is not a whole number from 0 to HEADCOUNT_MAX, a date more than a day after
    `today` (default: the local date; a day's grace for time zones and HR exports run after
    midnight) or before HEADCOUNT_EARLIEST. One audit entry per figure set."""
    today = today or timezone.localdate()
    errors = _headcount_errors(role=role, count=count, as_of=as_of, today=today)
    if errors:
        raise ValidationError(errors)
    headcount, _ = Headcount.objects.update_or_create(
        force=force,
        role=role,
        as_of=as_of,
        defaults={"count": count, **_source_fields(user=user, api_key=api_key)},
    )
    audit.audit_record(
        action=AuditAction.HEADCOUNT_SET,
        user_id=user.pk if user is not None and user.is_authenticated else None,
        api_key_prefix=api_key.prefix if api_key is not None else "",
        force_code=force.code,
        path=path,
    )
    return headcount


@transaction.atomic
def headcounts_set(
    *,
    force: Force,
    as_of: datetime.date,
    counts: Mapping[str, int],
    user=None,
    api_key: ApiKey | None = None,
    path: str = "",
    today: datetime.date | None = None,
) -> list[Headcount]:
    """Several roles' headcounts for one date, all or nothing (as headcount_set for each).
    Every mistake is checked before anything is written; the ValidationError's message_dict
    has "as_of" for a bad date, "headcounts" when `counts` is empty, and each bad role's own
    key (the role as given) for an unknown role or a bad count. Returns the stored figures in
    JOB_ROLES order."""
    today = today or timezone.localdate()
    if not counts:
        raise ValidationError(
            {"headcounts": [gettext('Give at least one role\'s headcount, e.g. {"pcso": 300}.')]}
        )
    errors: dict[str, list[str]] = {}
    for role, count in counts.items():
        problems = _headcount_errors(role=role, count=count, as_of=as_of, today=today)
        if "as_of" in problems:
            errors["as_of"] = problems.pop("as_of")
        if problems:
            errors[str(role)] = [message for messages in problems.values() for message in messages]
    if errors:
        raise ValidationError(errors)
    order = list(ROLE_LABELS)
    return [
        headcount_set(
            force=force,
            role=role,
            count=counts[role],
            as_of=as_of,
            user=user,
            api_key=api_key,
            path=path,
            today=today,
        )
        for role in sorted(counts, key=order.index)
    ]


@transaction.atomic
def critical_mass_plan_save(
    *,
    force: Force,
    launch_date: datetime.date | None,
    first_responder_roles: list[str],
    target_percent: int,
    window_days: int,
    champion_target_percent: int,
    user=None,
    path: str = "",
) -> CriticalMassPlan:
    """Create or change the force's plan. Refused (ValidationError naming the field) for no
    first-responder role or one outside JOB_ROLES, and for numbers outside the model's ranges
    (target and Champions target 1-100 per cent, window 1-730 days). One audit entry."""
    roles = [role for role, _ in JOB_ROLES if role in set(first_responder_roles)]
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(first_responder_roles) - set(ROLE_LABELS))
    if unknown:
        errors["first_responder_roles"] = [
            gettext("Unknown role(s): %(roles)s.") % {"roles": ", ".join(unknown)}
        ]
    elif not roles:
        errors["first_responder_roles"] = [gettext("Choose at least one role as first responders.")]
    plan = CriticalMassPlan.objects.select_for_update().filter(force=force).first()
    plan = plan or CriticalMassPlan(force=force)
    plan.launch_date = launch_date
    plan.first_responder_roles = roles
    plan.target_percent = target_percent
    plan.window_days = window_days
    plan.champion_target_percent = champion_target_percent
    plan.updated_by = user if user is not None and user.is_authenticated else None
    try:
        plan.full_clean(exclude=["force", "first_responder_roles", "updated_by"])
    except ValidationError as invalid:
        errors.update(invalid.message_dict)
    if errors:
        raise ValidationError(errors)
    plan.save()
    audit.audit_record(
        action=AuditAction.CRITICAL_MASS_PLAN_SAVED,
        user_id=plan.updated_by.pk if plan.updated_by is not None else None,
        force_code=force.code,
        path=path,
    )
    return plan
