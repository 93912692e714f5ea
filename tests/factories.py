"""Factories for tests. Page factories build real Wagtail trees under the site root."""

import datetime

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory

from courses import services
from courses.models import (
    Force,
    LearnerProfile,
    LearnerRole,
    LessonPage,
    ModulePage,
    ModuleProgress,
    ModuleTheme,
    ProgrammePage,
    ProgressStatus,
    Testimony,
)
from courses.progress import totals


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("correct-horse-battery")


def force(code: str) -> Force:
    """One of the 48 forces loaded by migration."""
    return Force.objects.get(code=code)


class LearnerProfileFactory(DjangoModelFactory):
    class Meta:
        model = LearnerProfile

    user = factory.SubFactory(UserFactory)
    force = factory.LazyFunction(lambda: force("met"))
    role = LearnerRole.RESPONSE_OFFICER
    staff_number = factory.Sequence(lambda n: f"MP{n:05d}")


def learner(force_code: str = "met", **kwargs):
    """A user with a learner profile in the given force."""
    return LearnerProfileFactory(force=force(force_code), **kwargs).user


class ProgrammePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ProgrammePage

    title = "DA Matters"


class ModulePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ModulePage

    title = factory.Sequence(lambda n: f"Module {n}")
    theme = ModuleTheme.LEADERSHIP
    summary = "What good leadership looks like when a colleague is affected by domestic abuse."
    pass_mark = 80


class LessonPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Lesson {n}")
    estimated_minutes = 10
    body = factory.LazyFunction(
        lambda: [("paragraph", "<p>Coercive control is a pattern, not an incident.</p>")]
    )


KNOWLEDGE_CHECK = {
    "question": "Which question puts responsibility where it belongs?",
    "allow_multiple": False,
    "options": [
        {"text": "Why doesn't she leave?", "is_correct": False, "feedback": "This blames her."},
        {"text": "Why doesn't he stop?", "is_correct": True, "feedback": "Yes: his choice."},
        {
            "text": "Why did she provoke him?",
            "is_correct": False,
            "feedback": "No one provokes abuse.",
        },
    ],
}


class ModuleProgressFactory(DjangoModelFactory):
    """A learner's row for a module, as the progress write path leaves it. Pass `learner`
    (a user with a learner profile) and `module`; the force is the learner's."""

    class Meta:
        model = ModuleProgress

    learner = factory.LazyFunction(learner)
    force = factory.LazyAttribute(lambda row: row.learner.learner_profile.force)
    status = ProgressStatus.IN_PROGRESS
    lessons_total = 3
    lessons_completed = 1
    started_at = factory.LazyFunction(timezone.now)

    class Params:
        completed = factory.Trait(
            status=ProgressStatus.COMPLETED,
            lessons_completed=3,
            score=90,
            completed_at=factory.LazyFunction(timezone.now),
        )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As every write path does: the row's counts go to its (force, module) totals.
        row = super()._create(model_class, *args, **kwargs)
        totals.totals_update([(None, totals.RowState.of(row))])
        return row


def training_lead(*force_codes: str, **user_fields):
    """An account made a force training lead of these forces, as an administrator does it
    (services.lead_grant: the TrainingLead row and the leads' group)."""
    user = UserFactory(**user_fields)
    services.lead_grant(user=user, forces=[force(code) for code in force_codes])
    return user


def api_key(*force_codes: str, name: str = "Training manager", **kwargs) -> services.IssuedApiKey:
    """A key (through the service) that may read the given forces; `.key` is the secret."""
    return services.api_key_create(
        name=name, forces=[force(code) for code in force_codes or ("met",)], **kwargs
    )


def consented_testimony(attribution="Robin, survivor", **fields) -> Testimony:
    """A testimony whose consent holds: recorded 30 days ago, due for review in 200."""
    today = timezone.localdate()
    values = {
        "text": f"What {attribution} wants officers to hear.",
        "consent_recorded_on": today - datetime.timedelta(days=30),
        "consent_review_by": today + datetime.timedelta(days=200),
        **fields,
    }
    return Testimony.objects.create(attribution=attribution, **values)
