"""HomePage.route finds programmes, modules and lessons by url_path in one query, and must
answer exactly as Wagtail's level-by-level walk (Page.route) would."""

import pytest
from django.http import Http404
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from courses.models import LessonPage, ModulePage, ProgrammePage
from home.models import ROUTED_BY_DEPTH
from tests.conftest import build_module_tree
from tests.factories import LessonPageFactory, learner


def components(page):
    return [part for part in page.url.split("/") if part]


def walk(home_page, request, path_components):
    """Wagtail's own answer: Page.route, one child lookup and .specific per level."""
    try:
        result = Page.route(home_page, request, path_components)
    except Http404:
        return None
    return (type(result.page), result.page.pk, result.args, result.kwargs)


def routed(home_page, request, path_components):
    try:
        result = home_page.route(request, path_components)
    except Http404:
        return None
    return (type(result.page), result.page.pk, result.args, result.kwargs)


def test_no_page_type_on_the_way_routes_paths_of_its_own():
    # The shortcut goes straight to the page at a path, skipping the route() of the pages above
    # it: none of them may route paths of its own (as RoutablePageMixin does).
    assert set(ROUTED_BY_DEPTH.values()) == {ProgrammePage, ModulePage, LessonPage}
    for model in ROUTED_BY_DEPTH.values():
        assert model.route is Page.route, model
    assert LessonPage.parent_page_types == ["courses.ModulePage"]
    assert ModulePage.parent_page_types == ["courses.ProgrammePage"]
    assert ProgrammePage.parent_page_types == ["home.HomePage"]


def test_same_answer_as_wagtails_walk(rf, home_page):
    tree = build_module_tree(home_page)
    other = build_module_tree(home_page, title="Other")
    draft = LessonPageFactory(parent=tree.module, title="Draft")
    draft.unpublish()
    alias = tree.lessons[0].create_alias(parent=other.module, update_slug="alias-lesson")
    lesson = tree.lessons[1]
    request = rf.get("/")
    paths = [
        components(page)
        for page in (tree.programme, tree.module, *tree.lessons, other.module, alias)
    ] + [
        [*components(lesson)[:-1], draft.slug],  # not live
        [*components(lesson), "sub-path"],
        [*components(tree.module), "no-such-lesson"],
        [*components(tree.programme), "no-such-module", lesson.slug],
        [other.module.slug, tree.module.slug, lesson.slug],  # slugs out of order
        ["no-such-programme"],
        [],
    ]
    answers = [routed(home_page, request, path) for path in paths]
    assert answers == [walk(home_page, request, path) for path in paths]
    assert answers[2] == (LessonPage, tree.lessons[0].pk, [], {})
    assert answers[-1] == (type(home_page), home_page.pk, [], {})


def test_a_live_lesson_under_an_unpublished_module_is_served_as_wagtail_would(rf, home_page):
    tree = build_module_tree(home_page)
    ModulePage.objects.filter(pk=tree.module.pk).update(live=False)
    request = rf.get("/")
    path = components(tree.lessons[0])
    assert routed(home_page, request, path) == walk(home_page, request, path) is not None


def test_a_lesson_is_found_in_the_process_copy(rf, home_page, django_assert_num_queries):
    tree = build_module_tree(home_page)
    path = components(tree.lessons[1])
    home_page.route(rf.get("/"), path)  # read once (courses.structure.served_page)
    # The content token only, where Wagtail's walk took a query and a .specific per level.
    with django_assert_num_queries(1):
        result = home_page.route(rf.get("/"), path)
    assert isinstance(result.page, LessonPage)
    assert result.page.pk == tree.lessons[1].pk
    assert result.page.body  # the specific page, body and all


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
