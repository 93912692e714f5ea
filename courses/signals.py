"""Receivers that replace the content token (ContentVersion) whenever what pages show may change.

Every change replaces it: saving or deleting any page (publishing, unpublishing and moving save
it too), any view restriction, site, snippet (testimony, support services and any snippet
added later), image or document; a rendition only when it is deleted (renditions are made while
pages render). No model needs registering by hand. Receivers run inside the change's
transaction, so a rollback restores the old token with the old content. Connected in
CoursesConfig.ready(). Also: a page's translations get its workflow and page permissions.
"""

import functools

from django.db.models.signals import post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.snippets.models import get_snippet_models

from courses import services
from courses.models import ContentVersion

_RECEIVER_UID = "courses.signals.content_changed"


@functools.cache  # runs on every save of every model; the answer is fixed once apps are loaded
def is_content(model, *, saved: bool) -> bool:
    """Whether a save (`saved`) or delete of a `model` row can change what pages show."""
    if issubclass(model, Page) or model in (PageViewRestriction, Site):
        return True
    if model in (get_image_model(), get_document_model()) or model in get_snippet_models():
        return True
    return not saved and model is get_image_model().get_rendition_model()


def _saved(sender, **kwargs) -> None:
    if is_content(sender, saved=True):
        ContentVersion.replace_token()


def _deleted(sender, **kwargs) -> None:
    if is_content(sender, saved=False):
        ContentVersion.replace_token()


def _page_created(sender, instance, created, raw=False, **kwargs) -> None:
    """A new page that translates (or aliases) another gets its workflow and page
    permissions (services.translated_page_cover): the Welsh home is covered like the English
    one."""
    if created and not raw and isinstance(instance, Page):
        services.translated_page_cover(page=instance)


def connect_receivers() -> None:
    post_save.connect(_page_created, dispatch_uid="courses.signals.page_created")
    post_save.connect(_saved, dispatch_uid=_RECEIVER_UID)
    post_delete.connect(_deleted, dispatch_uid=_RECEIVER_UID)
