"""courses.structure: each process's copy of where lessons sit, renewed by the content token."""

import uuid

import pytest
from django.db import transaction
from django.test import RequestFactory
from wagtail.models import PageViewRestriction, Site

from courses import structure
from courses.models import ContentVersion, ModuleProgress
from courses.services import ProgressRejected, progress_record
from tests.conftest import build_module_tree
from tests.factories import LessonPageFactory, learner


def record(user, lesson, verb="completed"):
    return progress_record(learner=user, event_id=uuid.uuid4(), lesson=lesson, verb=verb)


def test_a_lesson_is_read_once_then_served_from_the_process(module_tree, django_assert_num_queries):
    lessons = module_tree.lessons
    # 1 the content token; 2 the lesson; 3 unpublished or restricted ancestors; 4 the module;
    # 5 the module's live lessons with their bodies (every sibling is known after this)
    with django_assert_num_queries(5):
        found = structure.lessons([lessons[0].pk])
    with django_assert_num_queries(1):
        assert structure.lessons([lesson.pk for lesson in lessons]).keys() == {
            lesson.pk for lesson in lessons
        }
    first = found[lessons[0].pk]
    assert first.available
    assert first.module_id == module_tree.module.pk
    assert first.pass_mark == module_tree.module.pass_mark
    assert first.live_lesson_ids == {lesson.pk for lesson in lessons}
    assert first.checks == ((lessons[-1].pk, module_tree.check_block_id),)
    assert structure.lessons([lessons[-1].pk])[lessons[-1].pk].checks_by_id.keys() == {
        module_tree.check_block_id
    }


def test_ids_that_are_not_lessons_are_left_out_and_not_remembered(module_tree):
    before = len(structure._known)
    assert structure.lessons([module_tree.module.pk, 987654321]) == {}
    assert len(structure._known) == before


def test_publishing_a_new_lesson_counts_at_once(module_tree):
    user = learner()
    for lesson in module_tree.lessons[:2]:
        record(user, lesson)
    assert record(user, module_tree.lessons[0]).module_progress.lessons_total == 3

    LessonPageFactory(parent=module_tree.module, title="A fourth lesson")

    assert record(user, module_tree.lessons[0]).module_progress.lessons_total == 4


def test_an_unpublished_lesson_is_refused_at_once_and_accepted_again_when_republished(
    module_tree,
):
    user = learner()
    lesson = module_tree.lessons[0]
    record(user, lesson, "experienced")

    lesson.unpublish()
    with pytest.raises(ProgressRejected, match="not available"):
        record(user, lesson)

    lesson.save_revision().publish()
    assert record(user, lesson).created


def test_a_group_restriction_is_seen_at_once(module_tree):
    user = learner()
    record(user, module_tree.lessons[0], "experienced")
    restriction = PageViewRestriction.objects.create(
        page=module_tree.module, restriction_type=PageViewRestriction.GROUPS
    )
    with pytest.raises(ProgressRejected, match="not available"):
        record(user, module_tree.lessons[0])

    restriction.delete()
    assert record(user, module_tree.lessons[0]).created


def test_a_lesson_moved_to_another_module_records_against_its_new_module(module_tree, home_page):
    user = learner()
    lesson = module_tree.lessons[0]
    record(user, lesson, "experienced")
    other = build_module_tree(home_page, title="Men's role", lessons=1)

    lesson.move(other.module, pos="last-child")

    result = record(user, lesson)
    assert result.event.module_id == other.module.pk
    assert result.module_progress.lessons_total == 2


def test_a_change_made_by_another_process_is_seen_through_the_token(module_tree):
    """Other processes' changes reach this one only through the token in the database: change
    the content without this process's signals, then the token, as another process would."""
    user = learner()
    lesson = module_tree.lessons[0]
    record(user, lesson, "experienced")
    type(lesson).objects.filter(pk=lesson.pk).update(live=False)  # no signal here

    assert record(user, lesson).created  # this process's copy is still current

    ContentVersion.objects.update(token=uuid.uuid4().hex)
    with pytest.raises(ProgressRejected, match="not available"):
        record(user, lesson)


def test_a_rolled_back_change_does_not_leave_a_stale_copy(module_tree):
    user = learner()
    lesson = module_tree.lessons[0]
    token = structure.current_token()

    with pytest.raises(RuntimeError), transaction.atomic():
        lesson.unpublish()
        with pytest.raises(ProgressRejected):
            record(user, lesson)  # read and remembered under the change's token
        raise RuntimeError("the editor's change fails")

    assert structure.current_token() == token
    assert record(user, lesson).created  # the lesson is live again, and is read as such
    assert ModuleProgress.objects.get(learner=user).lessons_completed == 1


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
