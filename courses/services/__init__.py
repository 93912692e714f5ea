"""All writes go through here: keyword-only, typed, `<entity>_<action>` names.

One module per concern: progress (courses.progress), reflections, API keys, learners' data,
moving a learner between forces, enrolments, force training leads, reminder emails,
enrolment from an HR file and its invitations, a force's LRS connection.
Call sites use `from courses import services; services.progress_record(...)`.
"""

from courses.progress import (
    CERTIFICATE_ALPHABET,
    PROGRESS_BATCH_MAX,
    NotALearner,
    ProgressConflict,
    ProgressRejected,
    ProgressResult,
    progress_record,
    progress_record_many,
)
from courses.services.apikeys import (
    IssuedApiKey,
    api_access_log_record,
    api_access_log_set_row_count,
    api_key_create,
    api_key_hash,
    api_key_revoke,
    api_key_touch,
)
from courses.services.champions import (
    ChampionRefused,
    champion_remove,
    champion_step_down,
    champion_volunteer,
)
from courses.services.enrolments import EnrolmentSyncResult, enrolments_sync
from courses.services.evidence import (
    HEADCOUNT_MAX,
    critical_mass_plan_save,
    headcount_set,
    headcounts_set,
)
from courses.services.imports import (
    ImportStopped,
    enrolment_import_apply,
    enrolment_import_create,
    enrolment_imports_purge,
)
from courses.services.invitations import invitation_url, invitations_pending, invitations_send
from courses.services.lead_digests import force_due_counts, lead_digests_send
from courses.services.leads import (
    LEAD_GRANT_ACTION,
    LEAD_REVOKE_ACTION,
    LeadGrantRefused,
    LeadGrantResult,
    LearnerUpdateRefused,
    LearnerUpdateResult,
    lead_grant,
    lead_revoke,
    learner_profile_update,
)
from courses.services.learners import (
    ERASED_EMAIL_DOMAIN,
    ErasureRefused,
    ErasureResult,
    learner_erase,
    learner_export,
    progress_events_purge,
)
from courses.services.moves import LearnerMoveRefused, LearnerMoveResult, learner_move
from courses.services.pathways import pathway_enrolments_sync, pathway_learners
from courses.services.reflections import reflection_save
from courses.services.reminders import (
    ReminderRun,
    reminder_stop_token,
    reminder_stop_user_id,
    reminder_week,
    reminders_optional_set,
    reminders_send,
)
from courses.services.sso import identity_provider_save
from courses.services.surveys import (
    FREE_TEXT_MAX,
    SurveyAlreadyAnswered,
    SurveyNotOpen,
    survey_decline,
    survey_follow_ups_send,
    survey_response_submit,
)
from courses.services.translated_pages import (
    TranslationNotSubmitted,
    translated_page_cover,
    translated_page_submit,
)
from courses.services.xapi import lrs_connection_save, outbox_retry

__all__ = [
    "TranslationNotSubmitted",
    "translated_page_cover",
    "translated_page_submit",
    "identity_provider_save",
    "CERTIFICATE_ALPHABET",
    "ERASED_EMAIL_DOMAIN",
    "LEAD_GRANT_ACTION",
    "LEAD_REVOKE_ACTION",
    "PROGRESS_BATCH_MAX",
    "ErasureRefused",
    "EnrolmentSyncResult",
    "ErasureResult",
    "ImportStopped",
    "IssuedApiKey",
    "LeadGrantRefused",
    "LeadGrantResult",
    "LearnerUpdateRefused",
    "LearnerUpdateResult",
    "LearnerMoveRefused",
    "LearnerMoveResult",
    "NotALearner",
    "ProgressConflict",
    "ProgressRejected",
    "ProgressResult",
    "api_access_log_record",
    "api_access_log_set_row_count",
    "api_key_create",
    "api_key_hash",
    "api_key_revoke",
    "api_key_touch",
    "enrolment_import_apply",
    "enrolment_import_create",
    "enrolment_imports_purge",
    "enrolments_sync",
    "lead_grant",
    "lead_revoke",
    "invitation_url",
    "invitations_pending",
    "invitations_send",
    "learner_erase",
    "learner_export",
    "learner_move",
    "learner_profile_update",
    "pathway_enrolments_sync",
    "pathway_learners",
    "progress_events_purge",
    "progress_record",
    "progress_record_many",
    "reflection_save",
    # reminders
    "ReminderRun",
    "force_due_counts",
    "lead_digests_send",
    "reminder_stop_token",
    "reminder_stop_user_id",
    "reminder_week",
    "reminders_optional_set",
    "reminders_send",
    "HEADCOUNT_MAX",
    "critical_mass_plan_save",
    "headcount_set",
    "headcounts_set",
    "ChampionRefused",
    "champion_remove",
    "champion_step_down",
    "champion_volunteer",
    "FREE_TEXT_MAX",
    "SurveyAlreadyAnswered",
    "SurveyNotOpen",
    "survey_decline",
    "survey_follow_ups_send",
    "survey_response_submit",
    # xAPI delivery
    "lrs_connection_save",
    "outbox_retry",
]
