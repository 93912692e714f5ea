"""The Welsh of the demo's pages (courses.demo.welsh_pages), by English segment.

Keys are the segments exactly as wagtail-localize extracts them from the English pages: a
title, a slug, a plain-text field, or one paragraph or list item of rich text (inline
formatting kept, a link's attributes replaced by an id such as <a id="a1">). Written with the
terms of docs/welsh-glossary.md, in the "chi" register; to be reviewed by a Welsh-language
professional before production.
"""

# The demo's pages but the two statements.
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
    # --- module: Leading the change ---------------------------------------------------------
    "Leading the change": "Arwain y newid",
    "leading-the-change": "arwain-y-newid",
    "How leaders at every rank shape the way their teams understand and respond to domestic "
    "abuse.": (
        "Sut mae arweinwyr ar bob rheng yn llywio'r ffordd y mae eu timau'n deall cam-drin "
        "domestig ac yn ymateb iddo."
    ),
    "Explain why the culture of a team affects victims' safety.": (
        "Egluro pam mae diwylliant tîm yn effeithio ar ddiogelwch dioddefwyr."
    ),
    "Recognise moments where you can set the standard.": (
        "Adnabod adegau pan allwch chi osod y safon."
    ),
    "Plan one action to lead change in your own team.": (
        "Cynllunio un cam i arwain newid yn eich tîm eich hun."
    ),
    "This module talks about domestic abuse, including coercive control. It contains no "
    "graphic descriptions. Some colleagues will have their own experience of abuse: look after "
    "yourself and each other.": (
        "Mae'r modiwl hwn yn sôn am gam-drin domestig, gan gynnwys rheolaeth drwy orfodaeth. "
        "Does dim disgrifiadau graffig ynddo. Bydd gan rai cydweithwyr eu profiad eu hunain o "
        "gam-drin: edrychwch ar ôl eich hun a'ch gilydd."
    ),
    "Why culture matters": "Pam mae diwylliant yn bwysig",
    "What officers do depends on what teams believe": (
        "Mae'r hyn y mae swyddogion yn ei wneud yn dibynnu ar yr hyn y mae timau'n ei gredu"
    ),
    "Policies describe what should happen at a domestic abuse call. What actually happens "
    "depends on what the team around an officer treats as normal: the jokes that pass without "
    "comment, the jobs called 'just a domestic', the questions people are expected to ask.": (
        "Mae polisïau'n disgrifio beth ddylai ddigwydd mewn galwad cam-drin domestig. Mae'r "
        "hyn sy'n digwydd mewn gwirionedd yn dibynnu ar yr hyn y mae'r tîm o gwmpas swyddog "
        "yn ei ystyried yn normal: y jôcs sy'n mynd heibio heb i neb ddweud dim, y galwadau "
        "sy'n cael eu galw'n 'dim ond domestig', y cwestiynau y mae disgwyl i bobl eu gofyn."
    ),
    "Leaders shape that culture every day, whatever their rank.": (
        "Mae arweinwyr yn llywio'r diwylliant hwnnw bob dydd, beth bynnag yw eu rheng."
    ),
    "Culture is what a team does when nobody is checking.": (
        "Diwylliant yw'r hyn y mae tîm yn ei wneud pan nad oes neb yn gwirio."
    ),
    "Think of a time a colleague's words about domestic abuse stayed with you. What did they "
    "show about your team's culture?": (
        "Meddyliwch am adeg pan arhosodd geiriau cydweithiwr am gam-drin domestig gyda chi. "
        "Beth oedden nhw'n ei ddangos am ddiwylliant eich tîm?"
    ),
    "There is no right answer. Only you can see this.": (
        "Does dim ateb cywir. Dim ond chi sy'n gallu gweld hyn."
    ),
    "Seeing the pattern: coercive control": "Gweld y patrwm: rheolaeth drwy orfodaeth",
    "Coercive and controlling behaviour is a pattern: isolating someone, monitoring them, "
    "restricting money, threatening, humiliating. In England and Wales it has been a criminal "
    "offence since 2015.": (
        "Patrwm yw ymddygiad sy'n rheoli neu'n gorfodi: ynysu rhywun, ei fonitro, cyfyngu ar "
        "ei arian, bygwth, bychanu. Yng Nghymru a Lloegr, mae wedi bod yn drosedd ers 2015."
    ),
    "A single incident can look minor. The pattern is what shows the risk.": (
        "Gall un digwyddiad edrych yn fân. Y patrwm sy'n dangos y risg."
    ),
    "Ask what has been happening, not only what happened tonight.": (
        "Gofynnwch beth sydd wedi bod yn digwydd, nid dim ond beth ddigwyddodd heno."
    ),
    "DA Matters course team": "Tîm cwrs DA Matters",
    "Setting the standard": "Gosod y safon",
    "Small moments, big signals": "Eiliadau bach, negeseuon mawr",
    "Challenging a joke, asking a follow-up question in a debrief, making time for a colleague "
    "who seems affected: these are the moments that tell a team what matters.": (
        "Herio jôc, gofyn cwestiwn dilynol mewn sesiwn ôl-drafod, gwneud amser i gydweithiwr "
        "sy'n ymddangos fel pe bai wedi'i effeithio: dyma'r eiliadau sy'n dangos i dîm beth "
        "sy'n bwysig."
    ),
    "A colleague jokes about a domestic abuse call in the briefing room. What does good "
    "leadership look like?": (
        "Mae cydweithiwr yn gwneud jôc am alwad cam-drin domestig yn yr ystafell friffio. Sut "
        "olwg sydd ar arweinyddiaeth dda?"
    ),
    "Leave it: it is only banter and people need to let off steam.": (
        "Gadael iddo fynd: dim ond tynnu coes yw e, ac mae angen i bobl ollwng stêm."
    ),
    "Silence tells the team the joke is acceptable, and tells anyone affected by abuse that it "
    "is not safe to speak.": (
        "Mae tawelwch yn dweud wrth y tîm fod y jôc yn dderbyniol, ac yn dweud wrth unrhyw un "
        "y mae cam-drin wedi effeithio arno nad yw'n ddiogel siarad."
    ),
    "Say calmly that it is not acceptable, and talk with the colleague afterwards.": (
        "Dweud yn bwyllog nad yw'n dderbyniol, a siarad â'r cydweithiwr wedyn."
    ),
    "Yes. Naming it in the moment sets the standard; a follow-up conversation helps the "
    "colleague change.": (
        "Ie. Mae ei enwi ar y pryd yn gosod y safon; mae sgwrs wedyn yn helpu'r cydweithiwr i "
        "newid."
    ),
    "Report the colleague without speaking to them.": (
        "Rhoi gwybod am y cydweithiwr heb siarad â nhw."
    ),
    "Formal routes matter for serious conduct, but leaders also set the standard directly, in "
    "the room.": (
        "Mae llwybrau ffurfiol yn bwysig ar gyfer ymddygiad difrifol, ond mae arweinwyr hefyd "
        "yn gosod y safon yn uniongyrchol, yn yr ystafell."
    ),
    "What is one thing you will do in the next month to set the standard in your team?": (
        "Beth yw un peth y byddwch chi'n ei wneud yn ystod y mis nesaf i osod y safon yn eich tîm?"
    ),
    # --- module: Men's role: why doesn't he stop? --------------------------------------------
    "Men's role: why doesn't he stop?": "Rôl dynion: pam nad yw e'n stopio?",
    "why-doesnt-he-stop": "pam-nad-yw-en-stopio",
    "Changing the question from 'why doesn't she leave?' to 'why doesn't he stop?', and what "
    "that asks of men, in uniform and out of it.": (
        "Newid y cwestiwn o 'pam nad yw hi'n gadael?' i 'pam nad yw e'n stopio?', a beth mae "
        "hynny'n ei ofyn gan ddynion, mewn iwnifform a thu hwnt."
    ),
    "Explain why the question we ask shapes the response.": (
        "Egluro pam mae'r cwestiwn rydym yn ei ofyn yn llywio'r ymateb."
    ),
    "Reflect on your own ideas about being a man.": (
        "Myfyrio ar eich syniadau eich hun am fod yn ddyn."
    ),
    "Keep the focus on the person causing harm at a call.": (
        "Cadw'r ffocws ar y person sy'n achosi niwed mewn galwad."
    ),
    "This module asks you to think about yourself as well as your role. It mentions abusive "
    "behaviour without graphic detail. If anything here makes you worried about your own "
    "behaviour, the Respect Phoneline offers confidential advice.": (
        "Mae'r modiwl hwn yn gofyn i chi feddwl amdanoch eich hun yn ogystal â'ch rôl. Mae'n "
        "sôn am ymddygiad camdriniol heb fanylion graffig. Os oes unrhyw beth yma yn peri "
        "pryder i chi am eich ymddygiad eich hun, mae Respect Phoneline yn cynnig cyngor "
        "cyfrinachol."
    ),
    "Changing the question": "Newid y cwestiwn",
    "'Why doesn't she leave?' is one of the most common questions asked about domestic abuse. "
    "It sounds reasonable, but it puts the burden on the victim and hides the person making "
    "the choices.": (
        "Mae 'Pam nad yw hi'n gadael?' yn un o'r cwestiynau mwyaf cyffredin am gam-drin "
        "domestig. Mae'n swnio'n rhesymol, ond mae'n rhoi'r baich ar y dioddefwr ac yn cuddio'r "
        "person sy'n gwneud y dewisiadau."
    ),
    "'Why doesn't he stop?' puts responsibility where it belongs.": (
        "Mae 'Pam nad yw e'n stopio?' yn rhoi'r cyfrifoldeb lle mae'n perthyn."
    ),
    "Abuse is a choice. The question we ask should say so.": (
        "Dewis yw cam-drin. Dylai'r cwestiwn rydym yn ei ofyn ddweud hynny."
    ),
    "When did you last hear someone ask why a victim did not leave? What might a different "
    "question have changed?": (
        "Pryd glywsoch chi rywun yn gofyn ddiwethaf pam na adawodd dioddefwr? Beth allai "
        "cwestiwn gwahanol fod wedi'i newid?"
    ),
    "Thinking about ourselves as men": "Meddwl amdanom ein hunain fel dynion",
    "Before the uniform": "Cyn yr iwnifform",
    "Most men are not abusive. But all of us grew up with ideas about what men are supposed to "
    "be: in control, not needing help, the one who decides. Those ideas come to work with "
    "us.": (
        "Nid yw'r rhan fwyaf o ddynion yn gamdriniol. Ond cawsom ni i gyd ein magu gyda "
        "syniadau am sut mae disgwyl i ddynion fod: mewn rheolaeth, heb angen help, yr un sy'n "
        "penderfynu. Mae'r syniadau hynny'n dod i'r gwaith gyda ni."
    ),
    "Noticing them in ourselves helps us notice when an abuser uses them as an excuse, and "
    "helps us challenge other men.": (
        "Mae sylwi arnyn nhw ynom ni ein hunain yn ein helpu i sylwi pan fydd camdriniwr yn eu "
        "defnyddio fel esgus, ac yn ein helpu i herio dynion eraill."
    ),
    "Men talking to men about abuse is part of how it stops.": (
        "Mae dynion yn siarad â dynion am gam-drin yn rhan o'r ffordd y daw i ben."
    ),
    "What did you learn growing up about how men handle conflict at home? Which of those ideas "
    "would you keep?": (
        "Beth wnaethoch chi ei ddysgu wrth dyfu i fyny am sut mae dynion yn delio â gwrthdaro "
        "gartref? Pa rai o'r syniadau hynny fyddech chi'n eu cadw?"
    ),
    "This is private. Write as much or as little as you like.": (
        "Mae hyn yn breifat. Ysgrifennwch gymaint neu gyn lleied ag y dymunwch."
    ),
    "At the call: focus on the perpetrator": "Yn yr alwad: canolbwyntio ar y cyflawnwr",
    "At a call, focusing on the person causing harm means asking what he has done and is "
    "doing, checking history and intelligence, and holding him to account, rather than asking "
    "the victim to manage the risk he creates.": (
        "Mewn galwad, mae canolbwyntio ar y person sy'n achosi niwed yn golygu gofyn beth mae "
        "ef wedi'i wneud ac yn ei wneud, gwirio'r hanes a'r gudd-wybodaeth, a'i ddwyn i "
        "gyfrif, yn hytrach na gofyn i'r dioddefwr reoli'r risg y mae ef yn ei chreu."
    ),
    "Which questions keep the focus on the person causing harm?": (
        "Pa gwestiynau sy'n cadw'r ffocws ar y person sy'n achosi niwed?"
    ),
    "Why doesn't he stop?": "Pam nad yw e'n stopio?",
    "Yes. Abuse is a choice, and this question puts responsibility there.": (
        "Ie. Dewis yw cam-drin, ac mae'r cwestiwn hwn yn rhoi'r cyfrifoldeb yno."
    ),
    "What is he doing to control her, and what has he done before?": (
        "Beth mae e'n ei wneud i'w rheoli hi, a beth mae e wedi'i wneud o'r blaen?"
    ),
    "Yes. This looks for the pattern of behaviour, not a single incident.": (
        "Ie. Mae hyn yn chwilio am y patrwm ymddygiad, nid un digwyddiad."
    ),
    "Why doesn't she leave?": "Pam nad yw hi'n gadael?",
    "This puts the burden on the victim. Leaving is often the most dangerous time, and many "
    "barriers are created by the abuser.": (
        "Mae hyn yn rhoi'r baich ar y dioddefwr. Gadael yn aml yw'r adeg fwyaf peryglus, a'r "
        "camdriniwr sy'n creu llawer o'r rhwystrau."
    ),
    "What did she do to make him angry?": "Beth wnaeth hi i'w wneud e'n ddig?",
    "No one causes another person to abuse them.": (
        "Does neb yn achosi i berson arall ei gam-drin."
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


# The privacy notice and the accessibility statement (courses.demo.statements).
STATEMENTS = {
    "Privacy notice": "Hysbysiad preifatrwydd",
    "privacy": "privacy",  # the fixed address, /cy/privacy/
    "<b>Demonstration content.</b> The organisation running this service must replace the "
    "contact details and check every section with its data protection officer before it goes "
    "live.": (
        "<b>Cynnwys arddangos.</b> Rhaid i'r sefydliad sy'n rhedeg y gwasanaeth hwn newid y "
        "manylion cyswllt a gwirio pob adran gyda'i swyddog diogelu data cyn i'r gwasanaeth "
        "fynd yn fyw."
    ),
    "This notice explains what personal data the DA Matters training site keeps about you, "
    "why, who can see it, how long it is kept and what your rights are.": (
        "Mae'r hysbysiad hwn yn egluro pa ddata personol y mae safle hyfforddi DA Matters yn "
        "ei gadw amdanoch, pam, pwy sy'n gallu ei weld, am faint o amser y caiff ei gadw a "
        "beth yw eich hawliau."
    ),
    "Who we are": "Pwy ydym ni",
    "The DA Matters training site is run for the police forces taking part in the programme. "
    "Your force decides that you take the training, and it is responsible for how your "
    'training record is used in your force. In this notice, "we" means the organisation '
    "running the site.": (
        "Mae safle hyfforddi DA Matters yn cael ei redeg ar gyfer yr heddluoedd sy'n cymryd "
        "rhan yn y rhaglen. Eich heddlu sy'n penderfynu eich bod yn gwneud yr hyfforddiant, "
        "ac mae'n gyfrifol am y ffordd y caiff eich cofnod hyfforddi ei ddefnyddio yn eich "
        "heddlu. Yn yr hysbysiad hwn, ystyr \"ni\" yw'r sefydliad sy'n rhedeg y safle."
    ),
    "What we keep about you": "Beth rydym yn ei gadw amdanoch",
    "your first and last name, which appear on your certificates": (
        "eich enw cyntaf a'ch cyfenw, sy'n ymddangos ar eich tystysgrifau"
    ),
    "your force email address, which you sign in with": (
        "cyfeiriad e-bost eich heddlu, rydych yn mewngofnodi ag ef"
    ),
    "your force and your role (for example, response officer or call handler)": (
        "eich heddlu a'ch rôl (er enghraifft, swyddog ymateb neu aelod o staff sy'n ateb galwadau)"
    ),
    "your staff or collar number, if you give it": (
        "eich rhif staff neu rif coler, os byddwch yn ei roi"
    ),
    "your progress: the lessons and modules you have started and completed, when, and your "
    "knowledge-check answers and scores": (
        "eich cynnydd: y gwersi a'r modiwlau rydych wedi'u dechrau a'u cwblhau, pryd, a'ch "
        "atebion a'ch sgoriau yn y gwiriadau gwybodaeth"
    ),
    "your certificates and their verification codes": "eich tystysgrifau a'u codau dilysu",
    "anything you write in reflection boxes": (
        "unrhyw beth rydych yn ei ysgrifennu yn y blychau myfyrdod"
    ),
    "a record of each time you sign in, or someone tries to sign in to your account": (
        "cofnod o bob tro rydych yn mewngofnodi, neu pan fydd rhywun yn ceisio mewngofnodi "
        "i'ch cyfrif"
    ),
    "Why we keep it": "Pam rydym yn ei gadw",
    "to give you the training, save your progress and let you carry on where you left off": (
        "er mwyn rhoi'r hyfforddiant i chi, cadw eich cynnydd a gadael i chi barhau o'r man "
        "lle gwnaethoch adael"
    ),
    "to give you certificates that others can check": (
        "er mwyn rhoi tystysgrifau i chi y gall eraill eu gwirio"
    ),
    "to tell your force who has taken the training, so that it can plan and report on it": (
        "er mwyn dweud wrth eich heddlu pwy sydd wedi gwneud yr hyfforddiant, fel y gall "
        "gynllunio ac adrodd arno"
    ),
    "to evaluate whether the programme works, using figures about groups of people only": (
        "er mwyn gwerthuso a yw'r rhaglen yn gweithio, gan ddefnyddio ffigurau am grwpiau o "
        "bobl yn unig"
    ),
    "to keep the site and your account secure": ("er mwyn cadw'r safle a'ch cyfrif yn ddiogel"),
    "We use your data because your force needs to train its officers and staff to respond "
    "well to domestic abuse: a task carried out in the public interest.": (
        "Rydym yn defnyddio eich data oherwydd bod angen i'ch heddlu hyfforddi ei swyddogion "
        "a'i staff i ymateb yn dda i gam-drin domestig: tasg sy'n cael ei chyflawni er budd y "
        "cyhoedd."
    ),
    "Who can see it": "Pwy sy'n gallu ei weld",
    "<b>You</b> can see everything we keep about you, including your reflections.": (
        "<b>Chi:</b> gallwch weld popeth rydym yn ei gadw amdanoch, gan gynnwys eich myfyrdodau."
    ),
    "<b>Your force's training team</b> can see your name, email address, role, staff number, "
    "the modules you have started and completed, when, and your scores.": (
        "<b>Tîm hyfforddi eich heddlu:</b> gall weld eich enw, eich cyfeiriad e-bost, eich "
        "rôl, eich rhif staff, y modiwlau rydych wedi'u dechrau a'u cwblhau, pryd, a'ch "
        "sgoriau."
    ),
    "<b>Your reflections are private.</b> Only you can see them. They are never shown to your "
    "force, put in a report, or sent anywhere else.": (
        "<b>Mae eich myfyrdodau yn breifat.</b> Dim ond chi sy'n gallu eu gweld. Nid ydyn "
        "nhw byth yn cael eu dangos i'ch heddlu, eu rhoi mewn adroddiad na'u hanfon i unrhyw "
        "le arall."
    ),
    "<b>People evaluating the programme</b> see only figures about groups of at least 10 "
    "people, never a named person.": (
        "<b>Pobl sy'n gwerthuso'r rhaglen:</b> dim ond ffigurau am grwpiau o 10 o bobl o "
        "leiaf y maen nhw'n eu gweld, byth unigolyn a enwir."
    ),
    "<b>The people who run the site</b> can reach the data only to support you, fix problems "
    "and keep the site secure.": (
        "<b>Y bobl sy'n rhedeg y safle:</b> dim ond er mwyn eich cefnogi, datrys problemau a "
        "chadw'r safle'n ddiogel y gallan nhw gyrraedd y data."
    ),
    "We do not sell your data or share it with anyone else, and we do not use it for "
    "advertising.": (
        "Nid ydym yn gwerthu eich data nac yn ei rannu ag unrhyw un arall, ac nid ydym yn ei "
        "ddefnyddio ar gyfer hysbysebu."
    ),
    "Cookies": "Cwcis",
    "How long we keep it": "Am faint o amser rydym yn ei gadw",
    "A summary of your progress, your certificates and your reflections are kept while you "
    "have an account.": (
        "Mae crynodeb o'ch cynnydd, eich tystysgrifau a'ch myfyrdodau yn cael eu cadw tra bo "
        "gennych gyfrif."
    ),
    "When your account is erased, we delete your name, email address, staff number, "
    "reflections and certificates. We keep your progress without your name, so that your "
    "force's totals do not change.": (
        "Pan fydd eich cyfrif yn cael ei ddileu, rydym yn dileu eich enw, eich cyfeiriad "
        "e-bost, eich rhif staff, eich myfyrdodau a'ch tystysgrifau. Rydym yn cadw eich "
        "cynnydd heb eich enw, fel nad yw cyfansymiau eich heddlu yn newid."
    ),
    "Records of signing in keep only account numbers, never what you typed, and are kept for "
    "security investigations.": (
        "Dim ond rhifau cyfrifon y mae cofnodion mewngofnodi yn eu cadw, byth yr hyn a "
        "deipiwyd gennych, ac maen nhw'n cael eu cadw ar gyfer ymchwiliadau diogelwch."
    ),
    "Your rights": "Eich hawliau",
    "You have the right to:": "Mae gennych hawl i:",
    'get a copy of your data: use "Download my data" on My learning at any time': (
        "gael copi o'ch data: ar y dudalen Fy nysgu, gallwch lwytho eich data i lawr ar unrhyw adeg"
    ),
    "have wrong data corrected": "gael cywiro data anghywir",
    "have your data erased": "gael dileu eich data",
    "object to how we use your data, or ask us to limit it": (
        "wrthwynebu'r ffordd rydym yn defnyddio eich data, neu ofyn i ni gyfyngu arni"
    ),
    "To use these rights, contact your force's training team or our data protection officer.": (
        "I ddefnyddio'r hawliau hyn, cysylltwch â thîm hyfforddi eich heddlu neu â'n swyddog "
        "diogelu data."
    ),
    "Contact us": "Cysylltu â ni",
    "Data protection officer (demonstration address): dpo@demo.example": (
        "Swyddog diogelu data (cyfeiriad arddangos): dpo@demo.example"
    ),
    "If you are not happy": "Os nad ydych yn fodlon",
    "You can complain to the Information Commissioner's Office (ICO), the UK's data "
    'protection regulator: <a id="a1">ico.org.uk/make-a-complaint</a>, telephone 0303 123 '
    "1113.": (
        "Gallwch gwyno i Swyddfa'r Comisiynydd Gwybodaeth (ICO), rheoleiddiwr diogelu data'r "
        'DU: <a id="a1">ico.org.uk/make-a-complaint</a>, ffôn 0303 123 1113.'
    ),
    "Accessibility statement": "Datganiad hygyrchedd",
    "accessibility": "accessibility",  # the fixed address, /cy/accessibility/
    "This statement applies to the DA Matters training site: the pages learners use, from "
    "registering to certificates. It does not cover the editors' administration area.": (
        "Mae'r datganiad hwn yn berthnasol i safle hyfforddi DA Matters: y tudalennau y mae "
        "dysgwyr yn eu defnyddio, o gofrestru i dystysgrifau. Nid yw'n cynnwys ardal weinyddu'r "
        "golygyddion."
    ),
    "Using this site": "Defnyddio'r safle hwn",
    "We want everyone who takes the training to be able to use this site. You should be able to:": (
        "Rydym am i bawb sy'n gwneud yr hyfforddiant allu defnyddio'r safle hwn. Dylech allu:"
    ),
    "change colours, contrast and fonts with your browser or device settings": (
        "newid lliwiau, cyferbyniad a ffontiau gyda gosodiadau eich porwr neu'ch dyfais"
    ),
    "zoom in without text spilling off the screen, and use the site on a phone": (
        "chwyddo heb i'r testun fynd oddi ar y sgrin, a defnyddio'r safle ar ffôn"
    ),
    "use the whole site with a keyboard alone": (
        "defnyddio'r safle cyfan gyda bysellfwrdd yn unig"
    ),
    "use the site with a screen reader or speech recognition software": (
        "defnyddio'r safle gyda darllenydd sgrin neu feddalwedd adnabod lleferydd"
    ),
    "use the site with JavaScript turned off": (
        "defnyddio'r safle gyda JavaScript wedi'i ddiffodd"
    ),
    "read a transcript of every recording": "darllen trawsgrifiad o bob recordiad",
    "We have also tried to keep the text plain and simple.": (
        "Rydym hefyd wedi ceisio cadw'r testun yn glir ac yn syml."
    ),
    "How accessible this site is": "Pa mor hygyrch yw'r safle hwn",
    "We know some parts are not fully accessible:": (
        "Rydym yn gwybod nad yw rhai rhannau'n gwbl hygyrch:"
    ),
    "some videos do not yet have captions, though each has a transcript": (
        "does gan rai fideos ddim capsiynau eto, er bod trawsgrifiad gan bob un"
    ),
    "documents offered as further resources may not all be accessible": (
        "efallai na fydd pob dogfen a gynigir fel adnodd pellach yn hygyrch"
    ),
    "without JavaScript, there is no print button on certificates: use your browser's print "
    "option instead": (
        "heb JavaScript, does dim botwm argraffu ar dystysgrifau: defnyddiwch opsiwn argraffu "
        "eich porwr yn lle hynny"
    ),
    "Feedback and contact information": "Adborth a gwybodaeth gyswllt",
    "If you need information from this site in a different format, or you find a problem not "
    "listed here, email accessibility@demo.example (a demonstration address). Tell us the web "
    "address of the page and what went wrong. We will reply within 5 working days.": (
        "Os oes angen gwybodaeth o'r safle hwn arnoch mewn fformat gwahanol, neu os dewch o hyd "
        "i broblem sydd heb ei rhestru yma, anfonwch e-bost i accessibility@demo.example "
        "(cyfeiriad arddangos). Dywedwch wrthym beth yw cyfeiriad gwe'r dudalen a beth aeth o'i "
        "le. Byddwn yn ateb o fewn 5 diwrnod gwaith."
    ),
    "Enforcement procedure": "Y drefn orfodi",
    "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public "
    "Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 "
    '(the "accessibility regulations"). If you are not happy with how we respond to your '
    'complaint, contact the <a id="a1">Equality Advisory and Support Service (EASS)</a>. In '
    'Northern Ireland, contact the <a id="a2">Equality Commission for Northern Ireland</a>.': (
        "Y Comisiwn Cydraddoldeb a Hawliau Dynol (EHRC) sy'n gyfrifol am orfodi Rheoliadau "
        "Hygyrchedd Cyrff y Sector Cyhoeddus (Gwefannau a Rhaglenni Symudol) (Rhif 2) 2018 "
        "(\"y rheoliadau hygyrchedd\"). Os nad ydych yn fodlon â'r ffordd rydym yn ymateb i'ch "
        'cwyn, cysylltwch â\'r <a id="a1">Gwasanaeth Cynghori a Chymorth Cydraddoldeb '
        '(EASS)</a>. Yng Ngogledd Iwerddon, cysylltwch â <a id="a2">Chomisiwn Cydraddoldeb '
        "Gogledd Iwerddon</a>."
    ),
    "Technical information about this site's accessibility": (
        "Gwybodaeth dechnegol am hygyrchedd y safle hwn"
    ),
    "We are committed to making this site accessible, in line with the accessibility "
    "regulations.": (
        "Rydym wedi ymrwymo i wneud y safle hwn yn hygyrch, yn unol â'r rheoliadau hygyrchedd."
    ),
    "Compliance status": "Statws cydymffurfio",
    'This site is partially compliant with the <a id="a1">Web Content Accessibility '
    "Guidelines version 2.2</a> AA standard, because of the problems listed below.": (
        "Mae'r safle hwn yn cydymffurfio'n rhannol â safon AA <a id=\"a1\">Canllawiau "
        "Hygyrchedd Cynnwys y We fersiwn 2.2</a>, oherwydd y problemau a restrir isod."
    ),
    "Content that is not accessible": "Cynnwys nad yw'n hygyrch",
    "Some videos have no captions (WCAG 2.2 success criterion 1.2.2, captions). Each has a "
    "transcript. We add captions when we publish or update a video.": (
        "Does gan rai fideos ddim capsiynau (maen prawf llwyddiant 1.2.2 WCAG 2.2, "
        "capsiynau). Mae trawsgrifiad gan bob un. Rydym yn ychwanegu capsiynau pan fyddwn yn "
        "cyhoeddi neu'n diweddaru fideo."
    ),
    "Some documents offered as further resources may not meet the standard. They are optional "
    "and their main points are in the lessons.": (
        "Efallai na fydd rhai dogfennau a gynigir fel adnoddau pellach yn bodloni'r safon. "
        "Maen nhw'n ddewisol, ac mae eu prif bwyntiau yn y gwersi."
    ),
    "How we tested this site": "Sut rydym wedi profi'r safle hwn",
    "Every change to the site is tested automatically in a real browser: each learner page is "
    "checked with the axe accessibility engine at desktop and phone widths, a lesson is "
    "completed with the keyboard alone, and the site is used with JavaScript turned off.": (
        "Mae pob newid i'r safle yn cael ei brofi'n awtomatig mewn porwr go iawn: mae pob "
        "tudalen i ddysgwyr yn cael ei gwirio gyda'r peiriant hygyrchedd axe ar led "
        "cyfrifiadur a ffôn, mae gwers yn cael ei chwblhau gyda'r bysellfwrdd yn unig, ac mae'r "
        "safle'n cael ei ddefnyddio gyda JavaScript wedi'i ddiffodd."
    ),
    "What we are doing to improve accessibility": "Beth rydym yn ei wneud i wella hygyrchedd",
    "We are adding captions to every video, and we review this statement whenever the site "
    "changes in a way that affects it.": (
        "Rydym yn ychwanegu capsiynau at bob fideo, ac rydym yn adolygu'r datganiad hwn pryd "
        "bynnag y bydd y safle'n newid mewn ffordd sy'n effeithio arno."
    ),
}
