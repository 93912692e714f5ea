"""Learner progress: the rules (rules), the course structure they read (lessons), the one
engine that records events (engine), and the per-(force, module) totals every write of
module rows keeps (totals). Import the public names from here."""

from courses.progress.engine import ProgressResult, progress_record, progress_record_many
from courses.progress.rules import (
    CERTIFICATE_ALPHABET,
    PROGRESS_BATCH_MAX,
    NotALearner,
    ProgressConflict,
    ProgressRejected,
)

__all__ = [
    "CERTIFICATE_ALPHABET",
    "PROGRESS_BATCH_MAX",
    "NotALearner",
    "ProgressConflict",
    "ProgressRejected",
    "ProgressResult",
    "progress_record",
    "progress_record_many",
]
