"""Choosing the language (issue 30): <html lang>, the switch in the header and the alternates,
the choice remembered in the cookie and the learner's profile, Welsh first for forces in Wales,
the sign-in's own language, and emails in the learner's language. Without JavaScript: the
Django client follows plain links and posts plain forms."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends import locmem
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from courses import services
from courses.models import LearnerProfile
from tests.factories import UserFactory, learner

COOKIE = settings.LANGUAGE_COOKIE_NAME


def dashboard(language: str) -> str:
    with translation.override(language):
        return reverse("courses:dashboard")


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def switch(response) -> dict[str, str]:
    """The language nav's links: hreflang -> (lang, href, text)."""
    html = response.content.decode()
    nav = re.search(r'<nav [^>]*class="[^"]*site-header__languages".*?</nav>', html, re.S)
    assert nav, html[:2000]
    return {
        m["hreflang"]: (m["lang"], m["href"], m["text"])
        for m in re.finditer(
            r'<a href="(?P<href>[^"]+)" lang="(?P<lang>[^"]+)" hreflang="(?P<hreflang>[^"]+)">'
            r"(?P<text>[^<]+)</a>",
            nav.group(0),
        )
    }


def alternates(response) -> dict[str, str]:
    html = response.content.decode()
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


@pytest.mark.django_db
def test_a_learner_page_in_each_language_has_its_lang_switch_and_alternates(client):
    client.force_login(learner("met"))
    english = client.get(dashboard("en-gb"))
    assert english.status_code == 200
    assert html_lang(english) == "en-GB"
    assert switch(english) == {"cy": ("cy", dashboard("cy"), "Cymraeg")}
    assert alternates(english) == {"en-GB": dashboard("en-gb"), "cy": dashboard("cy")}
    assert 'aria-current="true">English<' in english.content.decode()

    welsh = client.get(dashboard("cy"))
    assert html_lang(welsh) == "cy"
    assert switch(welsh) == {"en-GB": ("en-GB", dashboard("en-gb"), "English")}
    assert "Fy nysgu" in welsh.content.decode()  # base.html's own strings in Welsh
    assert f'src="{dashboard("cy").rsplit("/", 2)[0]}/jsi18n/"' in welsh.content.decode()


@pytest.mark.django_db
def test_following_the_switch_saves_the_learners_choice_and_the_cookie(client):
    user = learner("met")
    client.force_login(user)
    client.get(dashboard("en-gb"))
    response = client.get(dashboard("cy"))  # the link in the header, without JavaScript
    assert response.status_code == 200
    assert response.cookies[COOKIE].value == "cy"
    assert LearnerProfile.objects.get(user=user).language == "cy"

    # Signed in again on another device (no cookie): Welsh, from the profile.
    client.cookies.pop(COOKIE)
    client.force_login(user)
    response = client.get(dashboard("en-gb"))
    assert response.status_code == 302
    assert response["Location"] == dashboard("cy")
    assert response.cookies[COOKIE].value == "cy"

    # Back to English from the Welsh page: saved again.
    client.get(dashboard("en-gb"))
    assert LearnerProfile.objects.get(user=user).language == "en-gb"


@pytest.mark.django_db
def test_a_learner_in_wales_with_no_choice_gets_welsh_first(client):
    user = learner("south-wales")
    client.force_login(user)
    response = client.get(dashboard("en-gb"))
    assert response["Location"] == dashboard("cy")
    welsh = client.get(response["Location"])
    assert html_lang(welsh) == "cy"
    html = welsh.content.decode()
    assert html.index(">Cymraeg<") < html.index(">English<")
    assert LearnerProfile.objects.get(user=user).language == ""  # a default, not a choice

    # A page without a prefix (the account pages) is in Welsh too.
    client.cookies.pop(COOKIE)
    page = client.get(reverse("account_change_password"))
    assert html_lang(page) == "cy"

    # Choosing English is kept, Wales or not.
    client.get(dashboard("en-gb"))
    assert LearnerProfile.objects.get(user=user).language == "en-gb"
    client.cookies.pop(COOKIE)
    client.force_login(user)
    assert client.get(dashboard("en-gb")).status_code == 200


