"""Welsh translations of the demo's snippets (support services, the testimonies its module
uses, the attitude survey), made through wagtail-localize as an editor's translation would be:
a TranslationSource of the English snippet, a Translation into Welsh, one StringTranslation
per English string, then the Welsh snippet saved from them. Editors can later open, edit and
sync them on wagtail-localize's translation screens like any other translation."""

from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource


def translate_snippet(instance, welsh: dict[str, str], *, language: str = "cy", user=None):
    """Translate `instance` (a translatable snippet in the default locale) into `language`
    with `welsh`: each English string of the snippet mapped to its translation. A string
    without one stays English in the translation (wagtail-localize's fallback), as it does
    for an editor who has not translated it yet. Idempotent: an existing translation is
    brought up to date with the English and `welsh`. Returns the translated snippet."""
    locale = Locale.objects.get(language_code=language)
    source, _ = TranslationSource.update_or_create_from_instance(instance)
    translation, _ = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    segments = StringSegment.objects.filter(source=source).select_related("string", "context")
    for segment in segments:
        text = welsh.get(segment.string.data)
        if text is None:
            continue
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": text,
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                "last_translated_by": user,
            },
        )
    translation.save_target(user=user, publish=True)
    return instance.get_translation(locale)
