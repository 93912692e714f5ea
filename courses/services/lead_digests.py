"""The weekly digest for force training leads: for each of their forces, counts of learners
with required training overdue or due within 7 days, never a learner's name. At most one a
week per lead (the Reminder row, as for learners' reminders: courses.services.reminders)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core import mail
from django.db.models import Count, Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from courses.models import (
    Force,
    ModulePage,
    ModuleProgress,
    ProgressStatus,
    Reminder,
    ReminderKind,
    TrainingLead,
)
from courses.services.learners import ERASED_EMAIL_DOMAIN
from courses.services.reminders import (
    ReminderRun,
    absolute_url,
    due_soon_horizon,
    reminder_week,
    send_once,
)


@dataclass
class ForceDueCounts:
    """One force's figures for a lead's digest: counts only."""

    force: Force
    overdue_learners: int = 0
    due_soon_learners: int = 0
    modules: list[tuple[str, int, int]] = field(default_factory=list)  # title, overdue, due soon


def lead_digests_send(*, now: datetime.datetime | None = None) -> ReminderRun:
    """Email each force training lead with an active account a digest of their forces'
    overdue and due-soon counts, at most once in the UK week of `now`. Counts only, never
    names. Idempotent within the week. A fixed number of queries for the counts (grouped over
    the partial index), then one INSERT per digest."""
    now = now or timezone.now()
    week = reminder_week(now)
    sent_this_week = Reminder.objects.filter(
        user_id=OuterRef("user_id"), week=week, kind=ReminderKind.LEAD_DIGEST
    )
    leads = list(
        TrainingLead.objects.filter(user__is_active=True)
        .exclude(user__email__iendswith=ERASED_EMAIL_DOMAIN)
        .annotate(sent=Exists(sent_this_week))
        .select_related("user")
        .prefetch_related("forces")
        .order_by("pk")
    )
    counts = force_due_counts(
        forces={f.pk: f for lead in leads if not lead.sent for f in lead.forces.all()}, now=now
    )
    run = ReminderRun()
    dashboard_url = absolute_url(reverse("force_dashboard:pick"))
    with mail.get_connection() as connection:
        for lead in leads:
            forces = sorted(lead.forces.all(), key=lambda f: f.name)
            if lead.sent or not forces:
                run.skipped += 1
                continue
            message = _digest_email(
                user=lead.user,
                counts=[counts[f.pk] for f in forces],
                dashboard_url=dashboard_url,
                connection=connection,
            )
            reminder = Reminder(user_id=lead.user_id, kind=ReminderKind.LEAD_DIGEST, week=week)
            send_once(reminder, message, run)
    return run


def force_due_counts(*, forces: dict[int, Force], now) -> dict[int, ForceDueCounts]:
    """Overdue and due-within-7-days counts for each force: learners, and rows per module.
    Overdue is the platform's one definition: required, not completed, due before now.
    Two grouped queries (plus one for module titles) whatever the number of forces."""
    horizon = due_soon_horizon(now)
    result = {pk: ForceDueCounts(force=force) for pk, force in forces.items()}
    if not forces:
        return result
    open_rows = ModuleProgress.objects.filter(
        force_id__in=list(forces),
        required=True,
        status__lt=ProgressStatus.COMPLETED,
        due_at__lt=horizon,
    )
    overdue, due_soon = Q(due_at__lt=now), Q(due_at__gte=now)
    for row in open_rows.values("force_id").annotate(
        overdue=Count("learner_id", filter=overdue, distinct=True),
        due_soon=Count("learner_id", filter=due_soon, distinct=True),
    ):
        counts = result[row["force_id"]]
        counts.overdue_learners, counts.due_soon_learners = row["overdue"], row["due_soon"]
    per_module = list(
        open_rows.values("force_id", "module_id").annotate(
            overdue=Count("pk", filter=overdue), due_soon=Count("pk", filter=due_soon)
        )
    )
    titles = dict(
        ModulePage.objects.filter(pk__in={r["module_id"] for r in per_module}).values_list(
            "pk", "title"
        )
    )
    for row in sorted(per_module, key=lambda r: titles.get(r["module_id"], "")):
        result[row["force_id"]].modules.append(
            (
                titles.get(row["module_id"], gettext("A removed module")),
                row["overdue"],
                row["due_soon"],
            )
        )
    return result


def _digest_email(*, user, counts: Iterable[ForceDueCounts], dashboard_url, connection):
    counts = list(counts)
    context = {
        "service_name": settings.SERVICE_NAME,
        "name": user.get_full_name() or user.email,
        "forces": counts,
        "dashboard_url": dashboard_url,
    }
    if len(counts) == 1:
        subject = gettext("%(service)s: this week's required training for %(force)s") % {
            "service": settings.SERVICE_NAME,
            "force": counts[0].force.name,
        }
    else:
        subject = gettext("%(service)s: this week's required training for your forces") % {
            "service": settings.SERVICE_NAME
        }
    message = mail.EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("courses/email/lead_digest.txt", context),
        to=[user.email],
        connection=connection,
    )
    message.attach_alternative(
        render_to_string("courses/email/lead_digest.html", context), "text/html"
    )
    return message
