"""A change to the content is served at once: Wagtail's routing and site lookup read the
database, and the shared page fragments are keyed by the content token."""

import uuid

import pytest
from wagtail.models import PageViewRestriction, Site

from courses.models import ContentVersion, LessonPage
from tests.conftest import build_module_tree
from tests.factories import learner

# --- Pages Wagtail serves: every change is served at once --------------------------------------


def test_a_change_to_the_site_is_seen_at_once(client, module_tree):
    programme = module_tree.programme
    old_url = programme.url
    assert old_url != "/en-gb/" and client.get(old_url).status_code == 200
    site = Site.objects.get(is_default_site=True)
    site.root_page = programme  # the programme becomes the site's home
    site.save()
    response = client.get("/en-gb/")
    assert response.status_code == 200
    assert response.context["page"] == programme.specific
    assert client.get(old_url).status_code == 404  # its old address is gone


def test_a_change_to_the_home_page_is_seen_at_once(client, home_page):
    client.get("/en-gb/")
    home_page.title = "Domestic abuse matters: start here"
    home_page.save_revision().publish()
    assert client.get("/en-gb/").context["page"].title == "Domestic abuse matters: start here"


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
    lesson = LessonPage.objects.get(pk=module_tree.lessons[0].pk)
    assert "Coercive control is a pattern" in client.get(lesson.url).text
    lesson.body = [("paragraph", "<p>Edited elsewhere.</p>")]
    body = LessonPage._meta.get_field("body").get_prep_value(lesson.body)
    LessonPage.objects.filter(pk=lesson.pk).update(body=body)  # no signal
    # The lesson body's shared fragment, under the unchanged token, is what is served.
    assert "Coercive control is a pattern" in client.get(lesson.url).text

    ContentVersion.objects.update(token=uuid.uuid4().hex)
    assert "Edited elsewhere." in client.get(lesson.url).text


def test_page_urls_follow_a_change_of_site_root(client, module_tree):
    client.force_login(learner())
    programme, module = module_tree.programme, module_tree.module
    assert f'href="{module.url}"' in client.get(programme.url).text
    site = Site.objects.get(is_default_site=True)
    site.root_page = programme
    site.save()
    assert f'href="/en-gb/{module.slug}/"' in client.get("/en-gb/").text
