"""Load demo content: idempotent, and refused under production settings."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

DEFAULT_PASSWORD = "demo-password-2026"  # noqa: S105 - demo accounts only, never in production
ADMIN_EMAIL = "admin@demo.example"


class Command(BaseCommand):
    help = "Create demo content and accounts (safe to run again). Refuses to run in production."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help="Password for every demo account (default: %(default)s).",
        )

    def handle(self, *args, password: str, **options):
        if getattr(settings, "ENVIRONMENT", "") == "production":
            raise CommandError(
                "seed_demo creates known passwords and refuses to run in production."
            )
        with transaction.atomic():
            admin = self._admin(password)
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
        self.stdout.write(
            f"Wagtail admin: http://127.0.0.1:8000/admin/  email {admin.email}  password {password}"
        )

    def _admin(self, password: str):
        User = get_user_model()
        admin, created = User.objects.get_or_create(
            username="admin",
            defaults={"email": ADMIN_EMAIL, "is_staff": True, "is_superuser": True},
        )
        if created:
            admin.set_password(password)
            admin.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=admin, email=ADMIN_EMAIL, defaults={"verified": True, "primary": True}
        )
        return admin
