"""Reading translatable content in the learner's language. Translatable rows (pages and the
snippets with wagtail-localize) share a `translation_key` across locales; the default
locale's row is the source, which records, consent and results are kept against, and the
learner is shown the active language's translation when there is one, else the source."""

from django.conf import settings
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import DraftStateMixin


def default_language() -> str:
    """The default content language's code (the source locale), e.g. "en-gb"."""
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def active_language() -> str:
    """The active content language's code, the default when none is active."""
    return get_supported_content_language_variant(translation.get_language() or default_language())


def localized_all(rows: list) -> list:
    """`rows` (translatable instances of one model) each replaced by its translation in the
    active language when there is one (a live one, for a model with drafts), else left as
    they are. No query when the active language is the default one; else one."""
    rows = list(rows)
    if not rows or active_language() == default_language():
        return rows
    model = type(rows[0]).get_translation_model()
    translations = model.objects.filter(
        translation_key__in={row.translation_key for row in rows},
        locale__language_code=active_language(),
    )
    if issubclass(model, DraftStateMixin):
        translations = translations.filter(live=True)
    found = {row.translation_key: row for row in translations}
    return [found.get(row.translation_key, row) for row in rows]
