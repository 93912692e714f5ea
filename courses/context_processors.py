from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from courses.models import ContentVersion


def content_version(request):
    """`content_version`: what the page fragments kept in the shared cache are keyed by beside
    the page itself (`{% wagtailpagecache %}`, `{% cache %}`): the content token, which any
    change to pages, snippets, images or documents replaces, and today's date, since testimony
    disappears when its consent review date passes. Read only when a template uses it (one
    query)."""

    return {
        "content_version": SimpleLazyObject(
            lambda: fragment_version(ContentVersion.current_token())
        )
    }


def fragment_version(token: str | None) -> str:
    """`content_version` for a content token the view has read already,
    which it may put in its context to save the query."""
    return f"{token or 'none'}-{timezone.localdate().isoformat()}"
