"""Under the real Content-Security-Policy, every kind of page still works in a real browser:
no CSP violation on learner pages, in the Wagtail admin, or in the API docs."""

from urllib.parse import urlparse

import pytest

from tests.browser.conftest import DEMO_PASSWORD

LEARNER = "learner1@met.demo.example"
ADMIN = "admin@demo.example"


def watch_csp(page) -> list[str]:
    """Chromium reports each blocked script, style, image or frame as a console error."""
    violations = []

    def on_console(message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    return violations


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form [type=submit]")  # the header has forms too
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" not in page.url, "sign-in failed"


def crawl(page, start: list[str], limit: int = 14) -> list[str]:
    """Visit same-site links breadth-first (never signing out or leaving for the admin, nor
    following the language switch: reading a page in the other language is a signed-in
    learner's choice of it, saved for them, and the shared demo learners keep English)."""
    seen, queue = [], list(start)
    origin = urlparse(page.url).netloc or None
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        response = page.goto(path)
        page.wait_for_load_state("networkidle")
        assert response.status < 400, f"{path}: {response.status}"
        seen.append(path)
        links = page.eval_on_selector_all(
            "a[href]:not([hreflang])", "links => links.map(a => a.href)"
        )
        for href in links:
            url = urlparse(href)
            if (origin and url.netloc != origin) or url.fragment and url.path == path:
                continue
            if url.path.startswith(("/admin", "/accounts/logout", "/documents", "/api")):
                continue
            if url.path.endswith(".json"):
                continue  # a download, not a page
            if url.path not in seen and url.path not in queue:
                queue.append(url.path)
    return seen


def test_learner_pages_run_under_the_strict_policy(context_factory):
    # The Welsh pages a visitor reads (the same templates serve both languages), in a browser
    # of their own: reading Welsh sets the language cookie.
    visitor = context_factory("desktop").new_page()
    welsh_violations = watch_csp(visitor)
    visitor.goto("/cy/")
    assert len(crawl(visitor, ["/cy/", "/cy/support/", "/cy/certificates/verify/"], limit=5)) >= 3
    assert not welsh_violations, "\n".join(welsh_violations)

    page = context_factory("desktop").new_page()
    violations = watch_csp(page)
    page.goto("/en-gb/")
    sign_in(page, LEARNER)
    visited = crawl(page, ["/en-gb/", "/en-gb/my-learning/", "/en-gb/support/"])
    assert len(visited) >= 5, visited  # reached modules and lessons, not just the home page
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/pages/",
        "/admin/documents/",
        "/admin/documents/multiple/add/",
        "/admin/images/",
        "/admin/snippets/courses/testimony/",
        "/admin/audit_log/",
        "/admin/users/",
    ],
)
def test_admin_pages_run_under_the_admin_policy(context_factory, path):
    page = context_factory("desktop").new_page()
    violations = watch_csp(page)
    sign_in(page, ADMIN)
    response = page.goto(path)
    page.wait_for_load_state("networkidle")
    assert response.status == 200
    assert not violations, "\n".join(violations)


def test_page_editor_and_preview_run_under_the_admin_policy(context_factory):
    page = context_factory("desktop").new_page()
    violations = watch_csp(page)
    sign_in(page, ADMIN)
    page.goto("/admin/pages/")
    page.wait_for_load_state("networkidle")
    # Open the editor of a lesson: StreamField, rich text, choosers and the preview panel.
    lesson_id = page.evaluate(
        """async () => {
            const r = await fetch('/admin/api/main/pages/?type=courses.LessonPage&limit=1');
            const body = await r.json();
            return body.items[0].id;
        }"""
    )
    page.goto(f"/admin/pages/{lesson_id}/edit/")
    page.wait_for_load_state("networkidle")
    assert page.locator("form#page-edit-form").count() == 1
    assert not violations, "\n".join(violations)


def test_api_docs_render_under_their_policy(context_factory):
    page = context_factory("desktop").new_page()
    violations = watch_csp(page)
    response = page.goto("/api/docs/")
    assert response.status == 200
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)  # operations rendered
    assert page.locator(".swagger-ui .opblock").count() >= 6
    assert not violations, "\n".join(violations)


def test_editors_userbar_on_site_pages_runs_under_the_strict_policy(context_factory):
    page = context_factory("desktop").new_page()
    violations = watch_csp(page)
    sign_in(page, ADMIN)
    page.goto("/en-gb/")
    page.wait_for_load_state("networkidle")
    assert page.locator("wagtail-userbar").count() == 1  # the editor's toolbar is there
    assert not violations, "\n".join(violations)
