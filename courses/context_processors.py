from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from courses.models import ContentVersion


def content_version(request):
    """`content_version`: what the page fragments kept in the shared cache are keyed by beside
    the page itself (`{% wagtailpagecache %}`, `{% cache %}`): the content token, which any
    change to pages, snippets, images or documents replaces, and today's date, since testimony
    disappears when its consent review date passes. Read only when a template uses it (one
    query)."""

    def current() -> str:
        return f"{ContentVersion.current_token()}-{timezone.localdate().isoformat()}"

    return {"content_version": SimpleLazyObject(current)}
