"""A lesson behind a password or group restriction of its own takes no progress (learners who
are not let in could never record it), so it is not one of its module's lessons: the module
completes without it, My learning and the managers' API do not count it, and the lesson page
says so instead of offering "Mark complete"."""

import uuid

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from courses import services
from courses.models import (
    KnowledgeCheckResult,
    LessonProgress,
    ModuleProgress,
    ProgressEvent,
    ProgressStatus,
)
from tests.conftest import build_module_tree
from tests.courses.journey import answer, complete
from tests.factories import api_key, learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(home_page):
    """Three lessons; the first is for one group only. The last has the knowledge check."""
    tree = build_module_tree(home_page, title="Leadership", lessons=3)
    restriction = PageViewRestriction.objects.create(
        page=tree.lessons[0], restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Met leadership cohort"))
    return tree


@pytest.fixture
def member(tree):
    """A learner in the restricted lesson's group: they may view it."""
    user = learner("met")
    user.groups.add(Group.objects.get(name="Met leadership cohort"))
    return user


def record(user, lesson, verb="completed", **event):
    return services.progress_record(
        learner=user, event_id=uuid.uuid4(), lesson=lesson, verb=verb, **event
    )


@pytest.mark.parametrize("first", ["restricted", "sibling"])
def test_the_module_completes_without_the_restricted_lesson(tree, first):
    """Whichever lesson this process reads first, the restricted one stays out."""
    officer = learner("met")
    restricted, *others = tree.lessons
    if first == "restricted":
        with pytest.raises(services.ProgressRejected, match="not available"):
            record(officer, restricted, "experienced")
    for lesson in others:
        record(officer, lesson)
    outcome = record(
        officer,
        others[-1],
        "answered",
        result={"block_id": tree.check_block_id, "answers": [1]},
    )
    row = outcome.module_progress
    assert (row.status, row.lessons_completed, row.lessons_total) == (
        ProgressStatus.COMPLETED,
        2,
        2,
    )
    assert row.completed_at is not None and row.certificate_code
    # Still refused after its siblings were read and recorded: nothing written for it.
    with pytest.raises(services.ProgressRejected, match="not available"):
        record(officer, restricted)
    assert not LessonProgress.objects.filter(lesson=restricted).exists()
    assert not ProgressEvent.objects.filter(lesson=restricted).exists()


def test_a_group_member_sees_the_lesson_but_no_mark_complete(client, tree, member):
    client.force_login(member)
    response = client.get(tree.lessons[0].url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "not part of your course record" in page
    assert "data-progress-form" not in page
    assert "Mark complete" not in page
    assert 'rel="next"' in page  # the lessons can still be read in order
    assert not ProgressEvent.objects.filter(learner=member).exists()  # no "experienced"
    # The lessons that count still offer it.
    page = client.get(tree.lessons[1].url).content.decode()
    assert "data-progress-form" in page and "not part of your course record" not in page


def test_someone_outside_the_group_cannot_see_it(client, tree):
    client.force_login(learner("met"))
    response = client.get(tree.lessons[0].url)
    assert response.status_code in (302, 403)
    assert "not part of your course record" not in response.content.decode()


def test_a_knowledge_check_there_gives_feedback_and_records_nothing(client, home_page):
    tree = build_module_tree(home_page, title="Voices", lessons=2)
    restriction = PageViewRestriction.objects.create(
        page=tree.lessons[-1], restriction_type=PageViewRestriction.GROUPS
    )
    group = Group.objects.create(name="Voices cohort")
    restriction.groups.add(group)
    member = learner("met")
    member.groups.add(group)
    client.force_login(member)

    response = answer(client, tree, 0)  # a wrong answer
    assert response.status_code == 302
    assert response["Location"].endswith(f"#check-{tree.check_block_id}")
    page = client.get(response["Location"].split("#")[0]).content.decode()
    assert "Not quite. Read the feedback and try again." in page
    assert "Yes: his choice." not in page  # the right answer is not given away
    assert not KnowledgeCheckResult.objects.exists()
    assert not ProgressEvent.objects.exists()
    # Nothing is in the ledger here, so the session counts the answers: the second shows it.
    answer(client, tree, 2)
    assert "Yes: his choice." in client.get(tree.lessons[-1].url).content.decode()

    # The module's one counted lesson completes it: its check is out of the module too.
    complete(client, tree.lessons[0])
    row = ModuleProgress.objects.get(learner=member)
    assert (row.status, row.lessons_total) == (ProgressStatus.COMPLETED, 1)


def test_my_learning_counts_only_the_lessons_that_count(client, tree):
    officer = learner("met")
    client.force_login(officer)
    complete(client, tree.lessons[1])
    page = client.get(reverse("courses:dashboard")).content.decode()
    assert "1 of 2 lessons done" in page


def test_the_managers_api_counts_only_the_lessons_that_count(tree):
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {api_key('met').key}"
    body = client.get(reverse("manager-modules")).json()
    assert [(m["slug"], m["lessons"]) for m in body] == [(tree.module.slug, 2)]


@pytest.mark.parametrize("action", ["complete", "answer", "reflect"])
def test_posting_to_a_lesson_does_not_get_round_its_restriction(client, home_page, action):
    """Bad input shows the lesson again: never to someone its restriction keeps out."""
    tree = build_module_tree(home_page, title="Voices", lessons=2)
    last = tree.lessons[-1]
    restriction = PageViewRestriction.objects.create(
        page=last, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Voices cohort"))
    client.force_login(learner("met"))
    posts = {
        "complete": ("courses:lesson_complete", {"event_id": "not-a-uuid"}),
        "answer": ("courses:lesson_answer", {"block_id": tree.check_block_id, "answer": "9"}),
        "reflect": ("courses:lesson_reflect", {"block_id": tree.reflection_block_id, "text": ""}),
    }
    name, data = posts[action]
    response = client.post(reverse(name, args=[last.pk]), data)
    assert response.status_code == 403
    page = response.content.decode()
    assert "What will you do differently?" not in page  # the lesson's reflection prompt
    assert "Check what you have learned." not in page
    assert not ProgressEvent.objects.exists()


def test_answers_in_an_unpublished_module_are_still_refused_with_a_reason(client, home_page):
    """Only a restriction the learner passed turns answers into feedback only; a module taken
    offline refuses them as before, on the lesson page."""
    tree = build_module_tree(home_page, title="Voices", lessons=2)
    client.force_login(learner("met"))
    tree.module.unpublish()
    response = answer(client, tree, 1)
    assert response.status_code == 400
    assert "not available" in response.content.decode()
    assert not KnowledgeCheckResult.objects.exists()
