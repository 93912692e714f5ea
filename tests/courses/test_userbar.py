"""The editors' user bar is Wagtail's own `{% wagtailuserbar %}`: editors see it on every page,
learners and visitors never, and it is never kept in a shared page fragment."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from tests.factories import UserFactory, learner

USERBAR = "<wagtail-userbar"


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
    direct.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    learner_editor = learner("met")  # a learner who also edits
    learner_editor.groups.add(Group.objects.get(name="Editors"))
    return {
        "learner": learner("met"),
        "plain user": UserFactory(username="plain"),
        "grouped": grouped,
        "editor": editor,
        "reviewer": reviewer,
        "direct": direct,
        "learner editor": learner_editor,
        "superuser": UserFactory(username="super", is_superuser=True, is_staff=True),
    }


def userbar_shown(client, user, url) -> bool:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (user.username, url)
    return USERBAR in response.text


def test_editors_see_the_user_bar_on_pages(client, people, module_tree):
    for name in ("editor", "reviewer", "direct", "learner editor", "superuser"):
        # (Not "/": signed in, the home page redirects to My learning.)
        for url in (module_tree.lessons[0].url, module_tree.module.url, module_tree.programme.url):
            assert userbar_shown(client, people[name], url), (name, url)


def test_learners_never_see_it_even_after_an_editor_viewed_the_page(client, people, module_tree):
    urls = (
        module_tree.lessons[0].url,
        module_tree.lessons[-1].url,
        module_tree.programme.url,
        reverse("courses:dashboard"),
        reverse("courses:support"),
    )
    for url in urls:  # an editor first: the page's shared fragments are kept from this view
        if url != reverse("courses:dashboard"):
            assert userbar_shown(client, people["editor"], url), url
    for name in ("learner", "plain user", "grouped"):
        for url in urls:
            assert not userbar_shown(client, people[name], url), (name, url)


def test_the_user_bar_appears_as_soon_as_a_learner_is_made_an_editor(client, people, module_tree):
    officer = people["learner"]
    url = module_tree.lessons[0].url
    assert not userbar_shown(client, officer, url)
    officer.groups.add(Group.objects.get(name="Editors"))
    assert userbar_shown(client, officer, url)
    officer.groups.clear()
    assert not userbar_shown(client, officer, url)


def test_anonymous_visitors_see_no_user_bar(client, module_tree):
    assert USERBAR not in client.get(module_tree.programme.url).text
