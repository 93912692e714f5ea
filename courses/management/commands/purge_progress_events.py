"""Delete progress events older than the retention period; aggregates stay."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from courses import services


class Command(BaseCommand):
    help = (
        "Delete progress ledger events recorded more than PROGRESS_EVENT_RETENTION_DAYS ago. "
        "Lesson and module progress, scores and certificates are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Override the retention period (default: PROGRESS_EVENT_RETENTION_DAYS).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args, days, dry_run, **options):
        days = settings.PROGRESS_EVENT_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("The retention period must be at least 1 day.")
        cutoff = timezone.now() - timedelta(days=days)
        count = services.progress_events_purge(older_than=cutoff, dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {count} progress event(s) recorded before {cutoff:%Y-%m-%d %H:%M} UTC "
            f"({days} days); progress totals are unchanged."
        )
