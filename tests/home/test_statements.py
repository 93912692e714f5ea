"""The privacy notice and the accessibility statement: Wagtail pages at fixed addresses, linked
from the footer of every page, seeded once by seed_demo and then left to editors."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Locale
from wagtail.test.utils.form_data import nested_form_data, rich_text

from home.models import AccessibilityStatementPage, PrivacyNoticePage
from tests.factories import UserFactory, learner

pytestmark = pytest.mark.django_db

FOOTER_LINKS = ('<a href="/en-gb/privacy/">Privacy notice</a>', '<a href="/en-gb/accessibility/">')


@pytest.fixture
def seeded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", "--learners-per-force", "1", stdout=StringIO())


@pytest.mark.parametrize(
    "path",
    [
        "/en-gb/",
        "/en-gb/support/",
        "/accounts/login/",
        "/accounts/signup/",
        "/en-gb/certificates/verify/",
    ],
)
def test_every_page_links_to_the_privacy_notice_and_accessibility_statement(
    client, home_page, path
):
    html = client.get(path).content.decode()
    for link in FOOTER_LINKS:
        assert link in html, path


def test_signed_in_pages_link_to_them_too(client, home_page):
    client.force_login(learner("met"))
    html = client.get(reverse("courses:dashboard")).content.decode()
    for link in FOOTER_LINKS:
        assert link in html


def test_seed_demo_publishes_both_at_the_footers_addresses(client, seeded, settings):
    privacy = client.get("/en-gb/privacy/")
    accessibility = client.get("/en-gb/accessibility/")

    assert privacy.status_code == accessibility.status_code == 200
    notice = " ".join(privacy.content.decode().split())  # the text wraps in the source
    assert "<h1>Privacy notice</h1>" in notice
    for said in (
        "force email address",
        "staff or collar number",
        "reflection boxes",
        "Your reflections are private",
        "Your force's training team</b> can see",
        "deleted after 2 years",  # PROGRESS_EVENT_RETENTION_DAYS = 730
        "Download my data",
        "Information Commissioner",
        "Demonstration content",
    ):
        assert said in notice, said
    statement = " ".join(accessibility.content.decode().split())
    assert "<h1>Accessibility statement</h1>" in statement
    for said in (
        "partially compliant",
        "Content that is not accessible",
        "Equality and Human Rights Commission",
        "Equality Advisory and Support Service",
        "Last updated",
    ):
        assert said in statement, said


def test_the_notice_states_this_deployments_retention(client, home_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PROGRESS_EVENT_RETENTION_DAYS = 400
    call_command("seed_demo", "--learners-per-force", "0", stdout=StringIO())
    assert "is deleted after 400 days" in " ".join(
        client.get("/en-gb/privacy/").content.decode().split()
    )


def test_seeding_again_keeps_the_editors_changes(seeded, client):
    page = PrivacyNoticePage.objects.get(locale=Locale.get_default())
    page.body = "<p>Edited by SafeLives.</p>"
    page.save_revision().publish()

    call_command("seed_demo", "--learners-per-force", "1", stdout=StringIO())

    # One of each in English, and its Welsh translation.
    for model in (PrivacyNoticePage, AccessibilityStatementPage):
        assert sorted(model.objects.values_list("locale__language_code", flat=True)) == [
            "cy",
            "en-gb",
        ]
    assert "Edited by SafeLives." in client.get("/en-gb/privacy/").content.decode()


def test_an_editor_cannot_move_the_page_off_its_address(seeded, client):
    """The footer links to /privacy/ without a query: the slug is not the editor's to change."""
    page = PrivacyNoticePage.objects.get(locale=Locale.get_default())
    page.slug = "our-privacy-notice"
    page.save_revision().publish()
    page.refresh_from_db()

    assert page.slug == "privacy"
    assert client.get("/en-gb/privacy/").status_code == 200


def test_an_editor_creates_one_in_the_admin(client, home_page):
    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))
    url = reverse(
        "wagtailadmin_pages:add", args=["home", "accessibilitystatementpage", home_page.pk]
    )
    form = client.get(url).content.decode()
    assert 'name="slug"' not in form  # the address is fixed

    response = client.post(
        url,
        nested_form_data(
            {
                "title": "Accessibility statement",
                "body": rich_text("<p>How accessible this site is.</p>"),
                "last_updated": "2026-03-01",
                "action-publish": "publish",
            }
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    # The English page, and its Welsh alias (wagtail-localize's synchronisation) at the same slug.
    page = AccessibilityStatementPage.objects.get(locale=Locale.get_default())
    welsh = AccessibilityStatementPage.objects.get(locale__language_code="cy")
    assert welsh.alias_of_id == page.pk and welsh.slug == "accessibility"
    assert (page.slug, page.live, page.last_updated) == (
        "accessibility",
        True,
        datetime.date(2026, 3, 1),
    )
    html = client.get("/en-gb/accessibility/").content.decode()
    assert "How accessible this site is." in html
    assert "Last updated 1 March 2026" in html
    # Only one of each: the admin offers no second.
    assert client.get(url).status_code in (302, 403)
