"""What a learner is told is left of a module, and where it takes them: after the last lesson
(with and without JavaScript), on My learning, on the module page, and when a later pass earns
the certificate. Module time comes from one source everywhere."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import LessonPage
from tests.courses.journey import answer, complete
from tests.factories import api_key, learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client):
    user = learner("met")
    client.force_login(user)
    return user


def text(response) -> str:
    return response.content.decode()


def attribute(page: str, name: str) -> str | None:
    found = re.search(rf'{name}="([^"]*)"', page)
    return unescape(found.group(1)) if found else None


def check_url(tree) -> str:
    return f"{tree.lessons[-1].url}#check-{tree.check_block_id}"


# --- After the last lesson, without JavaScript -----------------------------------------------


def test_finishing_the_lessons_without_the_check_names_it_with_a_link(client, officer, module_tree):
    for lesson in module_tree.lessons:
        response = complete(client, lesson)
    assert response["Location"] == reverse("courses:dashboard")

    page = text(client.get(response["Location"]))
    message = re.search(r'<div class="messages" role="status">(.*?)</div>', page, re.S).group(1)
    assert (
        "You have finished the lessons. To complete the module, pass the knowledge check in "
        "Lesson 3: Leadership lesson 3."
    ) in message
    assert f'<a href="{check_url(module_tree)}">Go to the knowledge check</a>' in message
    assert "Back to My learning" not in page


def test_the_last_lesson_with_others_unfinished_names_the_first_of_them(
    client, officer, module_tree
):
    first, _, last = module_tree.lessons
    answer(client, module_tree, 1)  # the check is passed; lessons are what is left

    page = text(client.get(complete(client, last)["Location"]))

    assert "Lesson complete. To complete the module, you also need to finish Lesson 1" in page
    assert f'<a href="{first.url}">Go to Lesson 1: Leadership lesson 1</a>' in page
    assert "pass the knowledge check" not in page


# --- After the last lesson, with JavaScript (what progress.js is given) -----------------------


def test_the_last_lesson_tells_progress_js_what_is_left(client, officer, module_tree):
    first, second, last = module_tree.lessons
    page = text(client.get(last.url))

    assert attribute(page, "data-left-lessons-url") == first.url
    assert attribute(page, "data-left-lessons-text") == (
        "To complete the module, you also need to finish Lesson 1: Leadership lesson 1."
    )
    assert attribute(page, "data-left-check-url") == check_url(module_tree)
    assert attribute(page, "data-left-check-link") == "Go to the knowledge check"
    assert "pass the knowledge check in Lesson 3" in attribute(page, "data-left-check-text")

    complete(client, first)
    complete(client, second)
    page = text(client.get(last.url))
    assert attribute(page, "data-left-lessons-url") is None  # only the check is left
    assert attribute(page, "data-left-check-url") == check_url(module_tree)
    # Other lessons go on to the next lesson: nothing to say about the module yet.
    assert attribute(text(client.get(first.url)), "data-left-check-url") is None


# --- Passing later ------------------------------------------------------------------------------


def test_passing_the_check_after_the_lessons_announces_the_certificate(
    client, officer, module_tree
):
    for lesson in module_tree.lessons:
        complete(client, lesson)
    certificate = reverse("courses:certificate", args=[module_tree.module.pk])

    answer(client, module_tree, 1)

    page = text(client.get(module_tree.lessons[-1].url))
    result = re.search(r'<div class="knowledge-check__result" role="status">.*?</div>', page, re.S)
    assert "Module complete. Your certificate is ready." in result.group(0)
    assert f'<a href="{certificate}">View your certificate</a>' in result.group(0)
    # Once: a later answer does not announce it again.
    answer(client, module_tree, 1)
    assert "Your certificate is ready" not in text(client.get(module_tree.lessons[-1].url))


def test_a_pass_before_the_lessons_are_done_announces_nothing(client, officer, module_tree):
    answer(client, module_tree, 1)
    assert "certificate is ready" not in text(client.get(module_tree.lessons[-1].url))


# --- My learning --------------------------------------------------------------------------------


def test_my_learning_says_take_the_check_when_it_was_never_taken(client, officer, module_tree):
    for lesson in module_tree.lessons:
        complete(client, lesson)

    page = text(client.get(reverse("courses:dashboard")))

    assert "minutes left" not in page  # not "About 0 minutes left"
    assert "take the knowledge check and reach the pass mark of 80%" in page
    assert re.search(rf'href="{module_tree.lessons[-1].url}">Take the knowledge check', page)
    assert "Retake" not in page and "best so far" not in page

    answer(client, module_tree, 0)
    page = text(client.get(reverse("courses:dashboard")))
    assert re.search(rf'href="{module_tree.lessons[-1].url}">Retake the knowledge check', page)
    assert "your best so far: 0%" in page


# --- The module page ----------------------------------------------------------------------------


def lesson_states(page: str) -> list[str]:
    items = re.findall(r'<li class="lesson-list__item">(.*?)</li>', page, re.S)
    return [
        re.search(r'<span class="lesson-state[^"]*">(.*?)</span>\s*$', i.strip(), re.S).group(1)
        for i in items
    ]


def action(page: str) -> tuple[str, str]:
    found = re.search(r'<a class="button" href="([^"]+)">([^<]+)<', page)
    return found.group(1), found.group(2)


def test_module_page_shows_each_lessons_state_and_continues_at_the_first_unfinished(
    client, officer, module_tree
):
    first, second, third = module_tree.lessons
    module = module_tree.module
    page = text(client.get(module.url))
    assert lesson_states(page) == ["Not started"] * 3
    assert action(page) == (first.url, "Start")

    complete(client, first)
    client.get(third.url)  # opened: in progress
    page = text(client.get(module.url))

    assert lesson_states(page) == [
        '<span aria-hidden="true">✓ </span>Completed',
        "Not started",
        "In progress",
    ]
    assert action(page) == (second.url, "Continue")


def test_module_page_points_to_the_check_then_to_the_certificate(client, officer, module_tree):
    for lesson in module_tree.lessons:
        complete(client, lesson)
    page = text(client.get(module_tree.module.url))
    assert action(page) == (module_tree.lessons[-1].url, "Take the knowledge check")
    assert "take the knowledge check and reach the pass mark of 80%" in page

    answer(client, module_tree, 1)
    page = text(client.get(module_tree.module.url))
    certificate = reverse("courses:certificate", args=[module_tree.module.pk])
    assert action(page) == (certificate, "View certificate")
    assert lesson_states(page).count('<span aria-hidden="true">✓ </span>Completed') == 3


def test_module_page_states_are_the_learners_own(client, officer, module_tree):
    complete(client, module_tree.lessons[0])
    client.force_login(learner("met"))
    page = text(client.get(module_tree.module.url))
    assert lesson_states(page) == ["Not started"] * 3


# --- One source for module time ----------------------------------------------------------------


def test_module_time_is_the_same_everywhere(client, officer, module_tree):
    for lesson, minutes in zip(module_tree.lessons, (7, 15, 20), strict=True):
        page = LessonPage.objects.get(pk=lesson.pk)
        page.estimated_minutes = minutes
        page.save_revision().publish()

    assert "About 42 minutes · 3 lessons" in text(client.get(module_tree.module.url))
    assert "About 42 minutes left." in text(client.get(reverse("courses:dashboard")))
    assert "about 42 minutes" in text(client.get(module_tree.programme.url))
    manager = Client(HTTP_AUTHORIZATION=f"Bearer {api_key('met').key}")
    [row] = manager.get(reverse("manager-modules")).json()
    assert row["estimated_minutes"] == 42

    complete(client, module_tree.lessons[0])
    assert "About 35 minutes left." in text(client.get(reverse("courses:dashboard")))
