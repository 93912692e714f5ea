"""base.html's language switch and <link rel="alternate" hreflang> (courses.selectors.languages)."""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from wagtail.models import Page

from courses.learner_language import welsh_first
from courses.selectors.languages import WELSH, alternates, html_lang

register = template.Library()

ALTERNATES_SECONDS = 86400  # as the lesson fragments (the token changes with any content)


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """The page being read in each language (selectors.languages.alternates), for the
    Wagtail page in the context if there is one; Welsh first for Welsh readers
    (learner_language.welsh_first). Empty without a request (error pages)."""
    request = context.get("request")
    if request is None:
        return []
    page = context.get("page")
    if isinstance(page, Page) and page.pk and "content_version" in context:
        # A page's translations change only with the content: kept in the shared cache under
        # the content token, which the page's own fragments are keyed by already.
        key = ":".join(
            [
                "page-alternates",
                str(page.pk),
                translation.get_language(),
                request.get_host(),
                str(context["content_version"]),
            ]
        )
        found = cache.get_or_set(key, lambda: alternates(request, page), ALTERNATES_SECONDS)
    else:
        found = alternates(request, page)
    if welsh_first(request):
        found.sort(key=lambda alternate: alternate.code != WELSH)
    return found


@register.simple_tag
def current_html_lang() -> str:
    """<html lang>: the active language as a BCP 47 tag (en-GB, cy)."""
    return html_lang(translation.get_language() or settings.LANGUAGE_CODE)


@register.simple_tag(takes_context=True)
def has_language_prefix(context) -> bool:
    """Whether the path being read carries a language (learner pages do; /accounts/ does
    not), that is whether the switch can be a link or must set the language."""
    request = context.get("request")
    return bool(request and translation.get_language_from_path(request.path_info))
