"""Welsh translations of the demo's pages, made through wagtail-localize's own models.

Each page to translate gets a TranslationSource (its English text cut into segments), a
StringTranslation for every String segment (the Welsh of courses.demo.welsh_text, looked up
by the English segment's exact text) and a Translation into Welsh, saved to the Welsh page and
published. The
Welsh pages are therefore ordinary wagtail-localize translations: editors open them in the
translation screens, and sync them when the English changes.

Which pages: the home page, the programme page, the privacy notice and accessibility statement,
and every page of the modules in WELSH_MODULES (all three demo modules). Any other page (one an
editor adds, say) is a Welsh alias, shown in English with a notice in Welsh, until an editor
translates it. The support services and testimony the lessons show are snippets, translated
separately (courses.demo.welsh_snippets).

Run again, seeding changes nothing: a Welsh page that is already a translation (perhaps edited
since in the translation screens) is left as it is. A page whose English no longer matches the
text below (an editor changed it) stays an alias, with a warning, rather than half in Welsh.

The Welsh was written by the development team with the terms of docs/welsh-glossary.md, in the
"chi" register; like the interface's catalogue, it needs review by a Welsh-language
professional before production.
"""

import logging

from django.conf import settings
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import (
    LocaleSynchronization,
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from courses.demo import statements
from courses.demo.welsh_text import STATEMENTS, WELSH
from courses.models import LessonPage, ModulePage, ProgrammePage
from courses.sessions import duration
from home.models import AccessibilityStatementPage, PrivacyNoticePage

logger = logging.getLogger(__name__)

WELSH_LANGUAGE = "cy"
PROGRAMME_SLUG = "da-matters"
# The demo modules translated in full, by their English slug: every one.
WELSH_MODULES = ["leading-the-change", "why-doesnt-he-stop", "survivor-voices"]
STATEMENT_MODELS = (PrivacyNoticePage, AccessibilityStatementPage)


def seed() -> list[Page]:
    """Keep the Welsh tree in step with the English one, then translate the demo pages named
    above into Welsh and publish them. Returns the Welsh pages translated by this run.

    Run it after the snippets are translated: a lesson's Welsh translation then chooses the
    Welsh testimony (wagtail-localize keeps the English one where there is no translation)."""
    # seed_demo creates its pages in code, where wagtail-localize's after_create_page hook
    # (which gives each new English page its Welsh alias) does not run: synchronise instead.
    for synchronisation in LocaleSynchronization.objects.all():
        synchronisation.sync_trees()
    welsh = Locale.objects.get(language_code=WELSH_LANGUAGE)
    translated = []
    for page in pages_to_translate():
        existing = page.get_translation_or_none(welsh)
        if existing is not None and existing.alias_of_id is None:
            continue  # already a translation: editors own it from here
        welsh_page = translate(page, welsh)
        if welsh_page is not None:
            translated.append(welsh_page)
    return translated


def pages_to_translate() -> list[Page]:
    """The English pages with a Welsh translation here, parents before children."""
    home = Site.objects.get(is_default_site=True).root_page.specific
    pages: list[Page] = [home]
    programme = ProgrammePage.objects.child_of(home).filter(slug=PROGRAMME_SLUG).first()
    pages += [model.objects.child_of(home).first() for model in STATEMENT_MODELS]
    if programme is not None:
        pages.append(programme)
        for module in ModulePage.objects.child_of(programme).filter(slug__in=WELSH_MODULES):
            pages.append(module)
            pages += LessonPage.objects.child_of(module).order_by("path")
    return [page for page in pages if page is not None]


def translate(page: Page, welsh: Locale) -> Page | None:
    """Translate one page into Welsh and publish it; None (and a warning) if any of its
    English text has no Welsh here."""
    source, _ = TranslationSource.update_or_create_from_instance(page)
    segments = list(StringSegment.objects.filter(source=source).select_related("string", "context"))
    texts = welsh_texts()
    missing = [segment.string.data for segment in segments if segment.string.data not in texts]
    if missing:
        logger.warning(
            "Demo page %r left as a Welsh alias: no Welsh for %d of its texts, such as %r.",
            page.title,
            len(missing),
            missing[0][:80],
        )
        return None
    for segment in segments:
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=welsh,
            context=segment.context,
            defaults={
                "data": texts[segment.string.data],
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
            },
        )
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=welsh)
    # Saved as a draft, then published here: save_target(publish=True) publishes when the
    # transaction commits, and seed_demo (and the tests around it) need the Welsh page live
    # within its transaction.
    translation.save_target(publish=False)
    welsh_page = page.get_translation(welsh)
    welsh_page.get_latest_revision().publish()
    return welsh_page.specific


def welsh_texts() -> dict[str, str]:
    """WELSH, with the statements' segments that name this deployment's settings."""
    return {**WELSH, **statement_texts()}


def statement_texts() -> dict[str, str]:
    """STATEMENTS, and the two privacy-notice segments that give this deployment's session
    lengths and retention period (courses.demo.statements.privacy_notice writes them)."""
    idle = settings.SESSION_COOKIE_AGE
    absolute = settings.SESSION_ABSOLUTE_SECONDS
    days = settings.PROGRESS_EVENT_RETENTION_DAYS
    cookies = (
        "We use only the cookies the site needs to work: one that keeps you signed in and one "
        "that protects forms from misuse. There are no analytics or advertising cookies. You "
        f"are signed out after {duration(idle)} without activity, and always "
        f"{duration(absolute)} after signing in."
    )
    retention = (
        "The detailed record of each step you take (each lesson opened, answer given or lesson "
        f"completed) is deleted after {statements.years(days)}."
    )
    return {
        **STATEMENTS,
        cookies: (
            "Dim ond y cwcis sydd eu hangen ar y safle i weithio rydym yn eu defnyddio: un "
            "sy'n eich cadw wedi mewngofnodi ac un sy'n diogelu ffurflenni rhag cael eu "
            "camddefnyddio. Does dim cwcis dadansoddi na hysbysebu. Cewch eich allgofnodi ar "
            f"ôl {welsh_duration(idle)} heb weithgarwch, a bob amser {welsh_duration(absolute)} "
            "ar ôl mewngofnodi."
        ),
        retention: (
            "Mae'r cofnod manwl o bob cam rydych yn ei gymryd (pob gwers a agorwyd, ateb a "
            f"roddwyd neu wers a gwblhawyd) yn cael ei ddileu ar ôl {welsh_years(days)}."
        ),
    }


def welsh_duration(seconds: int) -> str:
    """courses.sessions.duration in Welsh: a number takes the singular noun ("12 awr")."""
    for unit, size in (("awr", 3600), ("munud", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size} {unit}"
    return f"{seconds} eiliad"


# "Blwyddyn" after a number: 1 flwyddyn, 2 flynedd, 5 mlynedd (soft and nasal mutation).
WELSH_YEARS = {
    1: "1 flwyddyn",
    2: "2 flynedd",
    3: "3 blynedd",
    4: "4 blynedd",
    5: "5 mlynedd",
    6: "6 blynedd",
    7: "7 mlynedd",
    10: "10 mlynedd",
}


def welsh_years(days: int) -> str:
    """courses.demo.statements.years in Welsh."""
    if days % 365 == 0 and days // 365 in WELSH_YEARS:
        return WELSH_YEARS[days // 365]
    return f"{days} diwrnod"
