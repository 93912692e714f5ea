"""What happens to each kind of personal data when a learner asks for a copy or to be erased.

RULES names every relation from another model to the user model ("app.Model.field"). Each
rule says how the related rows appear in the learner's export (a function returning JSON-ready
data, or None when the rows are not about the learner as a learner) and what erasure does to
them (a function, or None when keeping them is right, with the reason). A test walks every
model and fails when a relation has no rule, so a new model linked to users cannot ship
without a decision.
"""

from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.crypto import salted_hmac
from wagtail.users.models import UserProfile

from courses.models import (
    ErasedEmail,
    KnowledgeCheckResult,
    LearnerProfile,
    LessonProgress,
    ModuleProgress,
    ProgressEvent,
    Reflection,
    Reminder,
    SurveyAnswer,
    SurveyDecline,
    SurveyResponse,
    Verb,
)

EMAIL_HASH_SALT = "courses.privacy.ErasedEmail"


@dataclass(frozen=True)
class Rule:
    export: Callable | None  # user -> JSON-ready data; None: not part of the export
    erase: Callable | None  # user -> None; None: rows are kept as they are
    why: str  # the reason, for the reader of this file and of SECURITY.md
    section: str = ""  # the export's key for this data (required when `export` is set)


def _iso(value):
    return value.isoformat() if value else None


def _export_profile(user):
    profile = LearnerProfile.objects.select_related("force").filter(user=user).first()
    if profile is None:
        return None
    return {
        "force": profile.force.code,
        "role": profile.role,
        "staff_number": profile.staff_number,
        "team": profile.team,
        "start_date": _iso(profile.start_date),
        "left_on": _iso(profile.left_on),
        "invited_at": _iso(profile.invited_at),
        "optional_reminders": profile.optional_reminders,
        "champion_since": _iso(profile.champion_since),
        "created_at": _iso(profile.created_at),
    }


def _export_reminders(user):
    return [
        {"kind": row.kind, "week": _iso(row.week), "sent_at": _iso(row.sent_at)}
        for row in Reminder.objects.filter(user=user).order_by("sent_at")
    ]


def _erase_profile(user):
    # Force and role stay: they are what force totals are counted by. The staff number goes.
    # Team and start date could identify a person in a small force; they go too. Required
    # modules not yet completed stop counting as due, so nobody is chased for them.
    LearnerProfile.objects.filter(user=user, erased_at__isnull=True).update(
        staff_number="", team="", start_date=None, champion_since=None, erased_at=timezone.now()
    )
    ModuleProgress.objects.filter(learner=user, completed_at__isnull=True).update(
        required=False, due_at=None
    )


def _export_survey_responses(user):
    responses = (
        SurveyResponse.objects.filter(learner=user)
        .select_related("survey")
        .prefetch_related(
            Prefetch("answers", queryset=SurveyAnswer.objects.select_related("statement"))
        )
        .order_by("submitted_at", "pk")
    )
    return [
        {
            "survey": response.survey.title,
            "stage": response.stage,
            "submitted_at": _iso(response.submitted_at),
            "answers": [
                {
                    "statement": answer.statement.text,
                    "answer": answer.get_value_display() if answer.value else "Prefer not to say",
                }
                for answer in sorted(
                    response.answers.all(), key=lambda a: a.statement.sort_order or 0
                )
            ],
            "free_text": response.free_text,
        }
        for response in responses
    ]


def _erase_survey_responses(user):
    # The answers stay for the anonymous aggregates (paired by the random pair_key); the link
    # to the learner and their own words go.
    SurveyResponse.objects.filter(learner=user).update(learner=None, free_text="")


def _export_survey_declines(user):
    return [
        {"survey": row.survey.title, "stage": row.stage, "declined_at": _iso(row.declined_at)}
        for row in SurveyDecline.objects.filter(learner=user)
        .select_related("survey")
        .order_by("declined_at", "pk")
    ]


def _export_reflections(user):
    return [
        {
            "lesson": row.lesson_id,
            "lesson_title": row.lesson.title,
            "prompt_block": row.block_id,
            "text": row.text,
            "created_at": _iso(row.created_at),
            "updated_at": _iso(row.updated_at),
        }
        for row in Reflection.objects.filter(learner=user).select_related("lesson").order_by("pk")
    ]


def _erase_reflections(user):
    Reflection.objects.filter(learner=user).delete()


def _export_module_progress(user):
    return [
        {
            "module": row.module_id,
            "module_title": row.module.title,
            "status": row.get_status_display(),
            "lessons_completed": row.lessons_completed,
            "lessons_total": row.lessons_total,
            "score": row.score,
            "started_at": _iso(row.started_at),
            "completed_at": _iso(row.completed_at),
            "certificate_code": row.certificate_code,
            "required": row.required,
            "enrolled_at": _iso(row.enrolled_at),
            "due_at": _iso(row.due_at),
        }
        for row in ModuleProgress.objects.filter(learner=user)
        .select_related("module")
        .order_by("module__path")
    ]


