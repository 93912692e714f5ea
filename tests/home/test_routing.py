"""Pages are found by Wagtail's own routing and site lookup: renamed, unpublished, redirected
and aliased lessons behave as Wagtail defines."""

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from courses.models import LessonPage, ModulePage, ProgrammePage
from home.models import HomePage
from tests.conftest import build_module_tree
from tests.factories import learner


def test_every_page_type_routes_as_wagtail_does():
    for model in (HomePage, ProgrammePage, ModulePage, LessonPage):
        assert model.route is Page.route, model
        assert model.get_view_restrictions is Page.get_view_restrictions, model


def test_a_lesson_is_served_with_wagtails_site(client, home_page):
    tree = build_module_tree(home_page)
    client.force_login(learner())
    response = client.get(tree.lessons[1].url)
    assert response.status_code == 200
    assert response.context["page"].pk == tree.lessons[1].pk
    assert response.context["module"].pk == tree.module.pk
    assert response.context["lesson_number"] == 2


def test_a_renamed_module_moves_its_lessons(client, home_page):
    tree = build_module_tree(home_page)
    lesson = tree.lessons[0]
    old_url = lesson.url
    module = ModulePage.objects.get(pk=tree.module.pk)
    module.slug = "renamed"
    module.save_revision().publish()
    client.force_login(learner())
    new_url = LessonPage.objects.get(pk=lesson.pk).url
    assert new_url != old_url and "/renamed/" in new_url
    assert client.get(new_url).status_code == 200
    assert client.get(old_url).status_code == 404


@pytest.mark.parametrize("with_redirect", [False, True])
def test_unknown_lesson_paths_are_404_or_redirected(client, home_page, with_redirect):
    tree = build_module_tree(home_page)
    client.force_login(learner())
    old_path = f"{tree.module.url}old-lesson/"
    if with_redirect:
        Redirect.objects.create(
            old_path=Redirect.normalise_path(old_path), redirect_page=tree.lessons[0]
        )
    response = client.get(old_path)
    if with_redirect:
        assert response.status_code == 301 and response.url == tree.lessons[0].url
    else:
        assert response.status_code == 404


def test_non_live_lessons_and_sub_paths_are_404(client, home_page):
    tree = build_module_tree(home_page)
    client.force_login(learner())
    tree.lessons[0].unpublish()
    assert client.get(tree.lessons[0].url).status_code == 404
    assert client.get(f"{tree.lessons[1].url}extra/").status_code == 404


def test_an_alias_lesson_is_served(client, home_page):
    tree = build_module_tree(home_page)
    other = build_module_tree(home_page, title="Other")
    alias = tree.lessons[-1].create_alias(parent=other.module, update_slug="shared-lesson")
    client.force_login(learner())
    response = client.get(alias.url)
    assert response.status_code == 200
    assert "What will you do differently?" in response.text
