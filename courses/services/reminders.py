"""Reminder emails: learners with required modules due soon or overdue (here), and a weekly
digest of counts for each force training lead (courses.services.lead_digests). Run daily by
`manage.py send_reminders` (README: "Reminders").

The rules:
- A learner gets at most one reminder a week (the UK week, Monday to Sunday): one email listing
  every required module not yet finished that is overdue or due within 7 days. The Reminder row
  and its database constraint make this hold even for two runs at once.
- Never after they finished, never to inactive or erased accounts.
- "Due soon" reminders are optional: a learner may stop them (profile.optional_reminders).
  Overdue notices for required training continue.
- A training lead with an active account gets at most one digest a week: counts per force of
  theirs, never a learner's name.
- The Reminder row and the email share a transaction: if sending fails the row is not kept and
  the next run tries again.
"""

import datetime
import itertools
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import mail, signing
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from courses.models import (
    LEARNER_KINDS,
    Force,
    LearnerProfile,
    ModulePage,
    ModuleProgress,
    ProgressStatus,
    Reminder,
    ReminderKind,
    active_language_code,
    default_language_code,
    in_default_locale,
    localized_pages,
)
from courses.selectors.languages import email_language
from courses.services.learners import ERASED_EMAIL_DOMAIN

logger = logging.getLogger(__name__)

DUE_SOON_DAYS = 7
# Rows read from the database at a time: memory stays flat however large the force.
REMINDER_CHUNK_SIZE = 2000
# How long a "stop due-soon reminders" link works: a few months of weekly emails.
STOP_LINK_MAX_AGE = datetime.timedelta(days=120)
_STOP_SALT = "courses.reminders.stop"


@dataclass
class ReminderRun:
    """What one run did. `skipped`: people with something due who got no email this run
    (already reminded this week, or only "due soon" items after they stopped those)."""

    sent: int = 0
    skipped: int = 0
    failed: int = 0


@dataclass(frozen=True)
class DueModule:
    title: str
    url: str
    due_on: datetime.date
    overdue: bool
    days_left: int  # negative when overdue

    @property
    def due_words(self) -> str:
        """The due date in plain UK words, for the email."""
        day = date_format(self.due_on, "l j F Y")
        if self.overdue:
            return gettext("overdue, it was due on %(day)s") % {"day": day}
        if self.days_left == 0:
            return gettext("due today, %(day)s") % {"day": day}
        if self.days_left == 1:
            return gettext("due tomorrow, %(day)s") % {"day": day}
        return ngettext(
            "due by %(day)s, in %(count)d day", "due by %(day)s, in %(count)d days", self.days_left
        ) % {"day": day, "count": self.days_left}


# --- dates and links ---------------------------------------------------------------------------


def reminder_week(now: datetime.datetime) -> datetime.date:
    """The Monday of the UK week `now` falls in: the period of "at most once a week"."""
    today = timezone.localtime(now).date()
    return today - datetime.timedelta(days=today.weekday())


