"""The Wagtail user bar: editors see it on every page; learners never do."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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


def userbar_shown(client, user, url):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).text
    # has_perm()'s reads of the user's and their groups' permissions.
    permission_reads = [
        q["sql"] for q in queries.captured_queries if '"auth_permission"' in q["sql"]
    ]
    return USERBAR in html, permission_reads


def test_editors_see_the_user_bar_on_pages(client, people, module_tree):
    for name in ("editor", "reviewer", "direct", "learner editor", "superuser"):
        for url in (module_tree.lessons[0].url, module_tree.module.url, "/"):
            shown, _ = userbar_shown(client, people[name], url)
            assert shown, (name, url)


def test_learners_see_no_user_bar_and_read_their_permissions_once(client, people, module_tree):
    for name in ("learner", "plain user"):
        for url in (
            module_tree.lessons[0].url,
            module_tree.programme.url,
            reverse("courses:dashboard"),
            reverse("courses:support"),
        ):
            shown, permission_reads = userbar_shown(client, people[name], url)
            assert not shown, (name, url)
            # Django's backend reads the user's and their groups' permissions once a request.
            assert len(permission_reads) == 2, (name, url)


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
    assert USERBAR in client.get(url).text  # same session: permissions are read per request
    officer.groups.clear()
    assert USERBAR not in client.get(url).text


def test_anonymous_visitors_see_no_user_bar(client, module_tree):
    assert USERBAR not in client.get(module_tree.programme.url).text


def test_signing_in_through_the_form_uses_allauths_backend(client, module_tree):
    officer = learner("met", user__email="alex@met.demo.example")
    officer.emailaddress_set.create(email=officer.email, verified=True, primary=True)
    response = client.post(
        reverse("account_login"), {"login": officer.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == (
        "allauth.account.auth_backends.AuthenticationBackend"
    )
    html = client.get(module_tree.lessons[0].url).text
    assert "Sign out" in html and USERBAR not in html
