"""Erase a learner's personal data (UK GDPR erasure request); progress stays anonymised."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from courses import services


class Command(BaseCommand):
    help = (
        "Erase one account's personal data: names, email, staff number, reflections and "
        "certificate codes removed, sign-in disabled, the address blocked from registering "
        "again. Progress is kept anonymised. Safe to run again."
    )

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--email", help="The account's email address.")
        who.add_argument("--user-id", type=int, help="The account's id.")

    def handle(self, *args, email, user_id, **options):
        users = get_user_model().objects
        user = (
            users.filter(pk=user_id).first()
            if user_id is not None
            else users.filter(email__iexact=email.strip()).first()
        )
        if user is None:
            raise CommandError("No account matches. Check the email address or id.")
        try:
            result = services.learner_erase(user=user)
        except services.ErasureRefused as error:
            raise CommandError(str(error)) from error
        if result.already_erased:
            self.stdout.write(f"Account {result.user_id} was already erased; nothing else to do.")
        else:
            self.stdout.write(f"Erased the personal data of account {result.user_id}.")
