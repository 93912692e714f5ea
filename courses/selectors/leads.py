"""Who may see which force's learners in the admin: the one source of a lead's scope."""

from django.db.models import QuerySet

from courses.models import Force


def lead_forces(user) -> QuerySet[Force]:
    """The forces whose learner data this account may see and change in the admin, by name:
    every force for a superuser, a force training lead's own forces, none for anyone else
    (editors and reviewers included). One query when evaluated."""
    if not user.is_authenticated or not user.is_active:
        return Force.objects.none()
    if user.is_superuser:
        return Force.objects.order_by("name")
    return Force.objects.filter(training_leads__user=user).order_by("name")


def is_training_lead(user) -> bool:
    """Whether the account may use the lead's screens (a superuser may too). One query."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or Force.objects.filter(training_leads__user=user).exists())
    )
