"""The browser journey through real HTTP: My learning, lessons, knowledge checks, completion."""

import re
import uuid

import pytest
from django.urls import reverse

from courses.models import (
    KnowledgeCheckResult,
    LessonProgress,
    ModuleProgress,
    ProgressEvent,
    ProgressStatus,
    SupportService,
    Verb,
)
from tests.conftest import build_module_tree
from tests.courses.journey import answer, complete, complete_module
from tests.factories import UserFactory, learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client):
    user = learner("met")
    client.force_login(user)
    return user


def events(user, verb):
    return ProgressEvent.objects.filter(learner=user, verb=verb)


def html(response) -> str:
    return response.content.decode()


# --- Sign-in required ---------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in_and_back(client, module_tree):
    lesson = module_tree.lessons[0]
    for url in (
        reverse("courses:dashboard"),
        lesson.url,
        module_tree.module.url,
        reverse("courses:content_notice", args=[module_tree.module.pk]),
        reverse("courses:certificate", args=[module_tree.module.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url
        assert "next=" in response["Location"], url


def test_anonymous_lesson_actions_record_nothing(client, module_tree):
    lesson = module_tree.lessons[0]
    response = complete(client, lesson)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert answer(client, module_tree, 1).status_code == 302
    assert not ProgressEvent.objects.exists()


# --- My learning --------------------------------------------------------------------------------


def test_dashboard_lists_every_live_module_with_progress_and_a_start(client, officer, home_page):
    first = build_module_tree(home_page, title="Leadership")
    second = build_module_tree(home_page, title="Men's role")
    draft = build_module_tree(home_page, title="Not yet published")
    draft.module.unpublish()

    page = html(client.get(reverse("courses:dashboard")))

    assert "Leadership" in page and "Men&#x27;s role" in page
    assert "Not yet published" not in page
    assert page.count("<progress") == 2
    assert f'href="{first.lessons[0].url}"' in page
    assert f'href="{second.lessons[0].url}"' in page
    assert "Not started" in page
    assert "About 30 minutes left" in page  # three 10-minute lessons


DASHBOARD = 11


def test_dashboard_query_count_does_not_grow_with_modules(
    client, officer, home_page, django_assert_num_queries
):
    build_module_tree(home_page, title="One")
    complete(client, build_module_tree(home_page, title="Two").lessons[0])
    # 11 = the session and the user (2); the live modules and their counted lessons (2:
    # selectors.course_outline); the learner's completed lessons and their module progress
    # (2); Wagtail's user bar (2: the user's and their groups' permissions); the site for the
    # lessons' URLs (1); the learner's profile with whether they are trained, for the
    # Champions invitation (1: selectors.learner_champion); whether the post survey is offered
    # (1: selectors.post_survey_offer).
    # Nothing per module, and no session write (the idle timeout is refreshed at most once a
    # minute).
    client.get(reverse("courses:dashboard"))  # read after the content changed
    with django_assert_num_queries(DASHBOARD):
        client.get(reverse("courses:dashboard"))
    for i in range(3):
        complete(client, build_module_tree(home_page, title=f"More {i}").lessons[0])
    client.get(reverse("courses:dashboard"))
    with django_assert_num_queries(DASHBOARD):
        response = client.get(reverse("courses:dashboard"))
    assert html(response).count("<progress") == 5


def test_dashboard_shows_an_editors_change_at_once(client, officer, home_page):
    """The outline is read from the database on every view."""
    tree = build_module_tree(home_page, title="Leadership")
    assert "Leadership" in html(client.get(reverse("courses:dashboard")))

    module = tree.module.specific
    module.title = "Leading change"
    module.save_revision().publish()
    added = build_module_tree(home_page, title="Survivor voices", lessons=1)
    tree.lessons[0].unpublish()
    page = html(client.get(reverse("courses:dashboard")))
    assert "Leading change" in page and "Survivor voices" in page
    assert f'href="{tree.lessons[1].url}">Start' in page  # the first live lesson now
    assert "About 20 minutes left" in page

    added.module.unpublish()
    assert "Survivor voices" not in html(client.get(reverse("courses:dashboard")))


def test_continue_resumes_at_the_first_unfinished_lesson(client, officer, module_tree):
    first, second, third = module_tree.lessons
    complete(client, first)
    complete(client, third)

    page = html(client.get(reverse("courses:dashboard")))

    assert "In progress" in page
    assert "2 of 3 lessons done" in page
    assert re.search(rf'href="{second.url}">Continue', page)
    assert "About 10 minutes left" in page
    assert 'value="67"' in page


def test_finished_lessons_without_the_pass_mark_point_back_to_the_check(
    client, officer, module_tree
):
    answer(client, module_tree, 0)  # wrong
    for lesson in module_tree.lessons:
        response = complete(client, lesson)
    assert response["Location"] == reverse("courses:dashboard")

    page = html(client.get(reverse("courses:dashboard")))
    assert "reach the pass mark of 80%" in page
    assert re.search(rf'href="{module_tree.lessons[-1].url}">Retake the knowledge check', page)
    assert "View certificate" not in page


def test_modules_waiting_for_their_pass_mark_add_no_queries_each(
    client, officer, home_page, django_assert_num_queries
):
    def finish_without_passing(tree):
        answer(client, tree, 0)  # wrong
        for lesson in tree.lessons:
            complete(client, lesson)

    finish_without_passing(build_module_tree(home_page, title="One"))
    client.get(reverse("courses:dashboard"))  # this process reads the course structure
    # The dashboard's (test_dashboard_query_count_does_not_grow_with_modules), and the content
    # token (1) under which the shared cache holds which lessons have knowledge checks: the
    # same whatever the number of modules waiting.
    with django_assert_num_queries(DASHBOARD + 1):
        client.get(reverse("courses:dashboard"))
    for title in ("Two", "Three"):
        finish_without_passing(build_module_tree(home_page, title=title))
    client.get(reverse("courses:dashboard"))
    with django_assert_num_queries(DASHBOARD + 1):
        page = html(client.get(reverse("courses:dashboard")))
    assert page.count("Retake the knowledge check") == 3


def test_completed_module_offers_its_certificate(client, officer, module_tree):
    complete_module(client, module_tree)
    page = html(client.get(reverse("courses:dashboard")))
    assert "Completed" in page
    assert reverse("courses:certificate", args=[module_tree.module.pk]) in page
    assert 'value="100"' in page


# --- Lessons ------------------------------------------------------------------------------------


def test_lesson_shows_its_position_navigation_and_a_complete_form(client, officer, module_tree):
    first, second, third = module_tree.lessons
    page = html(client.get(second.url))

    assert "Lesson 2 of 3" in page
    assert f'href="{first.url}" rel="prev"' in page
    assert f'href="{third.url}" rel="next"' in page
    assert reverse("courses:lesson_complete", args=[second.pk]) in page
    assert "Mark complete and continue" in page
    event_id = re.search(r'name="event_id" value="([0-9a-f-]{36})"', page).group(1)
    assert uuid.UUID(event_id)


def test_viewing_a_lesson_records_experienced_once(client, officer, module_tree):
    lesson = module_tree.lessons[0]
    client.get(lesson.url)
    client.get(lesson.url)

    assert events(officer, Verb.EXPERIENCED).count() == 1
    row = LessonProgress.objects.get(learner=officer, lesson=lesson)
    assert row.status == ProgressStatus.IN_PROGRESS


def test_a_user_without_a_learner_profile_can_read_but_records_nothing(client, module_tree):
    editor = UserFactory()
    client.force_login(editor)
    lesson = module_tree.lessons[0]

    assert client.get(lesson.url).status_code == 200
    response = complete(client, lesson)

    assert response.status_code == 403
    assert "not linked to a police force" in html(response)
    assert not ProgressEvent.objects.exists()


def test_mark_complete_records_and_continues_to_the_next_lesson(client, officer, module_tree):
    first, second, _ = module_tree.lessons
    response = complete(client, first)

    assert response.status_code == 302
    assert response["Location"] == second.url
    row = LessonProgress.objects.get(learner=officer, lesson=first)
    assert row.status == ProgressStatus.COMPLETED
    assert "You have completed this lesson." in html(client.get(first.url))


def test_double_clicking_complete_records_once(client, officer, module_tree):
    first, second, _ = module_tree.lessons
    event_id = uuid.uuid4()

    responses = [complete(client, first, event_id) for _ in range(3)]

    assert [r["Location"] for r in responses] == [second.url] * 3
    assert events(officer, Verb.COMPLETED).count() == 1
    assert ModuleProgress.objects.get(learner=officer).lessons_completed == 1


def test_a_reused_event_id_on_another_lesson_is_a_conflict(client, officer, module_tree):
    first, second, _ = module_tree.lessons
    event_id = uuid.uuid4()
    complete(client, first, event_id)

    response = complete(client, second, event_id)

    assert response.status_code == 409
    assert "already used" in html(response)
    assert not LessonProgress.objects.filter(
        lesson=second, status=ProgressStatus.COMPLETED
    ).exists()


@pytest.mark.parametrize("event_id", ["", "not-a-uuid"])
def test_complete_without_a_valid_event_id_is_a_clear_400(client, officer, module_tree, event_id):
    lesson = module_tree.lessons[0]
    response = client.post(
        reverse("courses:lesson_complete", args=[lesson.pk]), {"event_id": event_id}
    )
    assert response.status_code == 400
    assert "This form has expired. Reload the page and try again." in html(response)
    assert not events(officer, Verb.COMPLETED).exists()


def test_lesson_actions_need_post_and_a_live_lesson(client, officer, module_tree):
    lesson = module_tree.lessons[0]
    url = reverse("courses:lesson_complete", args=[lesson.pk])
    assert client.get(url)["Location"] == lesson.url  # an address, not a page: the lesson's
    assert client.put(url).status_code == 405
    assert client.post(reverse("courses:lesson_complete", args=[999_999])).status_code == 404
    lesson.unpublish()
    assert complete(client, lesson).status_code == 404


# --- Knowledge checks ---------------------------------------------------------------------------


def check_result(page: str) -> str:
    """The feedback part of the knowledge check, as the learner sees it after answering."""
    found = re.search(r'<div class="knowledge-check__result".*?</div>', page, re.S)
    assert found, "no feedback shown"
    return found.group(0)


def test_a_wrong_answer_marks_only_the_chosen_option_and_allows_a_retry(
    client, officer, module_tree
):
    lesson = module_tree.lessons[-1]
    assert "This blames her." not in html(client.get(lesson.url))  # feedback only after answering

    response = answer(client, module_tree, 0)

    assert response.status_code == 302
    assert response["Location"] == f"{lesson.url}#check-{module_tree.check_block_id}"
    page = html(client.get(lesson.url))
    result = check_result(page)
    assert "Not quite" in result
    assert "Why doesn&#x27;t she leave?" in result and "Not correct" in result
    assert "This blames her." in result  # the editor's feedback on the chosen option
    # Nothing about the options not chosen, so the retry is not a formality.
    assert "Why doesn&#x27;t he stop?" not in result
    assert "Yes: his choice." not in page
    assert "No one provokes abuse." not in page
    assert "Correct answer" not in page
    assert "If your next answer is not right either, we will show you the right answer." in result
    # Feedback is shown once (POST/redirect/GET); reloading gives a fresh attempt.
    assert "Not quite" not in html(client.get(lesson.url))


def test_the_right_answer_is_shown_after_the_editors_number_of_attempts(
    client, officer, module_tree
):
    lesson = module_tree.lessons[-1]
    answer(client, module_tree, 0)
    html(client.get(lesson.url))

    answer(client, module_tree, 2)  # the second wrong answer: the default is 2

    result = check_result(html(client.get(lesson.url)))
    assert "The right answer is shown below." in result
    assert re.search(
        r"Why doesn&#x27;t he stop\?</strong>\s*<span class=\"tag tag--correct\">"
        r"Correct answer</span>",
        result,
    )
    assert "Yes: his choice." in result
    assert "No one provokes abuse." in result  # the chosen one, marked wrong
    assert "This blames her." in result  # and the other wrong one, now all are shown


def test_the_right_answer_is_shown_after_a_pass(client, officer, module_tree):
    answer(client, module_tree, 1)

    result = check_result(html(client.get(module_tree.lessons[-1].url)))
    assert "Correct." in result
    assert "Yes: his choice." in result
    assert "This blames her." in result and "No one provokes abuse." in result


def set_reveal_after(tree, number: int) -> None:
    lesson = tree.lessons[-1].specific
    body = lesson.body.raw_data
    for block in body:
        if block["type"] == "knowledge_check":
            block["value"]["reveal_after"] = number
    lesson.body = body
    lesson.save_revision().publish()


def test_attempts_are_counted_on_the_server_not_taken_from_the_form(client, officer, module_tree):
    set_reveal_after(module_tree, 3)
    lesson = module_tree.lessons[-1]
    url = reverse("courses:lesson_answer", args=[lesson.pk])
    post = {"block_id": module_tree.check_block_id, "answer": ["0"]}
    # Whatever the browser claims about its attempts, and a resubmitted form (one event id)
    # counts once.
    event_id = str(uuid.uuid4())
    for _ in range(2):
        client.post(url, {**post, "attempts": "99", "event_id": event_id})
    result = check_result(html(client.get(lesson.url)))
    assert "After 2 more tries, we will show you the right answer." in result
    assert "Yes: his choice." not in result
    assert events(officer, Verb.ANSWERED).count() == 1

    answer(client, module_tree, 2)
    assert "If your next answer is not right either" in html(client.get(lesson.url))
    answer(client, module_tree, 0)
    assert "Yes: his choice." in check_result(html(client.get(lesson.url)))
    assert KnowledgeCheckResult.objects.get(learner=officer).attempts == 3


def test_the_best_score_counts_across_retries(client, officer, module_tree):
    answer(client, module_tree, 0)
    answer(client, module_tree, 1)
    answer(client, module_tree, 2)

    result = KnowledgeCheckResult.objects.get(learner=officer)
    assert (result.best_score, result.last_score, result.attempts) == (100, 0, 3)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose an answer before checking it."),
        ({"answer": ["7"]}, "not one of this question&#x27;s options"),
        ({"answer": ["zero"]}, "not one of this question&#x27;s options"),
        ({"answer": ["0", "1"]}, "This question takes a single answer."),
        ({"answer": ["1"], "block_id": "no-such-block"}, "no longer part of this lesson"),
    ],
)
def test_bad_answers_get_a_clear_400_and_record_nothing(
    client, officer, module_tree, data, message
):
    lesson = module_tree.lessons[-1]
    post = {"block_id": module_tree.check_block_id, **data}
    response = client.post(reverse("courses:lesson_answer", args=[lesson.pk]), post)

    assert response.status_code == 400
    assert message in html(response)
    assert not events(officer, Verb.ANSWERED).exists()


# --- Completion ---------------------------------------------------------------------------------


def test_module_completes_only_with_all_lessons_and_the_pass_mark(client, officer, module_tree):
    first, second, third = module_tree.lessons
    answer(client, module_tree, 1)  # pass mark met, lessons not done
    complete(client, first)
    complete(client, third)
    progress = ModuleProgress.objects.get(learner=officer)
    assert progress.completed_at is None

    response = complete(client, second)

    progress.refresh_from_db()
    assert progress.completed_at is not None
    assert progress.certificate_code
    assert response["Location"] == reverse("courses:certificate", args=[module_tree.module.pk])


def test_all_lessons_without_the_pass_mark_do_not_complete_until_a_retry_passes(
    client, officer, module_tree
):
    answer(client, module_tree, 0)
    for lesson in module_tree.lessons:
        complete(client, lesson)
    assert ModuleProgress.objects.get(learner=officer).completed_at is None

    answer(client, module_tree, 1)

    progress = ModuleProgress.objects.get(learner=officer)
    assert progress.completed_at is not None
    assert progress.status == ProgressStatus.COMPLETED


def test_completion_is_recorded_once(client, officer, module_tree):
    complete_module(client, module_tree)
    first = ModuleProgress.objects.get(learner=officer)

    complete_module(client, module_tree)  # the learner goes through it again

    again = ModuleProgress.objects.get(learner=officer)
    assert (again.completed_at, again.certificate_code) == (
        first.completed_at,
        first.certificate_code,
    )
    assert again.completed_revision_id == first.completed_revision_id


# --- Content notice -----------------------------------------------------------------------------


@pytest.fixture
def noticed_tree(module_tree):
    module = module_tree.module
    module.content_notice = "<p>This module includes an account of coercive control.</p>"
    module.save_revision().publish()
    service = SupportService.objects.create(
        name="Wellbeing line", description="Confidential support for officers and staff."
    )
    module.refresh_from_db()
    module.notice_support_services.add(service)
    module.save()
    return module_tree


def test_content_notice_comes_before_the_first_lesson_with_a_way_out(client, officer, noticed_tree):
    notice_url = reverse("courses:content_notice", args=[noticed_tree.module.pk])
    assert notice_url in html(client.get(reverse("courses:dashboard")))

    page = html(client.get(notice_url))

    assert "coercive control" in page
    assert "Wellbeing line" in page
    assert f'href="{noticed_tree.lessons[0].url}">Continue to the first lesson' in page
    assert f'href="{reverse("courses:dashboard")}">Not now: back to My learning' in page


def test_a_module_without_a_notice_goes_straight_to_its_first_lesson(client, officer, module_tree):
    response = client.get(reverse("courses:content_notice", args=[module_tree.module.pk]))
    assert response.status_code == 302
    assert response["Location"] == module_tree.lessons[0].url


def test_going_through_a_completed_module_again_moves_lesson_by_lesson(
    client, officer, module_tree
):
    first, second, third = module_tree.lessons
    complete_module(client, module_tree)

    assert complete(client, first)["Location"] == second.url
    assert complete(client, third)["Location"] == reverse(
        "courses:certificate", args=[module_tree.module.pk]
    )


def test_double_clicking_the_last_lesson_opens_the_certificate_both_times(
    client, officer, module_tree
):
    answer(client, module_tree, 1)
    complete(client, module_tree.lessons[0])
    complete(client, module_tree.lessons[1])
    event_id = uuid.uuid4()
    certificate = reverse("courses:certificate", args=[module_tree.module.pk])

    responses = [complete(client, module_tree.lessons[2], event_id) for _ in range(2)]

    assert [r["Location"] for r in responses] == [certificate, certificate]
    assert events(officer, Verb.COMPLETED).count() == 3
