"""System checks (`manage.py check`, and every command that runs checks) about the data a
deployment needs before learners can use it. Registered by importing this module in
CoursesConfig.ready()."""

from django.core import checks
from django.db import DatabaseError

W001_HINT = (
    "Nobody can register as a learner of this force until it has one. An administrator adds "
    "its domains in the admin: Police forces > {name} > Email domains (for example "
    "met.police.uk). Make a force that will not use the platform inactive to silence this."
)


@checks.register()
def force_email_domains_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """courses.W001: one warning per active force without an email domain. The 48 forces are
    loaded with none, so a fresh installation accepts no registrations until someone adds
    them. Says nothing when the tables do not exist yet (before `migrate`) or the database
    cannot be reached (the command itself reports that)."""
    from courses.models import Force  # apps are ready when checks run

    try:
        names = list(
            Force.objects.filter(is_active=True, email_domains__isnull=True)
            .order_by("name")
            .values_list("name", flat=True)
        )
    except DatabaseError:
        return []
    return [
        checks.Warning(
            f"The active force '{name}' has no email domain.",
            hint=W001_HINT.format(name=name),
            obj=Force,
            id="courses.W001",
        )
        for name in names
    ]
