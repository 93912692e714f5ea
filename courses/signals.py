"""Receivers that replace the content token (ContentVersion) whenever the course may change.

Saving any page (publishing and unpublishing save it too), deleting one, moving one, any change
to a view restriction, and any change to a site; other modules add what lesson pages show from
outside their page (replace_token_on_change). Receivers run inside the change's transaction,
so a rollback restores the old token with the old content. Connected in CoursesConfig.ready().
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from courses.models import ContentVersion

_RECEIVER_UID = "courses.signals.content_changed"


def content_changed(**kwargs) -> None:
    """Receiver: the course may have changed, give it a new content token."""
    ContentVersion.replace_token()


def replace_token_on_change(model, *, on_save: bool = True) -> None:
    """Replace the content token whenever a row of `model` is saved (unless `on_save` is
    False) or deleted, in the change's transaction."""
    if on_save:
        post_save.connect(content_changed, sender=model, dispatch_uid=_RECEIVER_UID)
    post_delete.connect(content_changed, sender=model, dispatch_uid=_RECEIVER_UID)


def connect_receivers() -> None:
    for model in [*get_page_models(), PageViewRestriction, Site]:
        replace_token_on_change(model)
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(content_changed, dispatch_uid=_RECEIVER_UID)
