"""Reads for taking attitude surveys: when a learner is offered a stage, what the form shows,
and the editors' free-text screen. Results (k-anonymous aggregates) are in
courses.selectors.surveys; nothing here reports one learner's answers to anyone else."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from courses.models import (
    K_ANONYMITY,
    AttitudeSurvey,
    Force,
    LearnerProfile,
    LessonPage,
    ModuleProgress,
    ProgrammePage,
    ProgressStatus,
    SurveyDecline,
    SurveyResponse,
    SurveyStage,
    SurveyStatement,
    localized_all,
)
from courses.selectors.evidence import trained_profiles

# How many free-text answers the editors' screen shows at once (a random sample beyond it).
FREE_TEXT_SHOWN_MAX = 500


def _settled(user, stage: str):
    """Surveys this learner has answered or declined at `stage` (for OuterRef("pk"))."""
    answered = SurveyResponse.objects.filter(survey=OuterRef("pk"), learner_id=user.pk, stage=stage)
    declined = SurveyDecline.objects.filter(survey=OuterRef("pk"), learner_id=user.pk, stage=stage)
    return Exists(answered) | Exists(declined)


def _programme_started(user):
    """The learner has started a module of the survey's programme (for OuterRef on a survey)."""
    return Exists(
        ModuleProgress.objects.filter(
            learner_id=user.pk,
            module__path__startswith=OuterRef("programme__path"),
        ).exclude(status=ProgressStatus.NOT_STARTED)
    )


def pre_survey_offer(*, user, lesson: LessonPage) -> AttitudeSurvey | None:
    """The live survey of the lesson's programme, when this learner (with a learner profile)
    has neither answered nor skipped its "pre" stage and has not started any module of the
    programme yet; else None. Exactly 1 query."""
    return (
        AttitudeSurvey.objects.originals()
        .filter(
            live=True,
            # The lesson's programme in any language: a Welsh lesson's is the Welsh page.
            programme__translation_key__in=ProgrammePage.objects.ancestor_of(lesson).values(
                "translation_key"
            ),
        )
        .filter(Exists(LearnerProfile.objects.filter(user_id=user.pk)))
        .exclude(_settled(user, SurveyStage.PRE))
        .exclude(_programme_started(user))
        .order_by("pk")
        .first()
    )


def post_survey_offer(*, user) -> AttitudeSurvey | None:
    """A live survey whose "post" stage this learner has neither answered nor declined, when
    they are trained (completed every live module of their role's pathway:
    selectors.trained_profiles); else None. Exactly 1 query."""
    if not user.is_authenticated:
        return None
    trained = trained_profiles(force=None, user_id=user.pk)
    return (
        AttitudeSurvey.objects.originals()
        .filter(live=True)
        .filter(Exists(trained))
        .exclude(_settled(user, SurveyStage.POST))
        .order_by("pk")
        .first()
    )


@dataclass
class SurveyForm:
    """What a learner's survey page needs. `open`: the stage is open to them now (else
    `closed_reason` says why, in words for them); `answered`: they already answered it."""

    survey: AttitudeSurvey
    stage: str
    profile: LearnerProfile | None
    statements: list[SurveyStatement]
    open: bool
    answered: bool
    closed_reason: str = ""
    # How it reads in the learner's language: the survey's live translation, else `survey`,
    # and each statement's wording by the (source) statement's id. Answers are recorded
    # against `survey` and `statements` whatever the language.
    shown: AttitudeSurvey | None = None
    wording: dict[int, str] = field(default_factory=dict)


def follow_up_due_at(post_submitted_at: datetime.datetime, weeks: int) -> datetime.datetime:
    return post_submitted_at + datetime.timedelta(weeks=weeks)


def _in_learners_language(found: SurveyForm) -> None:
    """`shown` and `wording`: the live translation in the active language of the survey and
    of each statement, else the source's own. No query in the default language; else two."""
    found.shown = localized_all([found.survey])[0]
    shown = localized_all(found.statements)
    found.wording = {
        statement.pk: translation.text
        for statement, translation in zip(found.statements, shown, strict=True)
    }


