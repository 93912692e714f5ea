"""Enrolment from a force's HR file: reading the file (`reading`) and the django-import-export
Resource that makes its rows into learners (`resource`). Used by courses.services.imports."""

from courses.enrolment_import.reading import (
    CHUNK_ROWS,
    COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    REQUIRED_COLUMNS,
    FileProblem,
    HrFile,
    read_hr_file,
)
from courses.enrolment_import.resource import (
    MAX_REPORTED_ROWS,
    EnrolmentResource,
    ImportState,
    role_names,
    split_name,
    today,
)

__all__ = [
    "CHUNK_ROWS",
    "COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_REPORTED_ROWS",
    "MAX_ROWS",
    "REQUIRED_COLUMNS",
    "EnrolmentResource",
    "FileProblem",
    "HrFile",
    "ImportState",
    "read_hr_file",
    "role_names",
    "split_name",
    "today",
]
