"""Email invitations to learners added from an HR file, and drop HR files older than a day.
Run every few minutes by cron or a systemd timer (README: Enrolment from an HR file)."""

from django.core.management.base import BaseCommand

from courses import services


class Command(BaseCommand):
    help = (
        "Send each learner added from an HR file one invitation to choose a password "
        "(idempotent), and delete uploaded HR files kept longer than a day."
    )

    def handle(self, *args, **options):
        sent = services.invitations_send()
        purged = services.enrolment_imports_purge()
        self.stdout.write(f"Sent {sent} invitation(s); removed {purged} old HR file(s).")
