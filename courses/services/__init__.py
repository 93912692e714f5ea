"""All writes go through here: keyword-only, typed, `<entity>_<action>` names.

One module per concern: progress (courses.progress), reflections, API keys, learners' data,
moving a learner between forces, enrolment from an HR file and its invitations.
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
from courses.services.enrolments import EnrolmentSyncResult, enrolments_sync
from courses.services.imports import (
    ImportStopped,
    enrolment_import_apply,
    enrolment_import_create,
    enrolment_imports_purge,
)
from courses.services.invitations import invitation_url, invitations_pending, invitations_send
from courses.services.learners import (
    ERASED_EMAIL_DOMAIN,
    ErasureRefused,
    ErasureResult,
    learner_erase,
    learner_export,
    progress_events_purge,
)
from courses.services.moves import LearnerMoveRefused, LearnerMoveResult, learner_move
from courses.services.reflections import reflection_save

__all__ = [
    "CERTIFICATE_ALPHABET",
    "ERASED_EMAIL_DOMAIN",
    "PROGRESS_BATCH_MAX",
    "ErasureRefused",
    "EnrolmentSyncResult",
    "ErasureResult",
    "ImportStopped",
    "IssuedApiKey",
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
    "invitation_url",
    "invitations_pending",
    "invitations_send",
    "learner_erase",
    "learner_export",
    "learner_move",
    "progress_events_purge",
    "progress_record",
    "progress_record_many",
    "reflection_save",
]
