"""Welsh translations of the demo's snippets (support services, the testimonies its module
uses, the attitude survey), made through wagtail-localize as an editor's translation would be:
a TranslationSource of the English snippet, a Translation into Welsh, one StringTranslation
per English string, then the Welsh snippet saved from them. Editors can later open, edit and
sync them on wagtail-localize's translation screens like any other translation."""

from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from courses.demo import evidence_c, support, testimony
from courses.models import AttitudeSurvey, SupportService, Testimony
from courses.models.surveys import DEFAULT_SURVEY_USE


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
        # wagtail-localize keeps a plain text field's line breaks as <br/> in its strings.
        english = segment.string.data
        text = welsh.get(english, welsh.get(english.replace("<br/>", "\n")))
        if text is None:
            continue
        if "<br/>" in english:
            text = text.replace("\n", "<br/>")
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


# The services' public names stay as the services give them; what they offer is in Welsh.
SERVICES = {
    "24 hours, every day": "24 awr, bob dydd",
    "Free, confidential support for anyone experiencing domestic abuse, and for friends, "
    "family and professionals supporting them.": "Cymorth am ddim a chyfrinachol i unrhyw un "
    "sy'n profi cam-drin domestig, ac i ffrindiau, teulu a gweithwyr proffesiynol sy'n eu "
    "cefnogi.",
    "Confidential support for men experiencing domestic abuse.": "Cymorth cyfrinachol i "
    "ddynion sy'n profi cam-drin domestig.",
    "Support for lesbian, gay, bisexual, trans and queer people experiencing domestic abuse.": (
        "Cymorth i bobl lesbiaidd, hoyw, deurywiol, traws a chwiar sy'n profi cam-drin domestig."
    ),
    "Someone to talk to about anything that is troubling you, whatever it is.": "Rhywun i "
    "siarad â nhw am unrhyw beth sy'n eich poeni, beth bynnag ydyw.",
    "Independent, confidential crisis support for police officers and staff in England and "
    "Wales. Nothing is shared with your force.": "Cymorth annibynnol a chyfrinachol mewn "
    "argyfwng i swyddogion a staff yr heddlu yng Nghymru a Lloegr. Nid oes dim yn cael ei "
    "rannu â'ch heddlu.",
    "The national charity for serving and former police officers, staff and volunteers, and "
    "their families, harmed because of their policing role.": "Yr elusen genedlaethol i "
    "swyddogion, staff a gwirfoddolwyr presennol a blaenorol yr heddlu, a'u teuluoedd, sydd "
    "wedi cael niwed oherwydd eu rôl ym maes plismona.",
    "Confidential advice for people worried about their own abusive behaviour towards a "
    "partner or family member, and for those working with them.": "Cyngor cyfrinachol i bobl "
    "sy'n poeni am eu hymddygiad camdriniol eu hunain tuag at bartner neu aelod o'r teulu, ac "
    "i'r rhai sy'n gweithio gyda nhw.",
}

_FICTIONAL = (
    "Mae'r hanes hwn yn gyfansawdd ffuglennol, wedi'i ysgrifennu gan dîm y cwrs o themâu y "
    "mae llawer o oroeswyr wedi'u rhannu. Nid hanes un person ydyw.\n\n"
)

# Still labelled fictional, in Welsh, as in English.
TESTIMONY = {
    "Alex: a fictional composite": "Alex: cyfansawdd ffuglennol",
    "Jordan: a fictional composite": "Jordan: cyfansawdd ffuglennol",
    testimony.TESTIMONY[0]["text"]: _FICTIONAL
    + "Gofynnodd y swyddog cyntaf a ddaeth beth oedd wedi digwydd heno. Gofynnodd yr ail beth "
    "oedd wedi bod yn digwydd ers amser hir. Dyna'r tro cyntaf i unrhyw un ofyn y cwestiwn "
    "cywir, a'r tro cyntaf i mi feddwl y gallai rhywun gredu'r cyfan, nid dim ond y rhan y "
    "gallen nhw ei gweld.",
    testimony.TESTIMONY[1]["text"]: _FICTIONAL
    + "Roedd pobl yn meddwl ei fod yn hawdd mynd ato. Gartref, roedd pob penderfyniad yn mynd "
    "drwyddo fe: beth roeddwn i'n ei wisgo, pwy roeddwn i'n eu gweld, beth roeddwn i'n ei "
    "wario. Doedd dim byd amdano'n edrych fel trosedd o'r tu allan. Pan ddywedodd swyddog y "
    "geiriau 'ymddygiad rheolaethol' yn uchel, sylweddolais nad oeddwn i wedi'i ddychmygu.",
}

SURVEY = {
    evidence_c.TITLE: "Eich meddyliau am gam-drin domestig",
    evidence_c.FREE_TEXT_QUESTION: "Oes unrhyw beth arall yr hoffech ei ddweud wrthym am "
    "gam-drin domestig a phlismona?",
    DEFAULT_SURVEY_USE: "Mae'r arolwg hwn yn wirfoddol a gallwch ei hepgor: nid yw hepgor byth "
    "yn effeithio ar eich hyfforddiant. Dim ond i fesur, ar draws llawer o swyddogion a staff, "
    "a yw agweddau'n newid ar ôl DA Matters y defnyddir eich atebion. Ni all neb yn eich "
    "heddlu nac yn SafeLives weld eich atebion chi; dim ond ar gyfer grwpiau o 10 o bobl neu "
    "fwy y dangosir canlyniadau. Gallwch weld eich atebion yn eich lawrlwythiad data, ac maen "
    "nhw'n cael eu datgysylltu oddi wrthych os byddwch yn gofyn i ni ddileu eich data.",
    **dict(
        zip(
            evidence_c.STATEMENTS,
            [
                "Mae ymddygiad sy'n rheoli neu'n gorfodi yn gam-drin domestig, hyd yn oed pan "
                "nad oes trais corfforol.",
                "Mae'n fwy defnyddiol gofyn \"pam nad yw e'n stopio?\" na \"pam nad yw hi'n "
                'gadael?"',
                "Pan fydd rhywun yn dweud wrthyf eu bod yn cael eu cam-drin, fy man cychwyn yw "
                "eu credu.",
                "Byddwn i'n herio cydweithiwr a wnaeth jôc a oedd yn bychanu cam-drin domestig.",
                "Gall cam-drin domestig effeithio ar unrhyw un, gan gynnwys pobl sy'n gweithio "
                "ym maes plismona.",
                "Gall y ffordd rwy'n ymateb y tro cyntaf y bydd rhywun yn rhoi gwybod am gam-drin "
                "effeithio ar p'un a fyddan nhw'n gofyn am help eto.",
            ],
            strict=True,
        )
    ),
}


def seed(*, user=None) -> None:
    """Welsh translations of the demo's national support services, its testimonies and its
    attitude survey (with the statements), made or brought up to date. Idempotent."""
    names = [data["name"] for data in support.SUPPORT_SERVICES]
    for service in SupportService.objects.sources().filter(name__in=names, force=None):
        translate_snippet(service, SERVICES, user=user)
    attributions = [data["attribution"] for data in testimony.TESTIMONY]
    for item in Testimony.objects.sources().filter(attribution__in=attributions):
        translate_snippet(item, TESTIMONY, user=user)
    for survey in AttitudeSurvey.objects.originals().filter(title=evidence_c.TITLE):
        translate_snippet(survey, SURVEY, user=user)
