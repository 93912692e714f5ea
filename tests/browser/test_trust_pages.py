"""Trust and identity in a real browser: the home page for visitors, the privacy notice, the
accessibility statement and the error pages (404, 403, an expired form, 500) are accessible at
desktop and 360px widths; a form's error summary takes focus; the certificate's print button
appears only with JavaScript."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory

from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.journey import no_horizontal_scroll, sign_in

FOCUSED_CLASS = "document.activeElement.className"


def audit(page, name: str, width: str) -> None:
    assert_accessible(page, f"{name} at {width}")
    assert no_horizontal_scroll(page), f"{name} scrolls sideways at {width}"
    screenshot(page, f"{name}-{width}")


@pytest.mark.parametrize("width", ["desktop", "mobile"])
@pytest.mark.parametrize(
    ("name", "path", "status", "heading"),
    [
        ("home-signed-out", "/en-gb/", 200, "DA Matters training"),
        ("privacy-notice", "/en-gb/privacy/", 200, "Privacy notice"),
        ("accessibility-statement", "/en-gb/accessibility/", 200, "Accessibility statement"),
        ("not-found", "/en-gb/no-such-page/", 404, "Page not found"),
    ],
)
def test_public_trust_pages_are_accessible(context_factory, width, name, path, status, heading):
    page = context_factory(width).new_page()
    assert page.goto(path).status == status
    page.get_by_role("heading", name=heading, level=1).wait_for()
    # Every page's footer links to the privacy notice and accessibility statement.
    footer = page.get_by_role("contentinfo")
    assert (
        footer.get_by_role("link", name="Privacy notice").get_attribute("href") == "/en-gb/privacy/"
    )
    assert footer.get_by_role("link", name="Accessibility statement").is_visible()
    audit(page, name, width)


def test_the_home_page_takes_a_signed_in_officer_to_my_learning(page):
    sign_in(page, "learner1@gmp.demo.example")
    page.goto("/")
    page.wait_for_url("**/my-learning/")
    assert page.get_by_role("heading", name="My learning", level=1).is_visible()


@pytest.mark.parametrize("width", ["desktop", "mobile"])
def test_an_expired_form_explains_itself(context_factory, width):
    """The sign-in form sent after its CSRF cookie went (a browser cleared it, or the form was
    left open across signing out elsewhere)."""
    context = context_factory(width)
    page = context.new_page()
    page.goto("/accounts/login/")
    context.clear_cookies()
    page.get_by_label("Email").fill("learner1@met.demo.example")
    page.get_by_label("Password").fill("anything-at-all")
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.get_by_role("button", name="Sign in").click()
    assert sent.value.status == 403
    page.get_by_role("heading", name="Your form has expired", level=1).wait_for()
    page.get_by_role("link", name="Go back to the page you were on").wait_for()
    audit(page, "form-expired", width)


def render_as_django_does(template: str) -> str:
    """An error page as Django's handler renders it: 500.html with no context at all, 403.html
    with a signed-out visitor's request (the demo site has no page that refuses a visitor
    outright; tests/cms/test_error_pages.py gets both through real requests)."""
    if template == "500.html":
        return render_to_string(template)
    request = RequestFactory().get("/en-gb/lessons/1/complete/")
    request.user = AnonymousUser()
    return render_to_string(template, request=request)


@pytest.mark.parametrize("width", ["desktop", "mobile"])
@pytest.mark.parametrize(
    ("name", "template", "heading"),
    [
        ("forbidden", "403.html", "You cannot see this page"),
        ("server-error", "500.html", "Sorry, there is a problem with the training site"),
    ],
)
def test_error_pages_django_renders_are_accessible(context_factory, width, name, template, heading):
    page = context_factory(width).new_page()
    page.goto("/en-gb/support/")  # the live server's origin, so the page's stylesheet loads
    page.set_content(render_as_django_does(template), wait_until="load")
    page.get_by_role("heading", name=heading, level=1).wait_for()
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")
    audit(page, name, width)


# --- Error summaries take focus ------------------------------------------------------------------


def test_the_error_summary_takes_focus_and_its_links_go_to_the_fields(page):
    page.goto("/accounts/signup/")
    page.get_by_label("Force email address").fill("someone@elsewhere.example")
    page.get_by_role("button", name="Register").click()
    page.locator(".error-summary").wait_for()

    assert page.evaluate(FOCUSED_CLASS) == "error-summary"
    page.locator(".error-summary a[href='#id_email']").click()
    assert page.evaluate("document.activeElement.id") == "id_email"


def test_the_certificate_check_summary_takes_focus(page):
    page.goto("/en-gb/certificates/verify/")
    page.get_by_label("Verification code").fill("not a code")
    page.get_by_role("button", name="Check").click()
    page.locator(".error-summary").wait_for()

    assert page.evaluate(FOCUSED_CLASS) == "error-summary"
    assert_accessible(page, "check a certificate with an error")
    page.locator(".error-summary a").click()
    assert page.evaluate("document.activeElement.id") == "id_code"