@pytest.mark.django_db
def test_an_english_learner_is_not_redirected_and_gets_english_first(client):
    client.force_login(learner("met"))
    response = client.get(dashboard("en-gb"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(">English<") < html.index(">Cymraeg<")


@pytest.mark.django_db
def test_sign_in_offers_both_languages_welsh_first_for_a_welsh_browser(client):
    english = client.get(reverse("account_login"))
    html = english.content.decode()
    assert html.index(">English<") < html.index(">Cymraeg<")
    assert 'name="language" value="cy" lang="cy"' in html  # a form: /accounts/ has no prefix

    welsh = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="cy,en;q=0.5")
    html = welsh.content.decode()
    assert html_lang(welsh) == "cy"
    assert html.index(">Cymraeg<") < html.index(">English<")


@pytest.mark.django_db
def test_the_home_page_offers_both_languages_welsh_first_under_cy(client, home_page):
    response = client.get("/cy/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html_lang(response) == "cy"
    assert html.index(">Cymraeg<") < html.index(">English<")
    assert switch(response) == {"en-GB": ("en-GB", "/en-gb/", "English")}
    assert alternates(response) == {"cy": "/cy/", "en-GB": "/en-gb/"}


@pytest.mark.django_db
def test_a_wagtail_page_switches_to_its_translations_url(client, module_tree):
    """The Welsh translation may have a slug of its own; an untranslated page's Welsh is the
    English page."""
    module = module_tree.module
    welsh_locale = Locale.objects.get(language_code="cy")
    welsh = module.get_translation_or_none(welsh_locale)
    if welsh is None:
        welsh = module.copy_for_translation(welsh_locale, copy_parents=True, alias=True)
    # A Welsh page of its own: a translation with a Welsh slug, not the alias.
    welsh.alias_of = None
    welsh.slug = "arweinyddiaeth"
    welsh.title = "Arweinyddiaeth"
    welsh.save()
    welsh.save_revision().publish()
    english_url, welsh_url = module.get_url(), welsh.specific.get_url()
    assert welsh_url.startswith("/cy/") and welsh_url.endswith("/arweinyddiaeth/")

    client.force_login(learner("met"))
    response = client.get(english_url)
    assert response.status_code == 200
    assert switch(response)["cy"][1] == welsh_url
    assert alternates(response) == {"en-GB": english_url, "cy": welsh_url}

    # A learner who chose Welsh, signing in on a browser without the cookie: to the Welsh page
    # by its own slug.
    from django.test import Client  # noqa: PLC0415

    other = Client()
    other.force_login(learner("met", language="cy"))
    response = other.get(english_url)
    assert response.status_code == 302
    assert response["Location"] == welsh_url
    assert other.get(welsh_url).status_code == 200

    # Unpublished Welsh: the switch goes to the English page, where the learner stays (their
    # choice kept).
    welsh.unpublish()
    late = Client()
    late_user = learner("met", language="cy")
    late.force_login(late_user)
    assert late.get(english_url).status_code == 200
    assert late.get(english_url).status_code == 200
    assert LearnerProfile.objects.get(user=late_user).language == "cy"
    response = client.get(english_url)
    assert switch(response)["cy"][1] == english_url


@pytest.mark.django_db
def test_the_set_language_form_sets_the_cookie_saves_and_returns_safely(client):
    user = learner("met")
    client.force_login(user)
    login_url = reverse("account_change_password")
    response = client.post(reverse("set_language"), {"language": "cy", "next": login_url})
    assert response.status_code == 302
    assert response["Location"] == login_url
    assert response.cookies[COOKIE].value == "cy"
    assert LearnerProfile.objects.get(user=user).language == "cy"

    elsewhere = client.post(
        reverse("set_language"), {"language": "en-gb", "next": "https://evil.example/"}
    )
    assert elsewhere.status_code == 302
    assert not elsewhere["Location"].startswith("https://evil.example")


@pytest.mark.django_db
def test_the_set_language_form_refuses_bad_input_clearly(client):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 400
    assert "en-gb, cy" in response.content.decode()
    assert client.get(reverse("set_language")).status_code == 405


@pytest.mark.django_db
def test_the_set_language_form_needs_the_csrf_token():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("set_language"), {"language": "cy", "next": "/"})
    assert response.status_code == 403


class LanguageRecordingBackend(locmem.EmailBackend):
    """Django's test mail backend, noting on each message the language active when it was
    sent (what its templates and subject were rendered in)."""

    def send_messages(self, messages):
        for message in messages:
            message.language = translation.get_language()
        return super().send_messages(messages)


@pytest.fixture
def mail_language(settings):
    settings.EMAIL_BACKEND = f"{__name__}.LanguageRecordingBackend"


@pytest.mark.django_db
def test_account_emails_go_in_the_learners_language(client, mail_language):
    welsh, in_wales, english = learner("met"), learner("gwent"), learner("met")
    LearnerProfile.objects.filter(user=welsh).update(language="cy")
    for user in (welsh, in_wales, english):
        client.post(reverse("account_reset_password"), {"email": user.email})
    sent = {message.to[0]: message.language for message in mail.outbox}
    assert sent == {welsh.email: "cy", in_wales.email: "cy", english.email: "en-gb"}

    # Someone with no learner profile: the language of the request.
    mail.outbox.clear()
    editor = UserFactory()
    client.post(
        reverse("account_reset_password"), {"email": editor.email}, HTTP_ACCEPT_LANGUAGE="cy"
    )
    assert [(m.to[0], m.language) for m in mail.outbox] == [(editor.email, "cy")]


@pytest.mark.django_db
def test_invitations_go_in_the_learners_language(mail_language):
    in_wales, english = learner("gwent"), learner("met")
    for user in (in_wales, english):
        user.set_unusable_password()
        user.save()
    assert services.invitations_send() == 2
    sent = {message.to[0]: message.language for message in mail.outbox}
    assert sent == {in_wales.email: "cy", english.email: "en-gb"}


@pytest.mark.django_db
def test_reminders_go_in_the_learners_language_with_links_in_it(home_page, mail_language):
    from tests.conftest import build_module_tree  # noqa: PLC0415
    from tests.courses.test_reminders import DAY, NOW, required  # noqa: PLC0415
    from tests.welsh import WELSH_MODULE_TITLE, welsh_translation  # noqa: PLC0415

    tree = build_module_tree(home_page, title="Leadership", lessons=1)
    module, welsh = tree.module, welsh_translation(tree).module
    chose_welsh, in_wales, english = learner("met"), learner("dyfed-powys"), learner("met")
    LearnerProfile.objects.filter(user=chose_welsh).update(language="cy")
    in_wales_chose_english = learner("north-wales", language="en-gb")
    for user in (chose_welsh, in_wales, english, in_wales_chose_english):
        required(user, module, NOW - 2 * DAY)
    assert services.reminders_send(now=NOW).sent == 4
    sent = {message.to[0]: message for message in mail.outbox}
    assert {to: m.language for to, m in sent.items()} == {
        chose_welsh.email: "cy",
        in_wales.email: "cy",
        english.email: "en-gb",
        in_wales_chose_english.email: "en-gb",
    }
    assert dashboard("cy") in sent[in_wales.email].body
    assert dashboard("en-gb") in sent[english.email].body
    # The module by its title and address in the learner's language.
    assert WELSH_MODULE_TITLE in sent[in_wales.email].body
    assert f"{welsh.url}\n" in sent[in_wales.email].body  # /cy/...
    assert (
        module.title in sent[english.email].body and f"{module.url}\n" in sent[english.email].body
    )
    assert WELSH_MODULE_TITLE not in sent[english.email].body
