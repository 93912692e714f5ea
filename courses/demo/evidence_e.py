"""Demo data for programme evaluators: one SafeLives evaluator account, for seed_demo.

The account signs in at /admin/ and sees every force's evidence (aggregates only) and the
evaluator's file, but no learner. Idempotent: running it again changes nothing, and an
existing account's password is left alone."""

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from courses.models import PROGRAMME_EVALUATORS_GROUP

EVALUATOR_EMAIL = "evaluator@demo.example"


def seed(*, password: str, now: datetime.datetime):
    """Make (or find) the demo evaluator, a member of the "Programme evaluators" group with a
    verified address; returns the user. `now` is unused (nothing here is dated) and is taken
    so that every evidence seeder is called alike."""
    user, created = get_user_model().objects.get_or_create(
        username=EVALUATOR_EMAIL,
        defaults={
            "email": EVALUATOR_EMAIL,
            "first_name": "Demo",
            "last_name": "Evaluator",
        },
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=EVALUATOR_EMAIL, defaults={"verified": True, "primary": True}
    )
    user.groups.add(Group.objects.get(name=PROGRAMME_EVALUATORS_GROUP))
    return user
