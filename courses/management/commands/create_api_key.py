"""Create a training manager's API key and print it once, alone on the last line."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from courses import services
from courses.models import Force


class Command(BaseCommand):
    help = (
        "Create an API key that may read the given forces' reports. The key is printed once, "
        "alone on the last line; only its hash is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="append",
            required=True,
            dest="forces",
            metavar="CODE",
            help="A force code the key may read (repeat for several), e.g. --force met.",
        )
        parser.add_argument("--name", required=True, help="Who or what uses the key.")
        parser.add_argument(
            "--expires-days",
            type=int,
            default=None,
            metavar="N",
            help="Expire the key after N days (default: never).",
        )
        parser.add_argument(
            "--write",
            action="store_true",
            help="Grant the write scope: the key may also set its forces' headcounts "
            "(PUT /api/v1/forces/<code>/headcount/). Keys are read-only without it.",
        )

    def handle(self, *args, forces, name, expires_days, write=False, **options):
        name = name.strip()
        if not name:
            raise CommandError("--name must not be blank.")
        if expires_days is not None and expires_days < 1:
            raise CommandError("--expires-days must be a whole number of days, 1 or more.")
        codes = sorted({code.strip().lower() for code in forces})
        found = {force.code: force for force in Force.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise CommandError(
                f"Unknown force code(s): {', '.join(unknown)}. "
                "Force codes are listed in the Wagtail admin under 'Police forces'."
            )
        expires_at = timezone.now() + timedelta(days=expires_days) if expires_days else None
        issued = services.api_key_create(
            name=name, forces=found.values(), expires_at=expires_at, can_write=write
        )
        expiry = (
            f"expires {timezone.localtime(expires_at):%Y-%m-%d %H:%M %Z}"
            if expires_at
            else "does not expire"
        )
        self.stdout.write(
            f"Created API key '{name}' (prefix {issued.api_key.prefix}) for "
            f"{', '.join(sorted(found))}; it {expiry}; "
            f"{'read and set headcounts' if write else 'read only'}. "
            "Store it now: it will not be shown again."
        )
        self.stdout.write(issued.key)
