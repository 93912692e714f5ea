"""The identifiers our statements use: verbs, activity types, and this site's own IRIs.

Activity ids are built from a page's `translation_key`, which Wagtail keeps when a page is
moved, renamed or given a new slug: the IRI of a lesson never changes while it exists.
"""

import uuid

from django.conf import settings

# The id of a module's own statement is derived from the id of the event that completed it
# (uuid5), so that building it again gives the same id. Never change this value.
MODULE_STATEMENT_NAMESPACE = uuid.UUID("5d0f3c1e-8a7b-4c2e-9f61-3b2a1d4e6c70")

SUPPORTED_VERSIONS = ("1.0.3", "2.0.0")
# The value of a statement's `version` property under each version of the specification.
STATEMENT_VERSION = {"1.0.3": "1.0.0", "2.0.0": "2.0.0"}
LANGUAGE = "en-GB"

ADL_VERBS = {
    "experienced": "http://adlnet.gov/expapi/verbs/experienced",
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
}
VERB_BY_IRI = {iri: name for name, iri in ADL_VERBS.items()}

ACTIVITY_TYPES = {
    "programme": "http://adlnet.gov/expapi/activities/course",
    "module": "http://adlnet.gov/expapi/activities/module",
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "check": "http://adlnet.gov/expapi/activities/cmi.interaction",
}


def base_url() -> str:
    """This site's address (settings.WAGTAILADMIN_BASE_URL), the home of our IRIs and of
    learners' accounts."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def activity_iri(kind: str, translation_key) -> str:
    return f"{base_url()}/xapi/activities/{kind}/{translation_key}"


def check_iri(lesson_translation_key, block_id: str) -> str:
    return f"{activity_iri('lesson', lesson_translation_key)}/check/{block_id}"


def force_extension_iri() -> str:
    return f"{base_url()}/xapi/extensions/force"


def module_statement_id(event_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(MODULE_STATEMENT_NAMESPACE, str(event_id))