def _erase_certificates(user):
    # Rows stay (force totals), but a certificate names a person: its code no longer verifies.
    ModuleProgress.objects.filter(learner=user, certificate_code__isnull=False).update(
        certificate_code=None
    )


def _export_lesson_progress(user):
    return [
        {
            "lesson": row.lesson_id,
            "module": row.module_id,
            "status": row.get_status_display(),
            "score": row.score,
            "started_at": _iso(row.started_at),
            "completed_at": _iso(row.completed_at),
        }
        for row in LessonProgress.objects.filter(learner=user).order_by("pk")
    ]


def _export_check_results(user):
    return list(
        KnowledgeCheckResult.objects.filter(learner=user)
        .order_by("pk")
        .values("lesson_id", "block_id", "best_score", "last_score", "attempts")
    )


def _export_events(user):
    return [
        {
            "id": str(row["id"]),
            "lesson": row["lesson_id"],
            "verb": row["verb"],
            "result": row["result"],
            "occurred_at": _iso(row["occurred_at"]),
            "recorded_at": _iso(row["recorded_at"]),
        }
        for row in ProgressEvent.objects.filter(learner=user)
        .order_by("recorded_at")
        .values("id", "lesson_id", "verb", "result", "occurred_at", "recorded_at")
    ]


def _erase_event_results(user):
    # Scored answers are option numbers; any other result is whatever the device sent.
    ProgressEvent.objects.filter(learner=user).exclude(verb=Verb.ANSWERED).update(result={})


def _export_email_addresses(user):
    return list(
        EmailAddress.objects.filter(user=user).order_by("pk").values("email", "verified", "primary")
    )


def _export_identity_provider_accounts(user):
    return [
        {"provider": provider, "subject": uid, "linked_at": _iso(joined)}
        for provider, uid, joined in apps.get_model("socialaccount", "SocialAccount")
        .objects.filter(user=user)
        .order_by("pk")
        .values_list("provider", "uid", "date_joined")
    ]


def _delete(model_label: str, field: str):
    def erase(user):
        apps.get_model(model_label).objects.filter(**{field: user}).delete()

    return erase


def _set_null(model_label: str, field: str):
    def erase(user):
        apps.get_model(model_label).objects.filter(**{field: user}).update(**{field: None})

    return erase


def _export_wagtail_profile(user):
    profile = UserProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    return {
        "preferred_language": profile.preferred_language,
        "current_time_zone": profile.current_time_zone,
        "has_avatar": bool(profile.avatar),
    }


EDITORIAL = (
    "Editorial record of the CMS (pages, revisions, workflow, logs), not learner data; it "
    "points at the anonymised account after erasure"
)

