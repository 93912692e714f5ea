"""courses.structure: each process's copy of the site and served pages, renewed by the content
token. (Lesson structure for progress: test_lesson_structure.py.)"""

import uuid

import pytest
from django.test import RequestFactory
from wagtail.models import PageViewRestriction, Site

from courses import structure
from courses.models import ContentVersion
from courses.services import progress_record
from tests.conftest import build_module_tree
from tests.factories import learner


def record(user, lesson, verb="completed"):
    return progress_record(learner=user, event_id=uuid.uuid4(), lesson=lesson, verb=verb)


# --- The site, for the pages Wagtail serves ---------------------------------------------------


def test_pages_find_their_site_in_the_process_copy(client, module_tree, django_assert_num_queries):
    url = module_tree.programme.url
    client.get(url)  # read once
    request = RequestFactory().get(url)
    # 1 the content token; no site query, no root page query
    with django_assert_num_queries(1):
        site = structure.site_for_request(request)
    assert site == Site.find_for_request(RequestFactory().get(url))  # Wagtail's own answer
    assert site.root_page.specific == module_tree.programme.get_parent().specific
    # Each request gets its own copy: nothing one sets on its site reaches another.
    assert structure.site_for_request(request) is not site
    assert structure.site_for_request(request).root_page is not site.root_page


def test_a_change_to_the_site_is_seen_at_once(client, module_tree):
    programme = module_tree.programme
    old_url = programme.url
    assert old_url != "/" and client.get(old_url).status_code == 200
    site = Site.objects.get(is_default_site=True)
    site.root_page = programme  # the programme becomes the site's home
    site.save()
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["page"] == programme.specific
    assert client.get(old_url).status_code == 404  # its old address is gone


def test_a_change_to_the_home_page_is_seen_at_once(client, home_page):
    client.get("/")
    home_page.title = "Domestic abuse matters: start here"
    home_page.save_revision().publish()
    assert client.get("/").context["page"].title == "Domestic abuse matters: start here"


def test_each_allowed_host_is_kept_apart_and_the_copies_are_bounded(client, home_page):
    structure._sites.clear()
    assert client.get("/", HTTP_HOST="localhost").status_code == 200
    assert client.get("/", HTTP_HOST="127.0.0.1").status_code == 200
    assert {host for host, _ in structure._sites} == {"localhost", "127.0.0.1"}
    assert client.get("/", HTTP_HOST="attacker.example").status_code == 400  # ALLOWED_HOSTS
    assert len(structure._sites) == 2
    for port in range(structure.SITES_KEPT + 5):
        request = RequestFactory().get("/", SERVER_PORT=str(10000 + port))
        assert structure.site_for_request(request) is not None
    assert len(structure._sites) <= structure.SITES_KEPT


# --- The pages Wagtail serves: page, view restrictions, a lesson's module and siblings --------


def concrete_values(page):
    """Every column's value, as a query would load it (the body as its stored JSON)."""
    return {
        field.attname: field.get_prep_value(getattr(page, field.attname))
        for field in type(page)._meta.concrete_fields
    }


def served(model, page):
    return structure.served_page(RequestFactory().get(page.url), model, page.url_path)


def test_served_pages_are_built_as_the_orm_builds_them(module_tree, django_assert_num_queries):
    lesson = module_tree.lessons[1]
    for page in (module_tree.programme, module_tree.module, lesson):
        model = type(page.specific)
        from_orm = model.objects.get(pk=page.pk)
        first = served(model, page)
        assert type(first) is model
        assert concrete_values(first) == concrete_values(from_orm)
        # Read once; then only the content token, and a new instance for every request, with
        # nothing shared: not the body, not the loaded relations.
        with django_assert_num_queries(1):
            again = served(model, page)
        assert again is not first and again == first
        assert again._state is not first._state
        if model is type(lesson):
            assert again.body is not first.body
            assert list(again.body.raw_data) == list(from_orm.body.raw_data)

    page = served(type(lesson), lesson)
    with django_assert_num_queries(0):
        place = structure.served_place(page._served, page.pk)
        restrictions = page.get_view_restrictions()
    assert restrictions == []
    assert concrete_values(place.pop("module")) == concrete_values(module_tree.module.specific)
    # The same as a preview, which asks the database.
    by_query = page._place_by_query()
    assert by_query.pop("module") == module_tree.module.specific
    neighbours = ("previous_lesson", "next_lesson")
    assert {k: v for k, v in place.items() if k not in neighbours} == {
        "lesson_number": 2,
        "lesson_count": 3,
    }
    for key in neighbours:  # loaded as .only(*SIBLING_FIELDS) loads them
        for loaded in (place[key], by_query[key]):
            assert loaded.get_deferred_fields() == by_query[key].get_deferred_fields()
        assert [getattr(place[key], name) for name in structure.SIBLING_FIELDS] == [
            getattr(by_query[key], name) for name in structure.SIBLING_FIELDS
        ]
    assert (place["previous_lesson"].url, place["next_lesson"].url) == (
        module_tree.lessons[0].url,
        module_tree.lessons[2].url,
    )


