"""End to end, against the live server: an officer registers with a force email, confirms it
through the emailed link, signs in, takes a whole module to its certificate, and their force's
training manager sees the completion through the API while another force's manager cannot.
Once with JavaScript and once without (every step is then a plain form post)."""

import pytest

from tests.browser.journey import (
    DEMO_MODULE,
    api_get,
    api_key,
    confirm_email,
    confirmation_link,
    fill_sign_in,
    register,
    sign_in,
    take_module,
)

FORCE = "met"  # seed_demo registers met.demo.example as a Met email domain
OTHER_FORCE = "gmp"


def module_summary(server, key: str) -> dict:
    status, body = api_get(server.url, f"/api/v1/forces/{FORCE}/summary/", key)
    assert status == 200, body
    return next(row for row in body["modules"] if row["module"] == DEMO_MODULE["slug"])


@pytest.mark.parametrize(
    ("javascript", "width"), [(True, "desktop"), (False, "mobile")], ids=["js", "no-js"]
)
def test_an_officer_registers_completes_a_module_and_their_manager_sees_it(
    app_server, context_factory, javascript, width
):
    variant = "js" if javascript else "nojs"
    address = f"e2e-officer-{variant}@{FORCE}.demo.example"
    manager = api_key(app_server, FORCE)
    before = module_summary(app_server, manager)

    page = context_factory(width, javascript=javascript).new_page()
    register(page, email_address=address, first_name="Alex", last_name=f"Tester{variant}")
    page.goto("/accounts/login/")
    fill_sign_in(page, address)
    page.get_by_role("button", name="Sign in").click()
    # Mandatory verification: no way in before the emailed link is used.
    page.get_by_role("heading", name="Confirm your email address").wait_for()
    assert "/my-learning/" not in page.url

    confirm_email(page, confirmation_link(app_server.mails(), address))
    sign_in(page, address)
    done = take_module(page, javascript=javascript)
    page.goto(done.certificate_url)
    assert page.locator(".certificate__name").inner_text() == f"Alex Tester{variant}"
    # Printing needs JavaScript: without it the button is not shown at all.
    assert page.get_by_role("button", name="Print this certificate").is_visible() == javascript
    page.goto(f"/en-gb/certificates/verify/{done.code}/")
    assert page.get_by_role("heading", name="This certificate is valid").is_visible()
    assert f"Tester{variant}" not in page.content()  # public: module and date, never the name

    # The force's manager: the completion is a row in /completions/ and a count in /summary/.
    status, body = api_get(
        app_server.url,
        f"/api/v1/forces/{FORCE}/completions/?module={DEMO_MODULE['slug']}&status=completed",
        manager,
    )
    assert status == 200, body
    rows = [row for row in body["results"] if row["email"] == address]
    assert len(rows) == 1, body
    assert rows[0]["name"] == f"Alex Tester{variant}"
    assert rows[0]["progress_percent"] == 100
    assert rows[0]["completed_at"]
    after = module_summary(app_server, manager)
    assert after["completed"] == before["completed"] + 1
    assert after["learners"] == before["learners"] + 1  # the new officer's profile

    # Another force's manager: 404 for this force, and no such row in their own.
    other = api_key(app_server, OTHER_FORCE)
    for route in ("completions", "summary"):
        status, body = api_get(app_server.url, f"/api/v1/forces/{FORCE}/{route}/", other)
        assert status == 404, body
        assert "results" not in body and "modules" not in body
    status, body = api_get(app_server.url, f"/api/v1/forces/{OTHER_FORCE}/completions/", other)
    assert status == 200
    assert all(row["email"] != address for row in body["results"])
    assert done.code not in str(body)
