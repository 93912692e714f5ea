"""base.html's language switch and <link rel="alternate" hreflang> (courses.selectors.languages)."""

from django import template
from django.conf import settings
from django.utils import translation

from courses.learner_language import welsh_first
from courses.selectors.languages import WELSH, alternates, html_lang

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """The page being read in each language (selectors.languages.alternates), for the
    Wagtail page in the context if there is one; Welsh first for Welsh readers
    (learner_language.welsh_first). Empty without a request (error pages)."""
    request = context.get("request")
    if request is None:
        return []
    found = alternates(request, context.get("page"))
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
