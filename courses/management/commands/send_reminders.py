"""Send this week's reminder emails: learners' and training leads'. Run it daily (README:
"Reminders"); running it again sends nothing twice."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from courses import services


class Command(BaseCommand):
    help = (
        "Email learners whose required modules are overdue or due within 7 days, each "
        "force training lead a weekly digest, and learners due a survey follow-up. Each "
        "person at most once a week; safe to rerun."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            help="Run as if it were this time, in ISO 8601 (for example 2026-12-07T08:00); "
            "a time without a zone is UK time. Default: now.",
        )

    def handle(self, *args, now: str | None = None, **options):
        # The emails' links are reversed under a language prefix: the site's default unless
        # a learner's own language is chosen for their email.
        translation.activate(settings.LANGUAGE_CODE)
        when = timezone.now()
        if now:
            try:
                when = datetime.datetime.fromisoformat(now)
            except ValueError:
                raise CommandError(
                    f"--now {now!r} is not an ISO 8601 time; use, for example, 2026-12-07T08:00."
                ) from None
            if timezone.is_naive(when):
                when = timezone.make_aware(when)
        week = services.reminder_week(when)
        self.stdout.write(f"Reminders for the week starting Monday {week:%d %B %Y}:")
        learners = services.reminders_send(now=when)
        self.stdout.write(
            f"Learner reminders: {learners.sent} sent, {learners.skipped} skipped, "
            f"{learners.failed} failed."
        )
        leads = services.lead_digests_send(now=when)
        self.stdout.write(
            f"Lead digests: {leads.sent} sent, {leads.skipped} skipped, {leads.failed} failed."
        )
        # --- Attitude surveys' follow-up invitations, after the reminders
        follow_ups = services.survey_follow_ups_send(now=when)
        self.stdout.write(
            f"Survey follow-up invitations: {follow_ups.sent} sent, {follow_ups.skipped} "
            f"skipped, {follow_ups.failed} failed."
        )
        failed = learners.failed + leads.failed + follow_ups.failed
        if failed:
            raise CommandError(
                f"{failed} email(s) could not be sent (see the log). Nothing was recorded for "
                "them, so the next run tries again."
            )
