"""Security headers on every kind of page, and the production settings behind them."""

import json

import pytest
from csp.constants import HEADER, NONCE, SELF
from csp.decorators import csp_exempt, csp_update
from csp.exceptions import CSPNonceError
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse

from cms.csp import ADMIN_POLICY, API_DOCS_POLICY, SITE_POLICY, CSPMiddleware
from tests.cms.test_settings import manage, production_env
from tests.factories import UserFactory, learner


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parts = [part.strip().split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in parts}


def test_site_pages_get_the_strict_policy(client, db):
    response = client.get(reverse("courses:support"))
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]  # no inline script, no eval
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]


def test_site_pages_get_the_other_headers(client, db):
    response = client.get(reverse("courses:support"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_admin_policy_is_looser_only_where_wagtail_needs_it(client, db):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    policy = directives(response)
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]  # the admin frames its own previews


def test_the_api_docs_need_no_inline_script(client, db):
    response = client.get(reverse("api-docs"))
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert "<script>" not in response.content.decode()


def test_api_responses_carry_the_strict_policy(client, db):
    response = client.get(reverse("api-schema"))
    assert directives(response)["frame-ancestors"] == ["'none'"]


# --- The middleware: each policy's header built once, django-csp's path for anything else --------


def through_middleware(path: str, view=None):
    request = RequestFactory().get(path)
    middleware = CSPMiddleware(view or (lambda request: HttpResponse("ok")))
    middleware.process_request(request)
    return request, middleware.process_response(request, middleware.get_response(request))


@pytest.mark.parametrize(
    ("path", "policy"),
    [("/en-gb/support/", None), ("/admin/pages/", ADMIN_POLICY), ("/api/docs/", API_DOCS_POLICY)],
)
def test_each_scope_gets_the_header_django_csp_builds(path, policy):
    first = through_middleware(path)[1][HEADER]
    again = through_middleware(path)[1][HEADER]  # from the kept header
    assert first == again
    assert parsed(again) == parsed(build_policy(config=policy))


def test_a_nonce_asked_for_by_the_view_reaches_the_header():
    def view(request):
        return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")

    with override_settings(
        CONTENT_SECURITY_POLICY={"DIRECTIVES": {**SITE_POLICY, "script-src": [SELF, NONCE]}}
    ):
        request, response = through_middleware("/en-gb/support/", view)
    assert f"'nonce-{request._csp_nonce}'" in parsed(response[HEADER])["script-src"]


def test_a_nonce_asked_for_after_the_header_is_written_is_an_error():
    request, _ = through_middleware("/en-gb/support/")
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_django_csp_decorators_still_apply():
    _, updated = through_middleware(
        "/en-gb/support/",
        csp_update({"img-src": ["https://img.example"]})(lambda r: HttpResponse()),
    )
    assert parsed(updated[HEADER])["img-src"] == ["'self'", "data:", "https://img.example"]
    _, exempt = through_middleware("/en-gb/support/", csp_exempt()(lambda r: HttpResponse()))
    assert HEADER not in exempt


def test_a_header_set_by_the_view_is_kept():
    def view(request):
        response = HttpResponse()
        response[HEADER] = "default-src 'none'"
        return response

    assert through_middleware("/en-gb/support/", view)[1][HEADER] == "default-src 'none'"


def test_a_changed_setting_is_seen_at_once():
    through_middleware("/en-gb/support/")
    changed = {"DIRECTIVES": {**SITE_POLICY, "img-src": [SELF]}}
    with override_settings(CONTENT_SECURITY_POLICY=changed):
        assert parsed(through_middleware("/en-gb/support/")[1][HEADER])["img-src"] == ["'self'"]
    assert "data:" in parsed(through_middleware("/en-gb/support/")[1][HEADER])["img-src"]


def parsed(header: str) -> dict[str, list[str]]:
    parts = [part.strip().split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in parts}


def test_the_session_cookie_is_http_only(client, db):
    user = UserFactory()
    client.force_login(user)
    # Sessions are saved on every request, so any page sets the cookie with its attributes.
    cookie = client.get(reverse("courses:support")).cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


PRINT_SETTINGS = (
    "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k) "
    "for k in ['SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT', "
    "'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_SECURE', "
    "'SECURE_CONTENT_TYPE_NOSNIFF', 'SECURE_REFERRER_POLICY', 'X_FRAME_OPTIONS', "
    "'WAGTAILDOCS_SERVE_METHOD', 'WAGTAILDOCS_INLINE_CONTENT_TYPES', 'DEBUG']}))"
)


def test_production_settings_are_hardened(tmp_path):
    done = manage("shell", "-c", PRINT_SETTINGS, **production_env(tmp_path))
    assert done.returncode == 0, done.stderr
    values = json.loads(done.stdout.strip().splitlines()[-1])
    assert values == {
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "strict-origin-when-cross-origin",
        "X_FRAME_OPTIONS": "DENY",
        "WAGTAILDOCS_SERVE_METHOD": "serve_view",
        "WAGTAILDOCS_INLINE_CONTENT_TYPES": [],
        "DEBUG": False,
    }


def test_the_admin_sends_nothing_to_third_parties(client, db):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "gravatar.com" not in html  # a hash of the email address is personal data
    assert "releases.wagtail.org" not in html


# --- Previews in the admin: the site's policy, framed by the admin only -------------------------


@pytest.fixture
def editor_client(client, db):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_every_page_type_previews_in_the_admin_frame(editor_client, home_page, module_tree):
    pages = [home_page, module_tree.programme, module_tree.module, module_tree.lessons[-1]]
    for page in pages:
        revision = page.save_revision()
        url = reverse("wagtailadmin_pages:revisions_view", args=[page.pk, revision.pk])
        response = editor_client.get(url)
        assert response.status_code == 200, page
        assert page.title in response.text
        policy = directives(response)
        assert policy["frame-ancestors"] == ["'self'"], page  # the admin's panel may frame it
        # Otherwise the learners' policy: no inline script or style, nothing else framed.
        assert {name: values for name, values in policy.items() if name != "frame-ancestors"} == {
            name: values
            for name, values in parsed(build_policy()).items()
            if name != "frame-ancestors"
        }


def test_the_preview_panel_frames_the_page_being_edited(editor_client, module_tree):
    lesson = module_tree.lessons[0]
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[lesson.pk])
    data = {
        "title": "Lesson in the preview panel",
        "slug": lesson.slug,
        "estimated_minutes": "5",
        "body-count": "0",
    }
    assert editor_client.post(url, data).json()["is_valid"] is True
    response = editor_client.get(url, {"in_preview_panel": "true"})
    assert response.status_code == 200
    assert "Lesson in the preview panel" in response.text
    assert directives(response)["frame-ancestors"] == ["'self'"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"  # Wagtail's own, for older browsers


def test_learners_still_get_pages_that_no_site_may_frame(client, module_tree):
    client.force_login(learner())
    response = client.get(module_tree.lessons[0].url)
    assert response.status_code == 200
    assert directives(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
