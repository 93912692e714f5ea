"""Move a learner to another force: completed modules stay with the old force's reports."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from courses import services
from courses.models import Force


class Command(BaseCommand):
    help = (
        "Move a learner to another force. Completed modules stay in the old force's reports; "
        "modules in progress and everything from now on count for the new force. Audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="The learner's email address.")
        parser.add_argument("--force", required=True, help="The new force's code, e.g. gmp.")

    def handle(self, *args, email, force, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError("No account has this email address.")
        new_force = Force.objects.filter(code=force.strip().lower()).first()
        if new_force is None:
            raise CommandError(f"There is no force {force!r}: use its code, e.g. gmp.")
        try:
            result = services.learner_move(learner=user, force=new_force)
        except services.LearnerMoveRefused as error:
            raise CommandError(str(error)) from error
        old = result.old_force.code if result.old_force else "no force"
        self.stdout.write(
            f"Moved account {user.pk} from {old} to {new_force.code}: "
            f"{result.modules_moved} module(s) in progress moved with them."
        )
