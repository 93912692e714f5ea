"""Make every learner's required modules match their role's pathway (services.enrolments_sync)."""

from django.core.management.base import BaseCommand

from courses import services
from courses.models import PATHWAY_ROLES, LearnerProfile


class Command(BaseCommand):
    help = (
        "Enrol learners on their role's pathway: required modules with due dates; modules no "
        "longer required released. Idempotent. Run it daily (before send_reminders): saving a "
        "pathway for a large role in the admin leaves the work to this job."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--role",
            action="append",
            choices=[value for value, _ in PATHWAY_ROLES],
            help="Only learners with this role (repeat for more); default every learner.",
        )

    def handle(self, *args, role=None, **options):
        if role:
            result = services.pathway_enrolments_sync(roles=role)
        else:
            result = services.enrolments_sync(profiles=LearnerProfile.objects.all())
        self.stdout.write(
            f"Enrolments: {result.enrolled} added, {result.changed} due date(s) changed, "
            f"{result.released} no longer required."
        )