def test_paths_that_are_not_pages_are_not_kept(module_tree):
    structure._served.clear()
    for n in range(50):
        url_path = f"{module_tree.module.url_path}no-such-lesson-{n}/"
        assert (
            structure.served_page(RequestFactory().get("/"), type(module_tree.lessons[0]), url_path)
            is None
        )
    assert structure._served == {}


def test_an_edit_to_a_lesson_or_its_module_is_served_at_once(client, module_tree):
    client.force_login(learner())
    first, middle, last = module_tree.lessons
    assert "Lesson 2 of 3" in client.get(middle.url).text

    middle.title = "Why doesn't he stop?"
    middle.save_revision().publish()
    assert "<h1>Why doesn&#x27;t he stop?</h1>" in client.get(middle.url).text

    last.unpublish()
    html = client.get(middle.url).text
    assert "Lesson 2 of 2" in html
    assert 'rel="next"' not in html

    module = module_tree.module.specific
    module.title = "Leadership and culture"
    module.save_revision().publish()
    assert "in Leadership and culture" in client.get(middle.url).text


def test_a_moved_lesson_is_served_at_its_new_address_in_its_new_module(
    client, module_tree, home_page
):
    client.force_login(learner())
    lesson = module_tree.lessons[0]
    old_url = lesson.url
    assert client.get(old_url).status_code == 200
    other = build_module_tree(home_page, title="Men's role", lessons=1)
    lesson.move(other.module, pos="last-child")
    lesson.refresh_from_db()

    assert client.get(old_url).url == lesson.url  # Wagtail's redirect, made on moving it
    html = client.get(lesson.url).text
    assert "Lesson 2 of 2" in html
    assert "in Men&#x27;s role" in html


@pytest.mark.parametrize("on", ["module", "lesson"])
def test_a_view_restriction_added_after_a_page_was_served_applies_at_once(client, module_tree, on):
    client.force_login(learner())
    lesson = module_tree.lessons[0]
    assert client.get(lesson.url).status_code == 200
    page = module_tree.module if on == "module" else lesson
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="s3cret-for-pilot"
    )
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert "password" in response.text.lower()
    assert lesson.title not in response.text  # the password form, not the lesson
    assert response["Cache-Control"].startswith("max-age=0")  # Wagtail's never-cache

    restriction.delete()
    assert lesson.title in client.get(lesson.url).text


def test_a_group_restriction_served_from_the_copy_still_asks_for_the_group(client, module_tree):
    from django.contrib.auth.models import Group

    user = learner()
    client.force_login(user)
    lesson = module_tree.lessons[0]
    pilots = Group.objects.create(name="Pilot forces")
    restriction = PageViewRestriction.objects.create(
        page=module_tree.programme, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(pilots)
    assert client.get(lesson.url).status_code == 302  # not in the group: Wagtail's sign-in
    user.groups.add(pilots)  # no content change: the copy's restriction asks the database
    assert client.get(lesson.url).status_code == 200


def test_a_change_made_by_another_process_reaches_served_pages_through_the_token(
    client, module_tree
):
    client.force_login(learner())
    lesson = module_tree.lessons[0]
    assert lesson.title in client.get(lesson.url).text
    type(lesson).objects.filter(pk=lesson.pk).update(title="Renamed elsewhere")  # no signal
    assert lesson.title in client.get(lesson.url).text  # this process's copy is current

    ContentVersion.objects.update(token=uuid.uuid4().hex)
    assert "Renamed elsewhere" in client.get(lesson.url).text


def test_page_urls_follow_a_change_of_site_root(client, module_tree):
    client.force_login(learner())
    programme, module = module_tree.programme, module_tree.module
    assert f'href="{module.url}"' in client.get(programme.url).text
    site = Site.objects.get(is_default_site=True)
    site.root_page = programme
    site.save()
    assert f'href="/{module.slug}/"' in client.get("/").text


