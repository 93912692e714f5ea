"""Whether a page a learner is shown is in their language: the notice above a page that is
not yet translated into the active language (wagtail-localize keeps an alias of the English
page in the Welsh tree until an editor translates it), or whose translation is older than the
English it was made from."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from wagtail.models import Page
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

from courses.models import active_language_code, default_language_code

NOT_TRANSLATED = "not-translated"
OUT_OF_DATE = "out-of-date"


@dataclass(frozen=True)
class TranslationNotice:
    """`kind`: NOT_TRANSLATED (the page is shown in English) or OUT_OF_DATE (the English has
    changed since the translation was made); `english_url`: the English page."""

    kind: str
    english_url: str

    @property
    def shows_english(self) -> bool:
        return self.kind == NOT_TRANSLATED


def page_translation_notice(page: Page) -> TranslationNotice | None:
    """The notice for `page` in the active language; None in the default language, for a page
    translated and up to date, and for a page with no English version. Out of date: the
    English was published after the content the translation was made from was last taken
    from it (wagtail-localize's TranslationSource, refreshed by "Sync translated pages"), or
    the translation still has strings waiting to be translated (shown in English meanwhile;
    the slug aside).
    No query in the default language; at most five in another."""
    language = active_language_code()
    if language == default_language_code():
        return None
    if page.alias_of_id:
        english = Page.objects.filter(pk=page.alias_of_id).first()
        return _notice(NOT_TRANSLATED, english)
    if page.locale.language_code != language:
        return _notice(NOT_TRANSLATED, page)
    english = page.get_translations().filter(locale__language_code=default_language_code()).first()
    if english is None:
        return None
    source = TranslationSource.objects.filter(
        object_id=page.translation_key, locale_id=english.locale_id
    ).first()
    if source is None:
        return None  # translated some other way: nothing recorded to compare
    if english.last_published_at and english.last_published_at > source.last_updated_at:
        return _notice(OUT_OF_DATE, english)
    if _has_untranslated_text(source, page.locale_id):
        return _notice(OUT_OF_DATE, english)
    return None


def _has_untranslated_text(source: TranslationSource, locale_id: int) -> bool:
    """Whether a string of `source` has no translation into the locale (it shows in English),
    the page's slug aside: a URL may stay English. One query."""
    translated = StringTranslation.objects.filter(
        translation_of_id=OuterRef("string_id"),
        context_id=OuterRef("context_id"),
        locale_id=locale_id,
        has_error=False,
    )
    return (
        StringSegment.objects.filter(source=source)
        .exclude(context__path="slug")
        .exclude(Exists(translated))
        .exists()
    )


def _notice(kind: str, english: Page | None) -> TranslationNotice | None:
    if english is None:
        return None
    return TranslationNotice(kind=kind, english_url=english.get_url() or "")
