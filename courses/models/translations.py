"""One learner record across languages: which page a course page's record belongs to.

A Welsh page (a translation, or an alias of an untranslated English page) is another Wagtail
page with the same `translation_key` as its English source, the page in the default locale
(settings.LANGUAGE_CODE, en-gb). Progress, check results, reflections, completion and
certificates belong to the module whatever the language, so they are recorded against the
source page; lists of modules, lessons and programmes meant for reports, totals, reminders
and pathways take the default locale only, so that each module is counted once. Learners see
titles and links in the active language (`localized_pages`), and translatable snippets
(support services, testimonies, surveys) in it when translated (`localized_all`); their
consent and results are kept against the source row too.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import DraftStateMixin, Locale, Page

DEFAULT_LOCALE_CACHE_KEY = "courses:default-locale-id"


def default_language_code() -> str:
    """The default locale's language code (en-gb): where the source pages are."""
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def active_language_code() -> str:
    """The content language of the active interface language (the URL's prefix, the cookie
    or Accept-Language), falling back to the default."""
    try:
        return get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return default_language_code()


def in_default_locale(pages: QuerySet) -> QuerySet:
    """`pages` in the default locale only: each module, lesson or programme once (a join on
    the locale, no query of its own)."""
    return pages.filter(locale__language_code=default_language_code())


def default_locale_id() -> int:
    """The default locale's id, kept in Django's shared cache (one query when it is not)."""
    found = cache.get(DEFAULT_LOCALE_CACHE_KEY)
    if found is None:
        found = Locale.get_default().pk
        cache.set(DEFAULT_LOCALE_CACHE_KEY, found, timeout=None)
    return found


def source_ids(pages: Iterable[Page]) -> dict[int, int]:
    """The source page id for each of these pages, by page id: the page with the same
    translation key in the default locale (the page itself when it is the source, or when it
    has no source). No query when every page is a source; else one."""
    pages = list(pages)
    default = default_locale_id() if pages else None
    others = {page.translation_key for page in pages if page.locale_id != default}
    found = {}
    if others:
        found = dict(
            Page.objects.filter(translation_key__in=others, locale_id=default).values_list(
                "translation_key", "pk"
            )
        )
    return {page.pk: found.get(page.translation_key, page.pk) for page in pages}


def source_id(page: Page) -> int:
    """The source page id of one page (source_ids())."""
    return source_ids([page])[page.pk]


def localized_pages(pages: Iterable[Page], language_code: str | None = None) -> dict[int, Page]:
    """Each page (of one model) in the given language (default: the active one), by the
    given page's id: its live translation or alias there, else the page itself. No query in
    the pages' own language; else one, whatever the number of pages."""
    pages = list(pages)
    code = language_code or active_language_code()
    if not pages or (code == default_language_code() and _all_default(pages)):
        return {page.pk: page for page in pages}
    model = type(pages[0])
    found = {
        page.translation_key: page
        for page in model.objects.live().filter(
            translation_key__in={page.translation_key for page in pages},
            locale__language_code=code,
        )
    }
    return {page.pk: found.get(page.translation_key, page) for page in pages}


def _all_default(pages: list[Page]) -> bool:
    default = default_locale_id()
    return all(page.locale_id == default for page in pages)


def localized_all(rows: list) -> list:
    """`rows` (translatable instances of one model) each replaced by its translation in the
    active language when there is one (a live one, for a model with drafts), else left as
    they are. No query when the active language is the default one; else one."""
    rows = list(rows)
    code = active_language_code()
    if not rows or code == default_language_code():
        return rows
    model = type(rows[0]).get_translation_model()
    translations = model.objects.filter(
        translation_key__in={row.translation_key for row in rows}, locale__language_code=code
    )
    if issubclass(model, DraftStateMixin):
        translations = translations.filter(live=True)
    found = {row.translation_key: row for row in translations}
    return [found.get(row.translation_key, row) for row in rows]
