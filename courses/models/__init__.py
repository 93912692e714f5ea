"""Domain models, one file per concern, re-exported here so `courses.models.X` works."""

from .apikeys import ApiAccessLog, ApiKey
from .audit import AuditAction, AuditEvent, ErasedEmail
from .content import ContentVersion
from .evidence import (
    BENCHMARK_MIN_FORCES,
    DEFAULT_FIRST_RESPONDER_ROLES,
    K_ANONYMITY,
    PROGRAMME_EVALUATORS_GROUP,
    CriticalMassPlan,
    Headcount,
    HeadcountSource,
)
from .forces import Country, Force, ForceEmailDomain
from .imports import EnrolmentImport, EnrolmentImportStatus, private_storage
from .leads import TRAINING_LEADS_GROUP, TrainingLead
from .learners import (
    JOB_ROLES,
    ROLE_GROUPS,
    LearnerProfile,
    LearnerRole,
    Reflection,
    display_name,
    role_group,
)
from .pages import (
    LEARNER_BARRED,
    ContentNotice,
    LessonPage,
    ModulePage,
    ModuleTheme,
    ProgrammePage,
    counted_lessons,
    lessons_minutes,
    with_minutes,
)
from .pathways import PATHWAY_ROLES, Pathway, PathwayStep
from .progress import (
    ForceModuleSummary,
    KnowledgeCheckResult,
    LessonProgress,
    ModuleProgress,
    ProgressEvent,
    ProgressStatus,
    Verb,
)
from .reminders import LEARNER_KINDS, Reminder, ReminderKind
from .snippets import SupportAudience, SupportService, Testimony
from .sso import IdentityProvider
from .survey_declines import SurveyDecline
from .surveys import (
    PREFER_NOT_TO_SAY,
    PROGRAMME_HAS_SURVEY,
    AttitudeSurvey,
    Likert,
    SurveyAnswer,
    SurveyResponse,
    SurveyStage,
    SurveyStatement,
)
from .translations import active_language, default_language, localized_all
from .xapi import (
    ActorFormat,
    LrsConnection,
    OutboxState,
    XapiOutbox,
    XapiVersion,
)

__all__ = [
    "IdentityProvider",
    "ActorFormat",
    "LrsConnection",
    "OutboxState",
    "XapiOutbox",
    "XapiVersion",
    "BENCHMARK_MIN_FORCES",
    "DEFAULT_FIRST_RESPONDER_ROLES",
    "JOB_ROLES",
    "K_ANONYMITY",
    "PREFER_NOT_TO_SAY",
    "PROGRAMME_HAS_SURVEY",
    "PROGRAMME_EVALUATORS_GROUP",
    "ROLE_GROUPS",
    "AttitudeSurvey",
    "CriticalMassPlan",
    "Headcount",
    "HeadcountSource",
    "Likert",
    "SurveyAnswer",
    "SurveyResponse",
    "SurveyStage",
    "SurveyStatement",
    "role_group",
    "EnrolmentImport",
    "EnrolmentImportStatus",
    "private_storage",
    "LEARNER_BARRED",
    "LEARNER_KINDS",
    "PATHWAY_ROLES",
    "TRAINING_LEADS_GROUP",
    "Pathway",
    "PathwayStep",
    "Reminder",
    "ReminderKind",
    "TrainingLead",
    "counted_lessons",
    "lessons_minutes",
    "with_minutes",
    "ApiAccessLog",
    "ApiKey",
    "AuditAction",
    "AuditEvent",
    "ErasedEmail",
    "ContentNotice",
    "ContentVersion",
    "Country",
    "Force",
    "ForceEmailDomain",
    "ForceModuleSummary",
    "KnowledgeCheckResult",
    "LearnerProfile",
    "LearnerRole",
    "LessonPage",
    "LessonProgress",
    "ModulePage",
    "ModuleProgress",
    "ModuleTheme",
    "ProgrammePage",
    "ProgressEvent",
    "ProgressStatus",
    "Reflection",
    "SupportAudience",
    "SupportService",
    "Testimony",
    "Verb",
    "display_name",
    "SurveyDecline",
    "active_language",
    "default_language",
    "localized_all",
]
