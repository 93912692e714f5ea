"""Exactly one sign-in rule: every route in the URL configuration whose view takes a password to
sign someone in obeys allauth's failed sign-in limit, its email-verification rule and the audit
record, or redirects to allauth's sign-in page without reading the password. The editors' sign-in
(/admin/login/) is allauth's view on a staff page, so it obeys the rule itself.

The routes are found by walking the resolver, not listed by hand, so a sign-in view mounted
later (Django admin's, DRF's browsable login, another Wagtail login) is tested as soon as it is
added; `test_a_newly_mounted_login_view_breaks_the_rule` proves the walk finds such a view.
"""

import itertools

import pytest
from allauth.account.forms import LoginForm
from allauth.account.views import LoginView as AllauthLoginView
from allauth.account.views import ReauthenticateView
from django.contrib.admin import AdminSite
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import Group
from django.contrib.auth.views import LoginView as DjangoLoginView
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse

import cms.urls
from courses.models import AuditAction, AuditEvent
from tests.factories import UserFactory, learner

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"  # noqa: S105 (the factories' test password)
WRONG = "not-the-password"  # noqa: S105
THROTTLED = "Too many failed login attempts"


def takes_a_password(callback) -> bool:
    """Whether a URL pattern's view signs someone in with a password (Django's, Wagtail's,
    allauth's and DRF's login views, and the Django admin's)."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        if issubclass(view_class, DjangoLoginView | AllauthLoginView):
            return True
        if issubclass(view_class, ReauthenticateView):
            return False  # re-checks the signed-in user's own password; signs nobody in
        form_class = getattr(view_class, "form_class", None)
        return isinstance(form_class, type) and issubclass(
            form_class, AuthenticationForm | LoginForm
        )
    return isinstance(getattr(callback, "__self__", None), AdminSite) and (
        callback.__name__ == "login"
    )


def sign_in_routes(resolver=None, prefix="") -> list[str]:
    """The path of every URL pattern whose view takes a password, in resolution order; a
    pattern shadowed by an earlier one with the same path is still listed (it is never
    reached, which the behavioural checks then show)."""
    resolver = resolver or get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += sign_in_routes(pattern, route)
        elif isinstance(pattern, URLPattern) and takes_a_password(pattern.callback):
            found.append("/" + route.lstrip("^").rstrip("$"))
    return found


_numbers = itertools.count()


def verified_learner(email, *, verified=True):
    user = learner("met", user__email=email, user__username=email)
    user.emailaddress_set.create(email=email, verified=verified, primary=True)
    return user


def unverified_learner(email):
    """Signed up, never confirmed the address."""
    return verified_learner(email, verified=False)


def post(client, url, email, password):
    # Every field name a sign-in form uses for the account: allauth's `login`, Django's
    # `username` (allauth's backend takes an email address there).
    data = {"login": email, "username": email, "email": email, "password": password}
    return client.post(url, data)


def sends_to_allauth(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def rule_broken(url) -> list[str]:
    """What, if anything, this sign-in route does differently from the rule."""
    broken = []
    officer = verified_learner(f"officer{next(_numbers)}@met.demo.example")
    client = Client()
    failed_before = AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN_FAILED, subject_user_id=officer.pk, path=url
    ).count()
    first = post(client, url, officer.email, WRONG)
    if sends_to_allauth(first):
        if SESSION_KEY in client.session:
            broken.append("signed in while redirecting")
        following = client.get(url, {"next": reverse("courses:dashboard")})
        if (
            not sends_to_allauth(following)
            or "next=%2Fen-gb%2Fmy-learning%2F" not in (following["Location"])
        ):
            broken.append("the redirect to allauth's sign-in loses `next`")
        return broken
    audited = AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN_FAILED, subject_user_id=officer.pk, path=url
    ).count()
    if audited != failed_before + 1:
        broken.append("a failed sign-in is not audited")
    for _ in range(14):
        post(client, url, officer.email, WRONG)
    right = post(client, url, officer.email, PASSWORD)
    if SESSION_KEY in client.session:
        broken.append("the right password after 15 wrong ones signs in")
    elif THROTTLED not in right.text:
        broken.append("no failed sign-in limit message")
    audited = AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN_FAILED, subject_user_id=officer.pk, path=url
    ).count()
    if SESSION_KEY not in client.session and audited != failed_before + 16:
        broken.append("not every refused attempt is audited (wrong password or limit)")

    unverified = unverified_learner(f"new{next(_numbers)}@met.demo.example")
    client = Client()
    post(client, url, unverified.email, PASSWORD)
    if SESSION_KEY in client.session:
        broken.append("an account with an unverified email address signs in")
    return broken


def test_the_walk_finds_every_sign_in_view_mounted():
    routes = sign_in_routes()
    # allauth's page; the staff sign-in (allauth's view) shadowing Wagtail's admin login; and
    # Wagtail's page-restriction login, shadowed by a redirect (it is in Wagtail's page URLs,
    # under the language prefixes: listed under the active language's).
    assert "/accounts/login/" in routes
    assert routes.count("/admin/login/") == 2
    assert "/en-gb/_util/login/" in routes


def test_every_route_that_takes_a_password_obeys_the_one_sign_in_rule(settings):
    assert settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory"
    broken = {url: rule_broken(url) for url in sign_in_routes()}
    assert {url: problems for url, problems in broken.items() if problems} == {}


def test_a_signed_in_session_from_the_rule_is_audited(client):
    officer = verified_learner("alex@met.demo.example")
    response = post(client, reverse("account_login"), officer.email, PASSWORD)
    assert response.status_code == 302 and SESSION_KEY in client.session
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN, user_id=officer.pk).exists()


def test_editors_sign_in_on_a_page_for_staff():
    response = Client().get("/admin/pages/")  # Wagtail's own redirect for signed-out editors
    assert response["Location"] == "/admin/login/?next=/admin/pages/"
    page = Client().get(response["Location"])
    assert page.status_code == 200
    assert "Sign in to the SafeLives editors' area" in page.text
    assert "force email" not in page.text.lower()
    assert '<input type="hidden" name="next" value="/admin/pages/">' in page.text


def test_the_staff_sign_in_checks_passwords_itself_under_the_rule():
    # Not a redirect: a wrong password is refused on the staff page and audited there.
    editor = verified_learner("morgan@demo.example")
    response = post(Client(), "/admin/login/", editor.email, WRONG)
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.text
    assert AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN_FAILED, subject_user_id=editor.pk, path="/admin/login/"
    ).exists()
    assert rule_broken("/admin/login/") == []


def test_an_editor_signs_in_on_the_staff_page_and_reaches_the_admin(client):
    editor = verified_learner("editor@met.demo.example")
    editor.groups.add(Group.objects.get(name="Editors"))
    response = client.post("/admin/login/", {"login": editor.email, "password": PASSWORD})
    assert response["Location"] == "/admin/"  # no `next`: the admin's dashboard
    assert AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN, user_id=editor.pk, path="/admin/login/"
    ).exists()
    assert client.get("/admin/").status_code == 200
    # Signed in already: the staff page sends the editor on to `next`.
    response = client.get("/admin/login/", {"next": "/admin/pages/"})
    assert response["Location"] == "/admin/pages/"


def test_a_learner_signing_in_on_the_staff_page_is_told_it_is_for_staff(client):
    officer = verified_learner("officer@met.demo.example")
    response = client.post(
        "/admin/login/", {"login": officer.email, "password": PASSWORD}, follow=True
    )
    # Signed in, then Wagtail refuses the admin and sends the account back to the staff page,
    # which says why instead of sending it round again.
    assert SESSION_KEY in client.session
    assert [url for url, _ in response.redirect_chain] == ["/admin/", "/admin/login/?next=/admin/"]
    assert response.status_code == 403
    assert "This account cannot use the editors' area" in response.text
    assert officer.email in response.text
    assert reverse("courses:dashboard") in response.text
    # Nothing posted there is read while signed in as the learner.
    again = client.post("/admin/login/", {"login": "editor@demo.example", "password": PASSWORD})
    assert again.status_code == 403
    assert int(client.session[SESSION_KEY]) == officer.pk


# The site's own patterns spread in, not included: i18n_patterns refuses to be included.
urlpatterns_with_drf_login = [
    path("api-auth/", include("rest_framework.urls")),
    *cms.urls.urlpatterns,
]


@pytest.mark.urls(__name__)
def test_a_newly_mounted_login_view_breaks_the_rule():
    # DRF's browsable-API login (Django's LoginView), mounted here only: the walk finds it and
    # the rule's checks refuse it, as they would any sign-in route added to cms/urls.py.
    assert "/api-auth/login/" in sign_in_routes()
    assert rule_broken("/api-auth/login/")


urlpatterns = urlpatterns_with_drf_login


def test_one_password_reset_flow_with_one_limit(client, mailoutbox):
    officer = verified_learner("sam@met.demo.example")
    # Wagtail's admin reset sends to allauth's and reads nothing.
    for _ in range(4):
        response = client.post("/admin/password_reset/", {"email": officer.email})
        assert response.status_code == 302
        assert response["Location"] == reverse("account_reset_password")
    assert mailoutbox == []
    assert client.get("/admin/password_reset/confirm/MQ/set-password/").status_code == 404

    # allauth's: three emails for one address within the window, then 429 and no fourth email.
    url = reverse("account_reset_password")
    statuses = [client.post(url, {"email": officer.email}).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert len(mailoutbox) == 3
    assert all(message.to == [officer.email] for message in mailoutbox)


def test_an_account_made_without_allauth_confirms_its_address_at_first_sign_in(client, mailoutbox):
    admin = UserFactory(
        username="root", email="root@demo.example", is_superuser=True, is_staff=True
    )  # as `manage.py createsuperuser` makes it: no allauth email address row
    response = client.post("/admin/login/", {"login": admin.email, "password": PASSWORD})
    assert SESSION_KEY not in client.session
    assert response["Location"] == reverse("account_email_verification_sent")
    assert [message.to for message in mailoutbox] == [[admin.email]]
