"""Welsh translations of the demo's pages, made through wagtail-localize's own models.

Each page to translate gets a TranslationSource (its English text cut into segments), a
StringTranslation for every String segment (the Welsh below, looked up by the English
segment's exact text) and a Translation into Welsh, saved to the Welsh page and published. The
Welsh pages are therefore ordinary wagtail-localize translations: editors open them in the
translation screens, and sync them when the English changes.

Which pages: the home page, the programme page, the privacy notice and accessibility statement,
and every page of the modules in WELSH_MODULES. Every other demo page is a Welsh alias (shown
in English with a notice in Welsh) until an editor translates it.

Run again, seeding changes nothing: a Welsh page that is already a translation (perhaps edited
since in the translation screens) is left as it is. A page whose English no longer matches the
text below (an editor changed it) stays an alias, with a warning, rather than half in Welsh.

The Welsh was written by the development team with the terms of docs/welsh-glossary.md, in the
"chi" register; like the interface's catalogue, it needs review by a Welsh-language
professional before production.
"""

import logging

from wagtail.models import Locale, Page, Site
from wagtail_localize.models import (
    LocaleSynchronization,
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from courses.models import LessonPage, ModulePage, ProgrammePage
from home.models import AccessibilityStatementPage, PrivacyNoticePage

logger = logging.getLogger(__name__)

WELSH_LANGUAGE = "cy"
PROGRAMME_SLUG = "da-matters"
# The demo modules translated in full, by their English slug.
WELSH_MODULES = ["survivor-voices"]

# English segment -> Welsh. Keys are the segments exactly as wagtail-localize extracts them: a
# title, a slug, a plain-text field, or one paragraph or list item of rich text (inline
# formatting kept, a link's attributes replaced by an id such as <a id="a1">).
WELSH = {
    # --- the home page (home/content.py) -------------------------------------------------
    "DA Matters training": "Hyfforddiant DA Matters",
    "home": "hafan",
    "DA Matters is online training about domestic abuse for people who work in policing. It "
    "helps you recognise coercive and controlling behaviour, respond well to the people who "
    "experience it, and change the habits and attitudes that let abuse go unnoticed.": (
        "Hyfforddiant ar-lein am gam-drin domestig i bobl sy'n gweithio ym maes plismona yw "
        "DA Matters. Mae'n eich helpu i adnabod ymddygiad sy'n rheoli neu'n gorfodi, i ymateb "
        "yn dda i'r bobl sy'n ei brofi, ac i newid yr arferion a'r agweddau sy'n gadael i "
        "gam-drin fynd heb i neb sylwi arno."
    ),
    "It is for police officers and staff in UK forces taking part in the programme: response "
    "officers, PCSOs, call handlers, police staff, supervisors and senior leaders.": (
        "Mae ar gyfer swyddogion a staff heddluoedd y DU sy'n cymryd rhan yn y rhaglen: "
        "swyddogion ymateb, swyddogion cymorth cymunedol yr heddlu (SCCH), staff sy'n ateb "
        "galwadau, staff yr heddlu, goruchwylwyr ac uwch arweinwyr."
    ),
    "Some of the training talks about abuse and its effects, and includes accounts from "
    "survivors. Each module tells you what it covers before you start. You can stop at any "
    "time and come back later, and support is linked at the bottom of every page.": (
        "Mae rhannau o'r hyfforddiant yn sôn am gam-drin a'i effeithiau, ac yn cynnwys "
        "hanesion goroeswyr. Mae pob modiwl yn dweud wrthych beth sydd ynddo cyn i chi "
        "ddechrau. Gallwch stopio ar unrhyw adeg a dod yn ôl yn nes ymlaen, ac mae dolenni at "
        "gymorth ar waelod pob tudalen."
    ),
    "Select Register.": "Dewiswch ‘Cofrestru’.",
    "Enter your name, your force email address, your role and a password. Only force email "
    "addresses are accepted.": (
        "Rhowch eich enw, cyfeiriad e-bost eich heddlu, eich rôl a chyfrinair. Dim ond "
        "cyfeiriadau e-bost heddlu sy'n cael eu derbyn."
    ),
    "We send you an email with a link. Open it to confirm your address, then sign in.": (
        "Byddwn yn anfon e-bost atoch gyda dolen ynddo. Agorwch y ddolen i gadarnhau eich "
        "cyfeiriad, yna mewngofnodwch."
    ),
    "If your force email address is not accepted, your force may not be taking part yet. Ask "
    "your force's training team.": (
        "Os nad yw cyfeiriad e-bost eich heddlu yn cael ei dderbyn, efallai nad yw eich heddlu "
        "yn cymryd rhan eto. Holwch dîm hyfforddi eich heddlu."
    ),
    "We keep your name, force email address, role and, if you give it, your staff or collar "
    "number, with a record of the modules and lessons you complete and your knowledge-check "
    "scores. Your force's training team can see these, to know who has completed the "
    "training.": (
        "Rydym yn cadw eich enw, cyfeiriad e-bost eich heddlu, eich rôl ac, os byddwch yn ei "
        "roi, eich rhif staff neu rif coler, gyda chofnod o'r modiwlau a'r gwersi rydych yn eu "
        "cwblhau a'ch sgoriau yn y gwiriadau gwybodaeth. Gall tîm hyfforddi eich heddlu weld y "
        "rhain, er mwyn gwybod pwy sydd wedi cwblhau'r hyfforddiant."
    ),
    "What you write in reflection boxes is private: only you can see it. It is never shown to "
    "your force or put in any report.": (
        "Mae'r hyn rydych yn ei ysgrifennu yn y blychau myfyrdod yn breifat: dim ond chi sy'n "
        "gallu ei weld. Nid yw byth yn cael ei ddangos i'ch heddlu na'i roi mewn unrhyw "
        "adroddiad."
    ),
    "You can download everything we hold about you from My learning at any time.": (
        "Gallwch lwytho popeth sydd gennym amdanoch i lawr o'r dudalen Fy nysgu ar unrhyw adeg."
    ),
    # --- the programme page ---------------------------------------------------------------
    "DA Matters": "DA Matters",
    "da-matters": "da-matters",
    "A cultural-change programme about domestic abuse for everyone in policing. Take the "
    "modules in any order; each one takes under an hour.": (
        "Rhaglen newid diwylliant am gam-drin domestig i bawb ym maes plismona. Gallwch wneud "
        "y modiwlau mewn unrhyw drefn; mae pob un yn cymryd llai nag awr."
    ),
    # --- shared by the modules' lessons ----------------------------------------------------
    "lesson-1": "gwers-1",
    "lesson-2": "gwers-2",
    "lesson-3": "gwers-3",
    "Key point": "Pwynt allweddol",
    "The next part of this lesson talks about controlling and abusive behaviour. There are no "
    "graphic details.": (
        "Mae rhan nesaf y wers hon yn sôn am ymddygiad rheolaethol a chamdriniol. Does dim "
        "manylion graffig."
    ),
    "Further resources": "Adnoddau pellach",
    "Six steps for a first conversation (demo).": (
        "Chwe cham ar gyfer sgwrs gyntaf (dogfen enghreifftiol, yn Saesneg)."
    ),
    # --- module: Survivor voices -----------------------------------------------------------
    "Survivor voices": "Lleisiau goroeswyr",
    "survivor-voices": "lleisiau-goroeswyr",
    "What people who have lived through domestic abuse tell us about the difference police "
    "can make.": (
        "Yr hyn y mae pobl sydd wedi byw drwy gam-drin domestig yn ei ddweud wrthym am y "
        "gwahaniaeth y gall yr heddlu ei wneud."
    ),
    "Describe what survivors say helps at first contact.": (
        "Disgrifio beth sy'n helpu yn ystod y cyswllt cyntaf, yn ôl goroeswyr."
    ),
    "Recognise the courage it takes to call.": (
        "Cydnabod y dewrder sydd ei angen i ffonio'r heddlu."
    ),
    "Respond in a way that builds trust.": "Ymateb mewn ffordd sy'n meithrin ymddiriedaeth.",
    "This module includes accounts of domestic abuse. They are fictional composites written "
    "for training and contain no graphic detail, but they may still bring up feelings for you. "
    "Take a break whenever you need to.": (
        "Mae'r modiwl hwn yn cynnwys hanesion am gam-drin domestig. Hanesion ffuglennol ydyn "
        "nhw, wedi'u llunio o brofiadau sawl person ar gyfer hyfforddiant, a does dim manylion "
        "graffig ynddyn nhw, ond gallan nhw godi teimladau i chi o hyd. Cymerwch seibiant "
        "pryd bynnag y bydd angen."
    ),
    "Listening first": "Gwrando yn gyntaf",
    "Calling the police about a partner or family member is rarely the first thing someone "
    "tries. By the time officers arrive, many people have lived with abuse for a long time.": (
        "Anaml mai ffonio'r heddlu am bartner neu aelod o'r teulu yw'r peth cyntaf y mae "
        "rhywun yn ei wneud. Erbyn i swyddogion gyrraedd, mae llawer o bobl wedi byw gyda "
        "cham-drin ers amser hir."
    ),
    "The first few minutes can decide whether they call again.": (
        "Gall yr ychydig funudau cyntaf benderfynu a fyddan nhw'n ffonio eto."
    ),
    "What helped, and what did not": "Beth helpodd, a beth na helpodd",
    "Being believed": "Cael eich credu",
    "Survivors often describe the same things: being spoken to privately, being believed, "
    "being asked about the whole pattern, and being told what would happen next.": (
        "Mae goroeswyr yn aml yn disgrifio'r un pethau: cael siarad yn breifat, cael eu "
        "credu, cael eu holi am y patrwm cyfan, a chael gwybod beth fyddai'n digwydd nesaf."
    ),
    "Belief is not a conclusion about evidence. It is respect.": (
        "Nid casgliad am y dystiolaeth yw credu rhywun. Parch ydyw."
    ),
    "Holding hope and risk together": "Dal gobaith a risg gyda'i gilydd",
    "People can be frightened and hopeful at once: frightened of what he might do, hopeful "
    "that things might change. Respecting both is part of keeping someone safe.": (
        "Gall pobl fod yn ofnus ac yn obeithiol ar yr un pryd: yn ofni beth allai ef ei wneud, "
        "ac yn gobeithio y gallai pethau newid. Mae parchu'r ddau deimlad yn rhan o gadw "
        "rhywun yn ddiogel."
    ),
    "What do survivors most often say made a difference at first contact?": (
        "Yn ôl goroeswyr, beth sydd wedi gwneud gwahaniaeth amlaf yn ystod y cyswllt cyntaf?"
    ),
    "Being believed, and being asked about the whole pattern of what happened.": (
        "Cael eu credu, a chael eu holi am batrwm cyfan yr hyn a ddigwyddodd."
    ),
    "Yes. Belief and curiosity about the history build the trust that keeps people safer.": (
        "Ie. Mae credu pobl a holi am yr hanes yn meithrin yr ymddiriedaeth sy'n eu cadw'n "
        "fwy diogel."
    ),
    "A quick visit so that things can calm down.": ("Ymweliad byr er mwyn i bethau dawelu."),
    "Speed can leave the pattern unseen and the risk unassessed.": (
        "Wrth frysio, gall y patrwm fynd heb ei weld a'r risg heb ei hasesu."
    ),
    "Being told what they should have done differently.": (
        "Cael gwybod beth y dylen nhw fod wedi'i wneud yn wahanol."
    ),
    "This blames the victim and makes people less likely to call again.": (
        "Mae hyn yn rhoi'r bai ar y dioddefwr ac yn gwneud pobl yn llai tebygol o ffonio eto."
    ),
    "What will you say in the first minute of your next domestic abuse call?": (
        "Beth fyddwch chi'n ei ddweud ym munud cyntaf eich galwad cam-drin domestig nesaf?"
    ),
}


def seed() -> list[Page]:
    """Keep the Welsh tree in step with the English one, then translate the demo pages named
    above into Welsh and publish them. Returns the Welsh pages translated by this run."""
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


STATEMENT_MODELS = (PrivacyNoticePage, AccessibilityStatementPage)


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
    return {}
