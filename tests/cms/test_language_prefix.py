"""Learner pages under /en-gb/ and /cy/ (issue 30): old links without a prefix still work,
redirected to the prefixed address in the language of the cookie, else of the browser; the
sections without a prefix (admin, accounts, API, xAPI, documents) answer their own 404s."""

import pytest
from django.conf import settings
from django.urls import LocalePrefixPattern, reverse
from django.utils import translation

import cms.urls
from cms.locale import UNPREFIXED_SECTIONS
from tests.factories import learner

pytestmark = pytest.mark.django_db


def unprefixed(path: str) -> str:
    prefix = f"/{settings.LANGUAGE_CODE}/"
    assert path.startswith(prefix), path
    return path.removeprefix(prefix[:-1])


def test_learner_urls_are_reversed_under_the_active_language():
    assert reverse("courses:dashboard") == "/en-gb/my-learning/"
    with translation.override("cy"):
        assert reverse("courses:dashboard") == "/cy/my-learning/"


@pytest.mark.parametrize(
    "name, args",
    [
        ("courses:dashboard", []),
        ("courses:support", []),
        ("courses:certificate_lookup", []),
        ("courses:certificate_verify", ["ABCD-EFGH-JKMN"]),
        ("courses:reminder_settings", []),
    ],
)
def test_an_old_link_is_redirected_to_the_default_language(client, name, args):
    prefixed = reverse(name, args=args)
    response = client.get(unprefixed(prefixed))
    assert response.status_code == 302
    assert response["Location"] == prefixed
    # Caches keep one redirect per language.
    assert "Accept-Language" in response["Vary"]
    assert "Cookie" in response["Vary"]


def test_the_query_string_is_kept(client):
    prefixed = reverse("courses:certificate_verify", args=["ABCD-EFGH-JKMN"])
    response = client.get(f"{unprefixed(prefixed)}?utm_source=email&x=a%20b")
    assert response.status_code == 302
    assert response["Location"] == f"{prefixed}?utm_source=email&x=a%20b"


def test_a_path_without_its_slash_is_redirected_with_it(client):
    response = client.get("/my-learning")
    assert response.status_code == 302
    assert response["Location"] == "/en-gb/my-learning/"


def test_the_language_cookie_chooses_welsh(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    response = client.get("/my-learning/?tab=done")
    assert response["Location"] == "/cy/my-learning/?tab=done"


def test_the_browser_language_chooses_welsh(client):
    response = client.get("/support/", headers={"accept-language": "cy,en-GB;q=0.8"})
    assert response["Location"] == "/cy/support/"


def test_a_page_address_and_the_home_page_are_redirected(client, module_tree):
    module_url = module_tree.module.url
    assert module_url.startswith("/en-gb/")
    response = client.get(unprefixed(module_url))
    assert response.status_code == 302
    assert response["Location"] == module_url
    # Followed while signed out: the sign-in page, coming back to the prefixed address.
    assert client.get(response["Location"])["Location"] == (
        f"{reverse('account_login')}?next={module_url}"
    )
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"] == "/en-gb/"
    assert client.get("/en-gb/").status_code == 200

    client.force_login(learner("met"))
    assert client.get(unprefixed(module_url), follow=True).redirect_chain[0] == (module_url, 302)


def test_the_prefixed_addresses_serve_without_a_redirect(client, home_page):
    for path in ("/en-gb/", "/cy/", reverse("courses:support")):
        response = client.get(path)
        assert response.status_code == 200, path
    with translation.override("cy"):
        welsh_support = reverse("courses:support")
    response = client.get(welsh_support)
    assert response.status_code == 200
    assert response["Content-Language"] == "cy"


@pytest.mark.parametrize(
    "path",
    ["/api/v1/no-such-thing/", "/xapi/no-such-thing", "/accounts/no-such-thing/"],
)
def test_the_unprefixed_sections_answer_their_own_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Location" not in response


def test_every_unprefixed_route_is_in_a_listed_section_or_resolves_exactly():
    """A section added to cms/urls.py outside i18n_patterns belongs in UNPREFIXED_SECTIONS,
    or its misses are redirected under a language prefix where they cannot exist."""
    exact = {
        "healthz",
        "accounts/login/",
        "admin/login/",
        "admin/password_reset/",
        "_util/login/",
        "language/",
    }
    for pattern in cms.urls.urlpatterns:
        route = str(pattern.pattern).removeprefix("^")
        if isinstance(pattern.pattern, LocalePrefixPattern):
            continue
        assert route in exact or f"/{route}".startswith(UNPREFIXED_SECTIONS), route


@pytest.mark.parametrize("path", ["/_util/login/", "/en-gb/_util/login/", "/cy/_util/login/"])
def test_wagtails_page_login_goes_to_allauths_under_every_prefix(client, path):
    response = client.get(path, {"next": "/cy/da-matters/"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=%2Fcy%2Fda-matters%2F" in response["Location"]