def due_soon_horizon(now: datetime.datetime) -> datetime.datetime:
    """The end of the UK day 7 days from now: a module due at any time that day is due soon."""
    day = timezone.localtime(now).date() + datetime.timedelta(days=DUE_SOON_DAYS + 1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def absolute_url(path: str) -> str:
    """A link for an email, which has no request to take the host from: the site's base URL
    (WAGTAILADMIN_BASE_URL, the setting Wagtail's own notification emails use)."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def reminder_stop_token(user_id: int) -> str:
    """The signed, dated part of a learner's "stop due-soon reminders" link."""
    return signing.dumps(user_id, salt=_STOP_SALT)


def reminder_stop_user_id(token: str) -> int:
    """The learner a stop link was made for. Raises signing.BadSignature (or its subclass
    SignatureExpired) for a changed or expired link."""
    user_id = signing.loads(token, salt=_STOP_SALT, max_age=STOP_LINK_MAX_AGE)
    if not isinstance(user_id, int):
        raise signing.BadSignature("Not a reminder link.")
    return user_id


def reminder_stop_url(user_id: int) -> str:
    return absolute_url(reverse("courses:reminders_stop", args=[reminder_stop_token(user_id)]))


# --- the learner's choice ----------------------------------------------------------------------


def reminders_optional_set(*, user_id: int, enabled: bool) -> bool:
    """Turn a learner's "due soon" reminders on or off. Returns whether they had a learner
    profile to change. Idempotent; one query."""
    return bool(LearnerProfile.objects.filter(user_id=user_id).update(optional_reminders=enabled))


# --- learner reminders -------------------------------------------------------------------------


def reminders_send(*, now: datetime.datetime | None = None) -> ReminderRun:
    """Email every learner with a required module overdue or due within 7 days, at most once
    in the UK week of `now`. Idempotent within the week.

    Reads each active force's open required rows through the partial index on (force, due_at),
    in chunks of REMINDER_CHUNK_SIZE (learner, module) rows, with the learner's address, choice
    and whether they were reminded this week in the same query. Per email: one INSERT of the
    Reminder row, in a transaction with the sending."""
    now = now or timezone.now()
    week, horizon = reminder_week(now), due_soon_horizon(now)
    modules = _live_modules()
    run = ReminderRun()
    with mail.get_connection() as connection:
        forces = Force.objects.filter(is_active=True).values_list("pk", "country")
        for force_id, country in forces:
            rows = _due_rows(force_id=force_id, horizon=horizon, week=week).iterator(
                chunk_size=REMINDER_CHUNK_SIZE
            )
            for learner_id, learner_rows in itertools.groupby(rows, key=lambda r: r[0]):
                learner_rows = list(learner_rows)
                # In the learner's own language (their choice, else Welsh for Wales).
                with translation.override(email_language(learner_rows[0][-1], country)):
                    _remind_learner(learner_id, learner_rows, modules, now, week, run, connection)
    return run


def _live_modules() -> dict[int, dict[str, tuple[str, str]]]:
    """Every live module's title and link in each language, read once per run (there are a
    handful; one query per language): keyed by the source (default-locale) module, which the
    learners' rows are kept against; in Welsh, its translation (or the Welsh alias of an
    untranslated module, which shows the English with a notice)."""
    english = list(in_default_locale(ModulePage.objects.live()))
    found = {module.pk: {} for module in english}
    for code, _ in settings.LANGUAGES:
        with translation.override(code):
            for pk, module in localized_pages(english, code).items():
                found[pk][code] = (module.title, absolute_url(module.get_url() or "/"))
    return found


def _in_language(module: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """A module's title and link in the active language, else the default's."""
    return module.get(active_language_code()) or module[default_language_code()]


def _due_rows(*, force_id: int, horizon, week):
    """A force's open required rows due before `horizon`, one learner's rows together. On
    PostgreSQL, iterated through a server-side cursor that outlives the per-email commits
    (Django declares it WITH HOLD in autocommit mode)."""
    reminded = Reminder.objects.filter(
        user_id=OuterRef("learner_id"), week=week, kind__in=LEARNER_KINDS
    )
    return (
        ModuleProgress.objects.filter(
            force_id=force_id,
            required=True,
            status__lt=ProgressStatus.COMPLETED,
            due_at__lt=horizon,
            learner__is_active=True,
            learner__learner_profile__erased_at__isnull=True,
        )
        .exclude(learner__email__iendswith=ERASED_EMAIL_DOMAIN)
        .annotate(reminded=Exists(reminded))
        .order_by("learner_id", "due_at", "module_id")
        .values_list(
            "learner_id",
            "module_id",
            "due_at",
            "reminded",
            "learner__email",
            "learner__first_name",
            "learner__last_name",
            "learner__learner_profile__optional_reminders",
            "learner__learner_profile__language",
        )
    )


def _remind_learner(learner_id, rows, modules, now, week, run: ReminderRun, connection) -> None:
    _, _, _, reminded, email, first_name, last_name, optional, _ = rows[0]
    today = timezone.localtime(now).date()
    due = []
    for _, module_id, due_at, *_ in rows:
        if module_id not in modules:
            continue  # unpublished: nothing the learner could open
        due_on = timezone.localtime(due_at).date()
        overdue = due_at < now
        if overdue or optional:
            title, url = _in_language(modules[module_id])
            due.append(DueModule(title, url, due_on, overdue, (due_on - today).days))
    if reminded or not due:
        run.skipped += 1
        return
    kind = ReminderKind.OVERDUE if any(m.overdue for m in due) else ReminderKind.DUE_SOON
    message = _learner_email(
        email=email,
        name=f"{first_name} {last_name}".strip() or email,
        due=due,
        stop_url=reminder_stop_url(learner_id) if optional else None,
        connection=connection,
    )
    send_once(Reminder(user_id=learner_id, kind=kind, week=week), message, run)


def _learner_email(*, email, name, due, stop_url, connection) -> mail.EmailMultiAlternatives:
    overdue = [m for m in due if m.overdue]
    context = {
        "service_name": settings.SERVICE_NAME,
        "name": name,
        "overdue": overdue,
        "due_soon": [m for m in due if not m.overdue],
        "stop_url": stop_url,
        "settings_url": absolute_url(reverse("courses:reminder_settings")),
        "dashboard_url": absolute_url(reverse("courses:dashboard")),
        "support_url": absolute_url(reverse("courses:support")),
    }
    if overdue:
        subject = (
            gettext("%(service)s: Required training is overdue")
            if len(due) > 1
            else gettext("%(service)s: A required module is overdue")
        )
    else:
        subject = (
            gettext("%(service)s: Required training is due soon")
            if len(due) > 1
            else gettext("%(service)s: A required module is due soon")
        )
    headers = {}
    if stop_url:
        # RFC 8058: mail programs offer "unsubscribe", and POST to the link without opening it.
        headers = {
            "List-Unsubscribe": f"<{stop_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    message = mail.EmailMultiAlternatives(
        subject=subject % {"service": settings.SERVICE_NAME},
        body=render_to_string("courses/email/learner_reminder.txt", context),
        to=[email],
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(
        render_to_string("courses/email/learner_reminder.html", context), "text/html"
    )
    return message


def send_once(reminder: Reminder, message: mail.EmailMessage, run: ReminderRun) -> None:
    """Record and send in one transaction: a failed send keeps no row, so the next run
    retries; a row another run recorded first (the weekly constraint) means no email."""
    try:
        with transaction.atomic():
            reminder.save(force_insert=True)
            message.send()
    except IntegrityError:
        run.skipped += 1
    except Exception:
        # Any backend error (SMTP refused, timeout): logged without the address, retried.
        logger.exception("Reminder email %s for user %s not sent", reminder.kind, reminder.user_id)
        run.failed += 1
    else:
        run.sent += 1
