"""Who may download a private recording or its captions (a Wagtail document), decided on every
request.

The rule (SECURITY.md, "Testimony recordings"):
- a document that is some testimony's recording or captions, or that sits in a collection with
  a view restriction, is private;
- an editor who may change or choose the document (Wagtail's document permissions, by
  collection) may always download it: the admin's links keep working;
- anyone else must be signed in, and the document must be the recording (or captions) of a
  testimony whose consent holds today, shown on a published lesson whose view restrictions let
  this request in (Wagtail's reference index says which pages show the testimony);
- anything else is a 404, the same answer as for a document that does not exist.

Nothing here is cached: withdrawing consent, or a review date passing, closes every download at
the next request.
"""

import enum

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import HttpRequest
from wagtail.documents.models import AbstractDocument
from wagtail.models import Page, ReferenceIndex
from wagtail.permissions import policy_registry

from courses.models import LessonPage, Testimony


class MediaAccess(enum.Enum):
    PUBLIC = "public"  # not private: Wagtail's own rules apply
    ALLOW = "allow"
    SIGN_IN = "sign-in"
    DENY = "deny"


def testimony_media_access(*, document: AbstractDocument, request: HttpRequest) -> MediaAccess:
    """Whether this request may download `document`. Six queries at most before the lessons'
    view restrictions, then two for each lesson tried until one lets the learner in."""
    testimonies = Testimony.objects.filter(Q(media=document) | Q(captions=document))
    is_recording = testimonies.exists()
    if not is_recording and not document.collection.get_view_restrictions().exists():
        return MediaAccess.PUBLIC
    user = request.user
    if not user.is_authenticated:
        return MediaAccess.SIGN_IN
    documents = policy_registry.get_by_type(type(document))
    if documents.user_has_any_permission_for_instance(user, ["change", "choose"], document):
        return MediaAccess.ALLOW
    if is_recording and any(
        _lets_in(lesson, request) for lesson in _lessons_showing(testimonies.shareable())
    ):
        return MediaAccess.ALLOW
    return MediaAccess.DENY


def _lessons_showing(testimonies):
    """Published lessons whose live content shows one of `testimonies`."""
    page_ids = (
        ReferenceIndex.get_references_to_in_bulk(testimonies)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    return LessonPage.objects.live().filter(pk__in=[int(pk) for pk in page_ids])


def _lets_in(lesson: LessonPage, request: HttpRequest) -> bool:
    return all(
        restriction.accept_request(request) for restriction in lesson.get_view_restrictions()
    )
