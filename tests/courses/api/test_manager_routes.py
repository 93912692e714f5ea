"""Every manager route is behind the key and the force scope: walk the URLconf to prove it."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from courses.api import manager_urls, xapi_urls
from courses.api.authentication import ApiKeyAuthentication
from courses.api.manager_views import ForceScopedAPIView, ManagerAPIView
from courses.api.permissions import ApiKeyRateThrottle, HasApiKey
from courses.models import ApiAccessLog
from tests.conftest import build_module_tree
from tests.factories import ModuleProgressFactory, UserFactory, api_key, learner

ROUTES = [pattern for pattern in manager_urls.urlpatterns if isinstance(pattern, URLPattern)]


def route_url(pattern: URLPattern, code: str = "met") -> str:
    kwargs = {"code": code} if "code" in pattern.pattern.converters else {}
    return reverse(pattern.name, kwargs=kwargs)


def test_every_route_is_walked():
    # If someone adds an include() or a router here, the walk below must learn about it.
    assert len(ROUTES) == len(manager_urls.urlpatterns) == 9


@pytest.mark.parametrize("pattern", ROUTES, ids=lambda p: p.name)
def test_every_route_uses_the_shared_base_and_key_auth(pattern):
    view = pattern.callback.view_class
    assert issubclass(view, ManagerAPIView)
    assert view.authentication_classes == [ApiKeyAuthentication]
    assert view.permission_classes == [HasApiKey]
    assert view.throttle_classes == [ApiKeyRateThrottle]
    if "code" in pattern.pattern.converters:
        # Force routes must resolve the force from the key's scope and must not bypass it.
        assert issubclass(view, ForceScopedAPIView)
        assert view.get_queryset is ForceScopedAPIView.get_queryset
        assert view.initial is ForceScopedAPIView.initial


def walk(patterns, prefix=""):
    """Every (route, view class) under a URLconf, following include()s."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif hasattr(pattern.callback, "view_class"):
            yield prefix + str(pattern.pattern), pattern.callback.view_class


def test_no_view_in_the_whole_site_takes_a_key_outside_the_manager_base():
    """A key-authenticated view anywhere in the project (its authentication a subclass of
    ApiKeyAuthentication counts) must be a manager view, routed from manager_urls, so that it
    inherits the scope and the access rules; or one of the xAPI views, routed from
    xapi_urls, whose scope is pinned by tests/xapi/test_read_api.py."""
    manager_views = {pattern.callback.view_class for pattern in ROUTES}
    xapi_views = {
        pattern.callback.view_class
        for pattern in xapi_urls.urlpatterns
        if isinstance(pattern, URLPattern)
    }
    routes = list(walk(get_resolver().url_patterns))
    assert manager_views <= {view for _, view in routes}  # the walk reaches the manager API
    assert xapi_views <= {view for _, view in routes}
    for route, view in routes:
        takes_key = any(
            isinstance(auth, type) and issubclass(auth, ApiKeyAuthentication)
            for auth in getattr(view, "authentication_classes", [])
        )
        if view in xapi_views:
            continue
        if takes_key or (isinstance(view, type) and issubclass(view, ManagerAPIView)):
            assert view in manager_views, f"{route} takes an API key outside manager_urls"
            assert issubclass(view, ManagerAPIView), route


@pytest.fixture
def two_forces(home_page):
    """A module with progress in both met and gmp, and a key for each."""
    tree = build_module_tree(home_page)
    for code in ("met", "gmp"):
        ModuleProgressFactory(learner=learner(code), module=tree.module, completed=True)
    return {"met": api_key("met"), "gmp": api_key("gmp")}


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", ROUTES, ids=lambda p: p.name)
def test_every_route_refuses_requests_without_a_key(client, pattern):
    response = client.get(route_url(pattern))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", ROUTES, ids=lambda p: p.name)
def test_every_route_refuses_a_signed_in_superuser_without_a_key(client, pattern):
    # No session or password path into manager data, not even for administrators.
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(route_url(pattern)).status_code == 401
    basic = client.get(route_url(pattern), HTTP_AUTHORIZATION="Basic dXNlcjpwYXNzd29yZA==")
    assert basic.status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", ROUTES, ids=lambda p: p.name)
@pytest.mark.parametrize("target", ["gmp", "no-such-force"])
def test_cross_force_matrix_leaks_nothing(client, two_forces, pattern, target):
    """A met key asking about gmp (or an unknown force) gets 404 with no data on force routes,
    and never sees gmp on the others."""
    met_key = two_forces["met"].key
    response = client.get(route_url(pattern, target), HTTP_AUTHORIZATION=f"Bearer {met_key}")
    body = response.content.decode()
    if "code" in pattern.pattern.converters:
        assert response.status_code == 404
        assert response.json() == {"detail": "No Force matches the given query."}
        assert not ApiAccessLog.objects.exists()
    else:
        assert response.status_code == 200
    assert "gmp" not in body
    assert "Greater Manchester" not in body
    assert "@" not in body  # no learner email of any force


@pytest.mark.django_db
def test_the_same_key_reads_its_own_force(client, two_forces):
    gmp = two_forces["gmp"].key
    url = reverse("manager-force-completions", kwargs={"code": "gmp"})
    rows = client.get(url, HTTP_AUTHORIZATION=f"Bearer {gmp}").json()["results"]
    assert len(rows) == 1


NOT_SLUGS = ["met police", "met.police", "mét", "met%00", "%E2%80%AE", "met'--"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["manager-force-summary", "manager-force-completions"])
@pytest.mark.parametrize("code", NOT_SLUGS)
def test_a_force_code_that_is_not_a_slug_gets_the_apis_json_404(client, name, code):
    url = reverse(name, kwargs={"code": "CODE"}).replace("CODE", code)
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {api_key('met').key}")
    assert response.status_code == 404
    assert response.json() == {"detail": "No Force matches the given query."}
    assert not ApiAccessLog.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/v1/forces/met/nothing/", "/api/v1/forces/a/b/summary/", "/api/v2/", "/api/x"]
)
def test_any_other_address_under_api_gets_a_json_404(client, path):
    response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {api_key('met').key}")
    assert response.status_code == 404
    assert response.json() == {"detail": "No API endpoint at this address; see /api/docs/."}
