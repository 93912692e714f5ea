"""The Wagtail user bar: editors see it on every page; learners never did and now cost no
permission queries for it (courses.auth loads, with the user, that they hold no permission)."""

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model, load_backend
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.auth import SignedInUserMixin
from tests.factories import UserFactory, learner

USERBAR = "<wagtail-userbar"


def access_admin():
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


@pytest.fixture
def people(db):
    """One user for every way of holding (or not holding) access_admin."""
    editor = UserFactory(username="editor")
    editor.groups.add(Group.objects.get(name="Editors"))
    reviewer = UserFactory(username="reviewer")
    reviewer.groups.add(Group.objects.get(name="Reviewers"))
    grouped = UserFactory(username="grouped")  # in a group without the permission
    grouped.groups.add(Group.objects.create(name="Readers"))
    direct = UserFactory(username="direct")
    direct.user_permissions.add(access_admin())
    learner_editor = learner("met")  # a learner who also edits
    learner_editor.groups.add(Group.objects.get(name="Editors"))
    return {
        "learner": learner("met"),
        "plain user": UserFactory(username="plain"),
        "editor": editor,
        "reviewer": reviewer,
        "grouped": grouped,
        "direct": direct,
        "learner editor": learner_editor,
        "superuser": UserFactory(username="super", is_superuser=True, is_staff=True),
    }


@pytest.mark.parametrize("backend_path", settings.AUTHENTICATION_BACKENDS)
def test_the_loaded_flag_is_false_only_for_users_holding_no_permission(people, backend_path):
    backend = load_backend(backend_path)
    for name, person in people.items():
        loaded = backend.get_user(person.pk)
        fresh = get_user_model().objects.get(pk=person.pk)
        granted = fresh.groups.exists() or fresh.user_permissions.exists()
        assert loaded.has_groups_or_permissions is granted, name
        if not loaded.has_groups_or_permissions and not loaded.is_superuser:
            assert fresh.get_all_permissions() == set(), name
            assert not fresh.has_perm("wagtailadmin.access_admin"), name
        assert async_to_sync(backend.aget_user)(person.pk).has_groups_or_permissions is (
            loaded.has_groups_or_permissions
        )


def test_every_backend_loads_the_flag_and_grants_only_model_permissions():
    # The user bar trusts a False flag; that holds only while permissions come from
    # ModelBackend's user and group permissions alone.
    for path in settings.AUTHENTICATION_BACKENDS:
        backend = load_backend(path)
        assert isinstance(backend, SignedInUserMixin), path
        assert isinstance(backend, ModelBackend), path
        for method in ("has_perm", "get_all_permissions", "get_group_permissions"):
            assert getattr(type(backend), method) is getattr(ModelBackend, method), (path, method)


def userbar_shown(client, user, url):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).text
    # has_perm()'s reads; the user query itself carries the flag's subqueries.
    permission_reads = [
        q["sql"]
        for q in queries.captured_queries
        if '"auth_permission"' in q["sql"] and 'FROM "auth_user"' not in q["sql"]
    ]
    return USERBAR in html, permission_reads


def test_editors_see_the_user_bar_on_pages(client, people, module_tree):
    for name in ("editor", "reviewer", "direct", "learner editor", "superuser"):
        for url in (module_tree.lessons[0].url, module_tree.module.url, "/"):
            shown, _ = userbar_shown(client, people[name], url)
            assert shown, (name, url)


def test_learners_see_no_user_bar_and_make_no_permission_queries(client, people, module_tree):
    for name in ("learner", "plain user"):
        for url in (
            module_tree.lessons[0].url,
            module_tree.programme.url,
            reverse("courses:dashboard"),
            reverse("courses:support"),
        ):
            shown, permission_reads = userbar_shown(client, people[name], url)
            assert not shown, (name, url)
            assert permission_reads == [], (name, url)


def test_members_of_groups_without_admin_access_get_wagtails_own_check(client, people, module_tree):
    shown, permission_reads = userbar_shown(client, people["grouped"], module_tree.lessons[0].url)
    assert not shown
    assert permission_reads  # has_perm() asked, and said no


def test_the_user_bar_appears_as_soon_as_a_learner_is_made_an_editor(client, people, module_tree):
    officer = people["learner"]
    client.force_login(officer)
    url = module_tree.lessons[0].url
    assert USERBAR not in client.get(url).text
    officer.groups.add(Group.objects.get(name="Editors"))
    assert USERBAR in client.get(url).text  # same session: the flag is read with the user
    officer.groups.clear()
    assert USERBAR not in client.get(url).text


def test_anonymous_visitors_see_no_user_bar(client, module_tree):
    assert USERBAR not in client.get(module_tree.programme.url).text


def test_signing_in_through_the_form_uses_the_flag_loading_backend(client, module_tree):
    cache.clear()  # allauth's sign-in rate limits live in the cache
    officer = learner("met", user__email="alex@met.demo.example")
    officer.emailaddress_set.create(email=officer.email, verified=True, primary=True)
    response = client.post(
        reverse("account_login"), {"login": officer.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == "courses.auth.AuthenticationBackend"
    html = client.get(module_tree.lessons[0].url).text
    assert "Sign out" in html and USERBAR not in html


@pytest.mark.parametrize(
    "old_backend",
    [
        "django.contrib.auth.backends.ModelBackend",
        "allauth.account.auth_backends.AuthenticationBackend",
    ],
)
def test_sessions_from_before_the_new_backends_stay_signed_in(
    client, people, module_tree, old_backend
):
    client.force_login(people["learner"])
    session = client.session
    session[BACKEND_SESSION_KEY] = old_backend
    session.save()
    response = client.get(module_tree.lessons[0].url)
    assert response.status_code == 200  # not sent to sign in
    assert USERBAR not in response.text
    assert client.session[BACKEND_SESSION_KEY].startswith("courses.auth.")