RULES: dict[str, Rule] = {
    # Learner data
    "courses.LearnerProfile.user": Rule(
        _export_profile,
        _erase_profile,
        "Force and role kept for totals; staff number removed",
        section="profile",
    ),
    "courses.Reflection.learner": Rule(
        _export_reflections, _erase_reflections, "Private free text: deleted", "reflections"
    ),
    "courses.ModuleProgress.learner": Rule(
        _export_module_progress,
        _erase_certificates,
        "Kept anonymised so force totals stay right; certificate codes withdrawn",
        section="modules_and_certificates",
    ),
    "courses.SurveyResponse.learner": Rule(
        _export_survey_responses,
        _erase_survey_responses,
        "Likert answers kept unlinked for k-anonymous aggregates; free text deleted",
        section="attitude_surveys",
    ),
    "courses.LessonProgress.learner": Rule(
        _export_lesson_progress, None, "Kept anonymised so force totals stay right", "lessons"
    ),
    "courses.KnowledgeCheckResult.learner": Rule(
        _export_check_results, None, "Scores only; kept anonymised", "knowledge_checks"
    ),
    "courses.ProgressEvent.learner": Rule(
        _export_events,
        _erase_event_results,
        "Ledger kept anonymised until the retention period ends; free-form results cleared",
        section="progress_events",
    ),
    "account.EmailAddress.user": Rule(
        _export_email_addresses,
        _delete("account.EmailAddress", "user"),
        "Addresses deleted; a keyed hash blocks re-registration",
        section="email_addresses",
    ),
    "socialaccount.SocialAccount.user": Rule(
        _export_identity_provider_accounts,
        _delete("socialaccount.SocialAccount", "user"),
        "Links to a force's identity provider deleted: the person cannot sign in through it",
        section="identity_provider_accounts",
    ),
    "wagtailusers.UserProfile.user": Rule(
        _export_wagtail_profile,
        _delete("wagtailusers.UserProfile", "user"),
        "Admin preferences and avatar deleted",
        section="admin_preferences",
    ),
    # Sessions of the CMS and credentials: deleted with the account's access
    "wagtailcore.APIToken.user": Rule(
        None, _delete("wagtailcore.APIToken", "user"), "Credentials, never exported"
    ),
    "wagtailadmin.EditingSession.user": Rule(
        None, _delete("wagtailadmin.EditingSession", "user"), "Transient admin state"
    ),
    "wagtailadmin.FormState.user": Rule(
        None, _delete("wagtailadmin.FormState", "user"), "Transient admin state"
    ),
    "wagtailcore.PageSubscription.user": Rule(
        None, _delete("wagtailcore.PageSubscription", "user"), "Notification settings"
    ),
    "courses.Reminder.user": Rule(
        _export_reminders,
        _delete("courses.Reminder", "user"),
        "Which reminders were sent",
        "reminders",
    ),
    "courses.TrainingLead.user": Rule(
        None, _delete("courses.TrainingLead", "user"), "A lead's access to learner data: removed"
    ),
    "courses.TrainingLead.granted_by": Rule(
        None, _set_null("courses.TrainingLead", "granted_by"), "Who granted a lead is dropped"
    ),
    "courses.EnrolmentImport.created_by": Rule(
        None,
        _set_null("courses.EnrolmentImport", "created_by"),
        "Who uploaded an HR file is dropped; the file itself is deleted within a day",
    ),
    "courses.CriticalMassPlan.updated_by": Rule(
        None, _set_null("courses.CriticalMassPlan", "updated_by"), "Who changed a plan is dropped"
    ),
    "courses.Headcount.recorded_by": Rule(
        None, _set_null("courses.Headcount", "recorded_by"), "Who set a headcount is dropped"
    ),
    "courses.LrsConnection.updated_by": Rule(
        None,
        _set_null("courses.LrsConnection", "updated_by"),
        "Who changed a connection is dropped",
    ),
    "courses.IdentityProvider.updated_by": Rule(
        None,
        _set_null("courses.IdentityProvider", "updated_by"),
        "Who changed a provider is dropped",
    ),
    "courses.ApiKey.created_by": Rule(
        None, _set_null("courses.ApiKey", "created_by"), "Keys stay; who made them is dropped"
    ),
    # --- Attitude surveys
    "courses.SurveyDecline.learner": Rule(
        _export_survey_declines,
        _delete("courses.SurveyDecline", "learner"),
        "Which survey stages the learner skipped: deleted",
        "attitude_surveys_skipped",
    ),
    # Editorial records: kept, pointing at the anonymised account
    "wagtailcore.Page.owner": Rule(None, None, EDITORIAL),
    "wagtailcore.Page.locked_by": Rule(None, _set_null("wagtailcore.Page", "locked_by"), EDITORIAL),
    "wagtailcore.Revision.user": Rule(None, None, EDITORIAL),
    "wagtailcore.PageLogEntry.user": Rule(None, None, EDITORIAL),
    "wagtailcore.ModelLogEntry.user": Rule(None, None, EDITORIAL),
    "wagtailcore.WorkflowState.requested_by": Rule(None, None, EDITORIAL),
    "wagtailcore.TaskState.finished_by": Rule(None, None, EDITORIAL),
    "wagtailcore.Comment.user": Rule(None, None, EDITORIAL),
    "wagtailcore.Comment.resolved_by": Rule(None, None, EDITORIAL),
    "wagtailcore.CommentReply.user": Rule(None, None, EDITORIAL),
    "wagtailcore.UploadedFile.uploaded_by_user": Rule(None, None, EDITORIAL),
    "wagtaildocs.Document.uploaded_by_user": Rule(None, None, EDITORIAL),
    "wagtailimages.Image.uploaded_by_user": Rule(None, None, EDITORIAL),
    "admin.LogEntry.user": Rule(None, None, EDITORIAL),
    # Who last translated a piece of content into Welsh (wagtail-localize)
    "wagtail_localize.StringTranslation.last_translated_by": Rule(None, None, EDITORIAL),
    "wagtail_localize.SegmentOverride.last_translated_by": Rule(None, None, EDITORIAL),
}


def relation_key(relation) -> str:
    """ "app.Model.field" for a reverse relation of the user model."""
    return f"{relation.related_model._meta.label}.{relation.field.name}"


def email_hash(email: str, *, secret: str | None = None) -> str:
    """Keyed hash of a normalised email address (HMAC-SHA256 with SECRET_KEY)."""
    normalised = email.strip().lower()
    return salted_hmac(EMAIL_HASH_SALT, normalised, secret=secret, algorithm="sha256").hexdigest()


def email_is_erased(email: str) -> bool:
    """True when this address belonged to an erased learner (checks rotated keys too)."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    hashes = {email_hash(email, secret=key) for key in keys}
    return ErasedEmail.objects.filter(email_hash__in=hashes).exists()


ERASED_EMAIL_MESSAGE = (
    "This email address belonged to an account that was erased at the owner's request, so it "
    "cannot be used to register. Contact your force's training team if you need a new account."
)
