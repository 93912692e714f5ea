"""Which language a learner reads and is written to in (issue 30), and where the page being
read is in the other language.

A learner's language is the one they chose (LearnerProfile.language); with no choice, Welsh for
a force in Wales; otherwise none of their own (the browser's, or the site's default for email).
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import Resolver404, resolve, translate_url
from django.utils import translation
from wagtail.models import Page

from courses.models import Country, LearnerProfile

WELSH = "cy"

# The BCP 47 tag for <html lang> and lang/hreflang attributes; Django's codes are lower case.
HTML_LANG = {"en-gb": "en-GB", "cy": "cy"}


def html_lang(code: str) -> str:
    return HTML_LANG.get(code, code)


def chosen_or_default(language: str, country: str | None) -> str | None:
    """The learner's chosen language, else Welsh for a force in Wales, else None."""
    if language in dict(settings.LANGUAGES):
        return language
    if country == Country.WALES:
        return WELSH
    return None


def email_language(language: str, country: str | None) -> str:
    """The language of an email to a learner: theirs, else the site's default."""
    return chosen_or_default(language, country) or settings.LANGUAGE_CODE


def user_language(user) -> tuple[str | None, bool]:
    """A user's own language (chosen_or_default; None if they have no learner profile or no
    language of their own) and whether they are a learner of a force in Wales. One query."""
    row = (
        LearnerProfile.objects.filter(user_id=user.pk)
        .values_list("language", "force__country")
        .first()
    )
    if row is None:
        return None, False
    return chosen_or_default(*row), row[1] == Country.WALES


def address_language(email: str) -> str | None:
    """The own language of the learner with this email address (for account emails, sent
    before or without a signed-in request), None for an address that is no learner's."""
    row = (
        LearnerProfile.objects.filter(user__email__iexact=email)
        .values_list("language", "force__country")
        .first()
    )
    return chosen_or_default(*row) if row else None


@dataclass(frozen=True)
class Alternate:
    """The page being read in one of the site's languages."""

    code: str  # Django's language code
    name: str  # the language's name in that language ("Cymraeg", "English")
    lang: str  # the BCP 47 tag for lang and hreflang
    url: str
    current: bool


def alternates(request, page: Page | None = None) -> list[Alternate]:
    """The page being read in each of the site's languages, in LANGUAGES order.

    A Wagtail page: its live translation in each locale (the Welsh page may have a slug of its
    own), else the page in the default locale (English). Any other view under a language
    prefix: the same path under the other prefix (django.urls.translate_url); never the
    query string, so that nothing a link's sender put there is repeated into the page. A path
    without a prefix (sign-in, account pages) is the same in every language: the language
    switch there sets the language instead (courses.language_views)."""
    current = translation.get_language()
    urls = _page_urls(request, page) if page is not None and page.pk else {}
    result = []
    for code, name in settings.LANGUAGES:
        url = urls.get(code) or translate_url(request.path, code)
        result.append(Alternate(code, name, html_lang(code), url, code == current))
    return result


def _page_urls(request, page: Page) -> dict[str, str]:
    """Each language's URL of `page`: its live translations (one query; Wagtail caches the sites'
    root paths); for a language without one, the page as served in the language being read;
    for another, the default-locale (English) page, under that language's prefix when the
    language has no pages at all (Wagtail then serves the English tree there)."""
    translations = {
        p.locale.language_code: p
        for p in page.get_translations(inclusive=True).live().select_related("locale")
    }
    default = translations.get(settings.LANGUAGE_CODE, page)
    current = translation.get_language()
    urls = {}
    for code, _ in settings.LANGUAGES:
        if code in translations:
            urls[code] = translations[code].get_url(request)
        elif code == current:
            urls[code] = request.path  # the page as served here, in this language
        elif _locale_has_tree(page, code):
            urls[code] = default.get_url(request)  # not in this language yet: the English
        else:
            # No pages at all in this language: Wagtail serves the default locale's pages
            # under its prefix, the interface in the language.
            with translation.override(settings.LANGUAGE_CODE):
                urls[code] = translate_url(default.get_url(request) or "", code)
    return {code: url for code, url in urls.items() if url}


def _locale_has_tree(page: Page, code: str) -> bool:
    """Whether the root of `page`'s site has a page in the language `code` (Wagtail then
    serves that language's tree under its prefix). One query."""
    site = page.get_site()
    if site is None:
        return True
    return Page.objects.filter(
        translation_key=site.root_page.translation_key, locale__language_code=code
    ).exists()


def url_in_language(request, language: str) -> str:
    """The URL of the page being requested in `language`: a Wagtail page's translation (as
    alternates), any other view's path under that language's prefix. A few queries: for the
    one redirect after sign-in (courses.learner_language), not for every page."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    if match is not None and match.url_name == "wagtail_serve":
        page = Page.find_for_request(request, match.args[0] if match.args else "")
        if page is not None:
            found = {a.code: a.url for a in alternates(request, page)}
            if found.get(language):
                return found[language]
    return translate_url(request.get_full_path(), language)