def survey_form(*, user, survey_id: int, stage: str, now=None) -> SurveyForm | None:
    """The live survey and whether `stage` is open to this learner: "pre" until they start a
    module of its programme, "post" once they are trained, "follow-up" `follow_up_weeks`
    after their post response. None when there is no such live survey or stage. At most 5
    queries (7 in a language other than the default: the translations)."""
    now = now or timezone.now()
    if stage not in SurveyStage.values:
        return None
    survey = (
        AttitudeSurvey.objects.originals()
        .filter(live=True, pk=survey_id)
        .select_related("programme")
        .first()
    )
    if survey is None or (stage == SurveyStage.FOLLOW_UP and not survey.follow_up_weeks):
        return None
    profile = LearnerProfile.objects.filter(user_id=user.pk).select_related("force").first()
    found = SurveyForm(
        survey=survey,
        stage=stage,
        profile=profile,
        statements=list(survey.statements.order_by("sort_order", "pk")),
        open=False,
        answered=False,
    )
    _in_learners_language(found)
    if profile is None:
        found.closed_reason = gettext(
            "Only learners with a force and a role can answer this survey."
        )
        return found
    mine = {
        row.stage: row
        for row in SurveyResponse.objects.filter(survey=survey, learner_id=user.pk).only(
            "stage", "submitted_at", "pair_key"
        )
    }
    found.answered = stage in mine
    if stage == SurveyStage.PRE:
        started = (
            ModuleProgress.objects.filter(
                learner_id=user.pk, module__path__startswith=survey.programme.path
            )
            .exclude(status=ProgressStatus.NOT_STARTED)
            .exists()
        )
        found.open = not started
        found.closed_reason = gettext("This survey is asked only before your first lesson.")
    elif stage == SurveyStage.POST:
        found.open = trained_profiles(force=None, user_id=user.pk).exists()
        found.closed_reason = gettext("This survey opens once you have completed your training.")
    else:
        post = mine.get(SurveyStage.POST)
        found.open = post is not None and now >= follow_up_due_at(
            post.submitted_at, survey.follow_up_weeks
        )
        found.closed_reason = ngettext(
            "The follow-up opens %(weeks)d week after you answer the survey at the end of "
            "your training.",
            "The follow-up opens %(weeks)d weeks after you answer the survey at the end of "
            "your training.",
            survey.follow_up_weeks,
        ) % {"weeks": survey.follow_up_weeks}
    return found


# --- Free text for editors --------------------------------------------------------------------

ALL_FORCES = "all"
OTHER_FORCES = "other"


@dataclass
class FreeTextAnswer:
    month: datetime.date  # the first day of the UK month it was given: never the exact date
    stage: str
    text: str


@dataclass
class FreeTextScreen:
    """Free-text answers to one survey, without who, which force or the exact date, in random
    order. `options`: (value, label) of the filters that reach at least K_ANONYMITY answers;
    `shown` is False when the chosen group has fewer (then `answers` is empty)."""

    survey: AttitudeSurvey
    chosen: str
    options: list[tuple[str, str]] = field(default_factory=list)
    answers: list[FreeTextAnswer] = field(default_factory=list)
    total: int = 0
    shown: bool = False


def survey_free_text(*, survey: AttitudeSurvey, choice: str = ALL_FORCES) -> FreeTextScreen:
    """The editors' free-text screen. A force is offered as a filter only with at least
    K_ANONYMITY answers; the remaining forces together as "other forces" only when they reach
    K_ANONYMITY too, and all forces only when the total does. An unknown or unoffered choice
    shows nothing. 3 queries (counts per force, the offered forces' names, the answers)."""
    written = SurveyResponse.objects.filter(survey=survey).exclude(free_text="")
    counts = dict(
        written.order_by()
        .values_list("force_id")
        .annotate(n=Count("id"))
        .values_list("force_id", "n")
    )
    large = {force_id for force_id, n in counts.items() if n >= K_ANONYMITY}
    total = sum(counts.values())
    pooled = total - sum(counts[force_id] for force_id in large)
    options: list[tuple[str, str]] = []
    if total >= K_ANONYMITY:
        options.append((ALL_FORCES, gettext("All forces (%(count)d)") % {"count": total}))
    codes = {}
    for force in Force.objects.filter(pk__in=large).order_by("name"):
        codes[force.code] = force.pk
        options.append((force.code, f"{force.name} ({counts[force.pk]})"))
    if large and pooled >= K_ANONYMITY:
        options.append((OTHER_FORCES, gettext("Other forces (%(count)d)") % {"count": pooled}))
    screen = FreeTextScreen(survey=survey, chosen=choice, options=options, total=total)
    if choice not in dict(options):
        return screen
    if choice in codes:
        written = written.filter(force_id=codes[choice])
    elif choice == OTHER_FORCES:
        written = written.exclude(force_id__in=large)
    rows = written.order_by("?").values_list("submitted_at", "stage", "free_text")
    stages = dict(SurveyStage.choices)
    screen.answers = [
        FreeTextAnswer(
            month=timezone.localtime(at).date().replace(day=1), stage=stages[stage], text=text
        )
        for at, stage, text in rows[:FREE_TEXT_SHOWN_MAX]
    ]
    screen.shown = True
    return screen
