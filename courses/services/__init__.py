"""All writes go through here: keyword-only, typed, `<entity>_<action>` names.

One module per concern: progress (courses.progress), reflections, API keys, learners' data,
moving a learner between forces.
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

__all__ = [
    "CERTIFICATE_ALPHABET",
    "ERASED_EMAIL_DOMAIN",
    "PROGRESS_BATCH_MAX",
    "ErasureRefused",
    "EnrolmentSyncResult",
    "ErasureResult",
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
    "enrolments_sync",
    "learner_erase",
    "learner_export",
    "learner_move",
    "pathway_enrolments_sync",
    "pathway_learners",
    "progress_events_purge",
    "progress_record",
    "progress_record_many",
    "reflection_save",
]
