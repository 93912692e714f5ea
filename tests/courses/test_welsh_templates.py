"""The learner-facing templates speak Welsh under /cy/ (or with the Welsh cookie, or when an
email is rendered in Welsh), and English everywhere else: My learning, the certificate, the
error pages (500 and 503 render with no request context at all) and the emails."""

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.dateformat import format as date_format
from wagtail.models import Locale

from cms import errors
from courses.models import ModuleProgress
from tests.conftest import complete_module
from tests.factories import learner

pytestmark = pytest.mark.django_db


def welsh_url(name: str, *args) -> str:
    with translation.override("cy"):
        return reverse(name, args=args)


def english_url(name: str, *args) -> str:
    with translation.override("en-gb"):
        return reverse(name, args=args)


def test_my_learning_is_in_welsh_under_cy(client, module_tree):
    client.force_login(learner("met"))

    response = client.get(welsh_url("courses:dashboard"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Fy nysgu</h1>" in html
    assert "<title>Fy nysgu" in html
    assert "Cymorth os yw'r hyfforddiant hwn yn effeithio arnoch chi" in html
    assert "Dechrau" in html  # the module card's button
    assert "My learning</h1>" not in html


def test_my_learning_stays_english_under_en_gb(client, module_tree):
    client.force_login(learner("met"))

    html = client.get(english_url("courses:dashboard")).content.decode()

    assert "<h1>My learning</h1>" in html
    assert "Fy nysgu" not in html


def test_a_lessons_welsh_alias_shows_the_interface_in_welsh(client, module_tree):
    """The Welsh tree's alias of an English lesson (content not yet translated): the content is
    the English, everything around it is Welsh."""
    client.force_login(learner("met"))
    lesson = module_tree.lessons[-1]
    alias = lesson.copy_for_translation(
        Locale.objects.get(language_code="cy"), copy_parents=True, alias=True
    )

    response = client.get(alias.url)

    assert alias.url.startswith("/cy/")
    assert response.status_code == 200
    html = response.content.decode()
    assert lesson.title in html
    for welsh in ("Dewiswch un ateb.", "Gwirio fy ateb", "Cadw fy myfyrdod", "Gorffen y wers hon"):
        assert welsh in html
    assert "Check my answer" not in html


def test_the_certificate_is_in_welsh_with_a_welsh_date(client, module_tree):
    user = learner("met", user__first_name="Robin", user__last_name="Achebe")
    complete_module(user, module_tree)
    progress = ModuleProgress.objects.get(learner=user)
    client.force_login(user)

    response = client.get(welsh_url("courses:certificate", module_tree.module.pk))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Tystysgrif cwblhau" in html
    assert "<p>Mae hyn i dystio bod</p>" in html
    assert "<p>wedi cwblhau'r modiwl</p>" in html
    assert "Robin Achebe" in html
    assert progress.certificate_code in html
    with translation.override("cy"):
        welsh_date = date_format(progress.completed_at, "j F Y")
    assert welsh_date in html
    assert welsh_date != progress.completed_at.strftime("%-d %B %Y")  # the month is in Welsh
    assert "Certificate of completion" not in html


def test_certificate_verification_is_in_welsh(client, module_tree):
    user = learner("met")
    complete_module(user, module_tree)
    code = ModuleProgress.objects.get(learner=user).certificate_code

    html = client.get(welsh_url("courses:certificate_verify", code)).content.decode()

    assert "<h1>Mae'r dystysgrif hon yn ddilys</h1>" in html
    assert "Cod dilysu" in html


def test_a_missing_page_under_cy_is_a_welsh_404(client, home_page):
    response = client.get("/cy/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Heb ddod o hyd i'r dudalen" in html
    assert "Os ydych chi mewn perygl uniongyrchol, ffoniwch 999." in html
    assert 'href="tel:08082000247"' in html


def test_the_sign_in_page_follows_the_welsh_cookie(client, home_page):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"

    html = client.get(reverse("account_login")).content.decode()

    assert "<h1>Mewngofnodi</h1>" in html
    assert "Wedi anghofio eich cyfrinair?" in html


@pytest.mark.parametrize(
    ("language", "lang", "heading", "link"),
    [
        ("cy", 'lang="cy"', "Mae'n ddrwg gennym", "Ewch i Fy nysgu"),
        ("en-gb", 'lang="en-GB"', "Sorry, there is a problem", "Go to My learning"),
    ],
)
def test_the_500_page_renders_with_no_context_in_either_language(language, lang, heading, link):
    """Django renders 500.html with no context: nothing in it may need the request."""
    with translation.override(language):
        html = render_to_string("500.html")

    assert lang in html
    assert heading in html
    assert link in html
    assert 'href="tel:08082000247"' in html


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("cy", "Nid yw'r safle hyfforddi ar gael am ychydig"),
        ("en-gb", "The training site is briefly unavailable"),
    ],
)
def test_the_503_page_is_in_the_requests_language(language, heading):
    request = RequestFactory().get("/cy/" if language == "cy" else "/en-gb/")

    with translation.override(language):
        response = errors.service_unavailable(request)

    assert response.status_code == 503
    html = response.content.decode()
    assert heading in html


def reminder_context(**overrides) -> dict:
    return {
        "service_name": "DA Matters",
        "name": "Robin Achebe",
        "overdue": [],
        "due_soon": [
            {
                "title": "Coercive control",
                "url": "https://example.test/cy/m/",
                "due_words": "due 9 Dec",
            }
        ],
        "stop_url": "https://example.test/reminders/stop/abc/",
        "settings_url": "https://example.test/cy/reminders/",
        "dashboard_url": "https://example.test/cy/",
        "support_url": "https://example.test/cy/support/",
        **overrides,
    }


def test_a_reminder_email_renders_in_welsh_keeping_its_plain_text_layout():
    with translation.override("cy"):
        text = render_to_string("courses/email/learner_reminder.txt", reminder_context())
        html = render_to_string("courses/email/learner_reminder.html", reminder_context())

    lines = text.splitlines()
    assert lines[0] == "Helo Robin Achebe,"
    assert lines[1] == ""
    assert "ac mae un ohonynt i'w gwblhau yn y 7 diwrnod nesaf." in lines[2]
    # Each link still on a line of its own, below its sentence.
    assert "https://example.test/cy/\n" in text
    assert "agorwch y ddolen hon a chadarnhewch:\nhttps://example.test/reminders/stop/abc/" in text
    assert text.rstrip().endswith("DA Matters: hyfforddiant cam-drin domestig ar gyfer plismona")
    assert '<html lang="cy">' in html
    assert "Fy nysgu</a>" in html


def test_a_reminder_email_with_several_modules_uses_the_plural():
    modules = [{"title": f"M{i}", "url": "u", "due_words": "overdue"} for i in range(3)]
    with translation.override("cy"):
        text = render_to_string(
            "courses/email/learner_reminder.txt", reminder_context(overdue=modules, due_soon=[])
        )
    with translation.override("en-gb"):
        english = render_to_string(
            "courses/email/learner_reminder.txt", reminder_context(overdue=modules, due_soon=[])
        )

    assert "ac mae rhai ohonynt bellach yn hwyr." in text
    assert "and some of them are now overdue." in english


def test_an_account_email_renders_in_welsh(module_tree):
    user = learner("met", user__first_name="Robin", user__last_name="Achebe")
    context = {
        "user": user,
        "service_name": "DA Matters",
        "password_reset_url": "https://example.test/accounts/password/reset/key/x/",
    }
    with translation.override("cy"):
        subject = render_to_string("account/email/password_reset_key_subject.txt", context)
        body = render_to_string("account/email/password_reset_key_message.txt", context)

    assert subject.strip() == "Ailosod eich cyfrinair"
    assert "am ailosod cyfrinair eich cyfrif DA Matters" in body
    assert "\n\nhttps://example.test/accounts/password/reset/key/x/\n\n" in body
    assert "nid yw eich cyfrinair wedi newid." in body
