"""The error pages: 404, 403, a failed CSRF check and 500, in the site's design, each with the
support links, the footer's links and a way back; 500 without reading the database."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from cms import errors
from tests.conftest import build_module_tree
from tests.factories import learner

pytestmark = pytest.mark.django_db

SUPPORT = ('href="tel:08082000247"', 'href="/en-gb/support/"')
FOOTER = ('href="/en-gb/privacy/"', 'href="/en-gb/accessibility/"')


def assert_designed_error_page(html: str, heading: str) -> None:
    assert f"<h1>{heading}</h1>" in html
    assert "site-header" in html and 'href="#main"' in html  # the site's layout
    for link in (*SUPPORT, *FOOTER):
        assert link in html
    assert "Traceback" not in html


def test_a_missing_page_is_a_designed_404_with_a_way_home(client, home_page):
    response = client.get("/en-gb/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert_designed_error_page(html, "Page not found")
    assert "<title>Page not found | DA Matters</title>" in html
    assert '<a href="/en-gb/">Go to the home page</a>' in html


def test_a_signed_in_learner_is_sent_back_to_my_learning_from_a_404(client, home_page):
    client.force_login(learner("met"))

    response = client.get(reverse("courses:certificate", args=[999_999]))

    assert response.status_code == 404
    html = response.content.decode()
    assert_designed_error_page(html, "Page not found")
    assert f'<a href="{reverse("courses:dashboard")}">Go to My learning</a>' in html


def test_permission_denied_is_a_designed_403(client, home_page):
    """A learner outside a lesson's group posting to it (courses.views._live_lesson)."""
    tree = build_module_tree(home_page)
    restriction = PageViewRestriction.objects.create(
        page=tree.lessons[0], restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="A cohort"))
    client.force_login(learner("met"))

    response = client.post(
        reverse("courses:lesson_complete", args=[tree.lessons[0].pk]),
        {"event_id": "b6a1b8f0-0c1e-4d7e-9a55-3f1c2d4e5f60"},
    )

    assert response.status_code == 403
    html = response.content.decode()
    assert_designed_error_page(html, "You cannot see this page")
    assert "contact your force's training team" in html
    assert f'href="{reverse("courses:dashboard")}"' in html


def test_a_form_with_an_expired_token_explains_what_to_do(home_page):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("account_login"))  # sets the CSRF cookie, as a browser would
    # The form was on the page before; its token no longer matches (say, after signing out).
    response = client.post(
        reverse("account_login"),
        {"login": "someone@met.demo.example", "password": "x", "csrfmiddlewaretoken": "stale"},
        HTTP_REFERER="http://testserver/accounts/login/",
    )

    assert response.status_code == 403
    html = response.content.decode()
    assert_designed_error_page(html, "Your form has expired")
    assert "Nothing from that form has been saved" in html
    assert "Reload the page" in html
    assert '<a href="http://testserver/accounts/login/">Go back to the page you were on</a>' in html


def test_the_expired_form_page_links_back_only_to_this_site(home_page):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("account_login"), {}, HTTP_REFERER="https://elsewhere.example/phish/"
    )

    assert response.status_code == 403
    html = response.content.decode()
    assert "elsewhere.example" not in html
    assert "Go back to the page you were on." in html  # the step, without a link


def test_the_500_page_renders_without_the_database(rf, django_assert_num_queries):
    """Django's server_error renders 500.html with no context: nothing may need the request,
    the session or the database (which may be what failed)."""
    with django_assert_num_queries(0):
        response = errors.server_error(rf.get("/en-gb/lessons/1/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert_designed_error_page(html, "Sorry, there is a problem with the training site")
    assert "It was not caused by anything you did" in html
    assert f'href="{reverse("courses:dashboard")}"' in html


@pytest.mark.urls("tests.cms.failing_urls")
def test_an_unexpected_error_in_a_view_answers_the_500_page(home_page):
    client = Client(raise_request_exception=False)

    response = client.get("/fails/")

    assert response.status_code == 500
    assert "Sorry, there is a problem with the training site" in response.content.decode()
