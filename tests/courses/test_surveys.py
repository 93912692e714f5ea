"""Attitude surveys, the learner's side: the offer before the first lesson (skipping is
remembered and never blocks learning), the form for each stage, the post survey once trained,
pairing, bad input, follow-up invitations, and the learner's own export and erasure."""

import datetime
import json
import uuid
from io import StringIO
from urllib.parse import quote

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.demo import evidence_c
from courses.models import (
    LearnerProfile,
    ModuleProgress,
    ProgressStatus,
    SupportService,
    SurveyAnswer,
    SurveyDecline,
    SurveyResponse,
    SurveyStage,
)
from tests.conftest import complete_module
from tests.courses.survey_helpers import WEEK, make_survey, pathway_for, respond
from tests.factories import UserFactory, learner


@pytest.fixture
def survey(module_tree):
    return make_survey(module_tree.programme)


@pytest.fixture
def officer(db):
    return learner("met")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def form_url(survey, stage="pre", next_url=None):
    url = reverse("courses:survey_form", args=[survey.pk, stage])
    return f"{url}?next={quote(next_url)}" if next_url else url


def answers(survey, values):
    """The form's POST body: values by statement position (None: left unanswered)."""
    statements = list(survey.statements.order_by("sort_order", "pk"))
    return {
        f"s{statement.pk}": str(value)
        for statement, value in zip(statements, values, strict=False)
        if value is not None
    }


# --- "pre": before the first lesson ------------------------------------------------------------


def test_the_first_lesson_offers_the_survey_first_and_records_nothing(
    officer_client, officer, module_tree, survey
):
    lesson = module_tree.lessons[0]
    response = officer_client.get(lesson.url)
    offer = reverse("courses:survey_offer", args=[survey.pk])
    assert response.status_code == 302
    assert response["Location"] == f"{offer}?next={quote(lesson.url, safe='')}"
    assert not ModuleProgress.objects.filter(learner=officer).exists()

    page = officer_client.get(response["Location"])
    assert page.status_code == 200
    text = page.text
    assert "Before you start: a short, voluntary survey" in text
    assert "Answer the survey" in text and "Skip and start learning" in text
    assert survey.how_answers_are_used[:60] in text
    assert f'value="{lesson.url}"' in text  # skipping goes on to the lesson
    assert form_url(survey, next_url=lesson.url).replace("%2F", "/") in text.replace("%2F", "/")


def test_skipping_is_remembered_and_never_blocks_learning(
    officer_client, officer, module_tree, survey
):
    lesson = module_tree.lessons[0]
    skip = reverse("courses:survey_skip", args=[survey.pk, "pre"])
    response = officer_client.post(skip, {"next": lesson.url})
    assert response.status_code == 302 and response["Location"] == lesson.url
    assert SurveyDecline.objects.filter(survey=survey, learner=officer, stage="pre").count() == 1

    assert officer_client.get(lesson.url).status_code == 200  # the lesson, at once
    assert ModuleProgress.objects.get(learner=officer).status == ProgressStatus.IN_PROGRESS
    # Another lesson, never seen: still not asked again.
    assert officer_client.get(module_tree.lessons[1].url).status_code == 200
    # Skipping twice is harmless.
    officer_client.post(skip, {"next": lesson.url})
    assert SurveyDecline.objects.filter(learner=officer).count() == 1


def test_skip_goes_only_to_a_page_on_this_site(officer_client, survey):
    skip = reverse("courses:survey_skip", args=[survey.pk, "pre"])
    response = officer_client.post(skip, {"next": "https://elsewhere.example/phish"})
    assert response["Location"] == reverse("courses:dashboard")
    offer = reverse("courses:survey_offer", args=[survey.pk])
    page = officer_client.get(f"{offer}?next=//elsewhere.example/")
    assert "elsewhere.example" not in page.text


def test_a_learner_who_has_started_is_not_offered_the_pre_survey(
    officer_client, officer, module_tree, survey
):
    services.progress_record(
        learner=officer,
        event_id=uuid.uuid4(),
        lesson=module_tree.lessons[0],
        verb="experienced",
    )
    # A lesson not yet opened, in the same programme: straight to it.
    assert officer_client.get(module_tree.lessons[1].url).status_code == 200
    response = officer_client.get(form_url(survey))
    assert response.status_code == 403
    assert "only before your first lesson" in response.text


def test_no_offer_for_an_unpublished_survey_or_a_user_without_a_profile(
    client, officer_client, module_tree, survey
):
    survey.live = False
    survey.save()
    assert officer_client.get(module_tree.lessons[0].url).status_code == 200
    assert officer_client.get(form_url(survey)).status_code == 404

    survey.live = True
    survey.save()
    editor = UserFactory()  # no learner profile
    client.force_login(editor)
    assert client.get(module_tree.lessons[1].url).status_code == 200
    assert client.get(form_url(survey)).status_code == 403


def test_the_offer_costs_one_query_on_a_lessons_first_view_and_none_after(
    officer_client, officer, module_tree, survey
):
    """Learners who answered or skipped: the survey is looked up once, in one query, when they
    first open a lesson (when progress would be recorded), and never on later views."""
    SurveyDecline.objects.create(survey=survey, learner=officer, stage=SurveyStage.PRE)

    def survey_queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert officer_client.get(url).status_code == 200
        return [q["sql"] for q in captured.captured_queries if "attitudesurvey" in q["sql"]]

    assert len(survey_queries(module_tree.lessons[0].url)) == 1  # first view
    assert survey_queries(module_tree.lessons[0].url) == []  # later views
    respond(survey, officer, SurveyStage.PRE)
    SurveyDecline.objects.all().delete()
    assert len(survey_queries(module_tree.lessons[1].url)) == 1
    assert survey_queries(module_tree.lessons[1].url) == []


# --- the form, submitting, pairing -------------------------------------------------------------


def test_the_form_is_fieldsets_with_six_labelled_options(officer_client, survey):
    text = officer_client.get(form_url(survey)).text
    assert text.index("How your answers are used") < text.index("<fieldset")
    assert text.count("<fieldset") == 3 and text.count("<legend>") == 3
    statement = survey.statements.first()
    for value in ("1", "2", "3", "4", "5", "none"):
        assert f'<label for="s{statement.pk}-{value}">' in text
    assert "Prefer not to say" in text and "Strongly agree" in text
    assert survey.free_text_question in text


def test_submitting_stores_answers_once_with_force_role_and_prefer_not_to_say(
    officer_client, officer, module_tree, survey
):
    lesson = module_tree.lessons[0]
    data = {**answers(survey, [5, None, 2]), "free_text": "  It made me think.  "}
    data["next"] = lesson.url
    response = officer_client.post(form_url(survey), data)
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("courses:survey_thanks", args=[survey.pk, "pre"])
    )

    saved = SurveyResponse.objects.get(learner=officer)
    profile = LearnerProfile.objects.get(user=officer)
    assert (saved.stage, saved.force_id, saved.role) == ("pre", profile.force_id, profile.role)
    assert saved.free_text == "It made me think."
    values = list(saved.answers.order_by("statement__sort_order").values_list("value", flat=True))
    assert values == [5, None, 2]

    thanks = officer_client.get(response["Location"])
    assert "Thank you" in thanks.text and f'href="{lesson.url}"' in thanks.text
    assert reverse("courses:support") in thanks.text
    # The lesson now opens, and no survey is offered again.
    assert officer_client.get(lesson.url).status_code == 200

    again = officer_client.post(form_url(survey), answers(survey, [1, 1, 1]))
    assert again.status_code == 409
    assert "already answered" in again.text
    assert SurveyResponse.objects.filter(learner=officer).count() == 1
    assert list(
        saved.answers.order_by("statement__sort_order").values_list("value", flat=True)
    ) == [5, None, 2]


def test_an_empty_submission_is_all_prefer_not_to_say(officer_client, officer, survey):
    assert officer_client.post(form_url(survey), {}).status_code == 302
    assert set(SurveyAnswer.objects.values_list("value", flat=True)) == {None}
    assert SurveyAnswer.objects.count() == 3


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"free_text": "x" * 2001}, "2000 characters or fewer"),
        ({"s{first}": "9"}, "Select a valid choice"),
        ({"s{first}": "agree"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_a_400_with_a_message_and_nothing_saved(officer_client, survey, bad, message):
    first = survey.statements.order_by("sort_order").first().pk
    data = {key.format(first=first): value for key, value in bad.items()}
    response = officer_client.post(form_url(survey), data)
    assert response.status_code == 400
    assert message in response.text and "There is a problem" in response.text
    assert not SurveyResponse.objects.exists()


def test_no_such_survey_or_stage_is_a_404(officer_client, survey):
    assert (
        officer_client.get(reverse("courses:survey_form", args=[survey.pk + 99, "pre"])).status_code
        == 404
    )
    assert (
        officer_client.get(reverse("courses:survey_form", args=[survey.pk, "middle"])).status_code
        == 404
    )
    survey.follow_up_weeks = None
    survey.save()
    assert officer_client.get(form_url(survey, "follow-up")).status_code == 404
    skip = reverse("courses:survey_skip", args=[survey.pk, "middle"])
    assert officer_client.post(skip).status_code == 404
    assert (
        officer_client.get(reverse("courses:survey_skip", args=[survey.pk, "pre"])).status_code
        == 405
    )


def test_signed_out_visitors_are_sent_to_sign_in(client, survey):
    response = client.get(form_url(survey))
    assert response.status_code == 302 and "login" in response["Location"]


# --- "post": once trained ------------------------------------------------------------------


def test_post_is_offered_only_once_trained_and_paired_with_pre(
    officer_client, officer, module_tree, survey
):
    pathway_for(module_tree)
    pre = respond(survey, officer, SurveyStage.PRE)
    dashboard = reverse("courses:dashboard")
    assert "How has your thinking changed?" not in officer_client.get(dashboard).text
    assert officer_client.get(form_url(survey, "post")).status_code == 403

    complete_module(officer, module_tree)
    assert "How has your thinking changed?" in officer_client.get(dashboard).text
    certificate = reverse("courses:certificate", args=[module_tree.module.pk])
    assert "How has your thinking changed?" in officer_client.get(certificate).text

    response = officer_client.post(form_url(survey, "post"), answers(survey, [5, 5, 5]))
    assert response.status_code == 302
    post = SurveyResponse.objects.get(learner=officer, stage="post")
    assert post.pair_key == pre.pair_key
    assert "How has your thinking changed?" not in officer_client.get(dashboard).text


def test_post_alone_is_accepted_and_no_thanks_is_remembered(client, module_tree, survey):
    pathway_for(module_tree)
    first, second = learner("met"), learner("gmp")
    for user in (first, second):
        complete_module(user, module_tree)
    client.force_login(first)
    assert client.post(form_url(survey, "post"), answers(survey, [3, 3, 3])).status_code == 302
    assert SurveyResponse.objects.get(learner=first).stage == "post"

    client.force_login(second)
    dashboard = reverse("courses:dashboard")
    skip = reverse("courses:survey_skip", args=[survey.pk, "post"])
    assert client.post(skip, {"next": dashboard})["Location"] == dashboard
    assert "How has your thinking changed?" not in client.get(dashboard).text


# --- "follow-up": an email some weeks later ----------------------------------------------------


def test_follow_up_invitation_is_sent_once_after_the_weeks(officer, module_tree, survey):
    now = timezone.now()
    respond(survey, officer, SurveyStage.POST, at=now - 11 * WEEK)
    assert services.survey_follow_ups_send(now=now).sent == 0
    assert not mail.outbox

    later = now + 2 * WEEK
    run = services.survey_follow_ups_send(now=later)
    assert (run.sent, run.failed) == (1, 0)
    message = mail.outbox[0]
    assert message.to == [officer.email]
    body = message.body
    assert reverse("courses:survey_form", args=[survey.pk, "follow-up"]) in body
    assert "/reminders/stop/" in body and message.extra_headers["List-Unsubscribe"]
    assert services.survey_follow_ups_send(now=later + WEEK).sent == 0
    assert len(mail.outbox) == 1
    assert SurveyResponse.objects.get(stage="post").follow_up_invited_at == later


def test_follow_up_respects_opt_out_inactive_and_erased_accounts(module_tree, survey):
    now = timezone.now()
    opted_out, inactive, erased = learner("met"), learner("met"), learner("met")
    LearnerProfile.objects.filter(user=opted_out).update(optional_reminders=False)
    inactive.is_active = False
    inactive.save()
    for user in (opted_out, inactive, erased):
        respond(survey, user, SurveyStage.POST, at=now - 13 * WEEK)
    services.learner_erase(user=erased)
    run = services.survey_follow_ups_send(now=now)
    assert run.sent == 0 and not mail.outbox
    assert run.skipped == 1  # the opted-out learner: asked again if they opt back in
    LearnerProfile.objects.filter(user=opted_out).update(optional_reminders=True)
    assert services.survey_follow_ups_send(now=now).sent == 1


def test_send_reminders_sends_follow_ups_after_the_reminders(officer, survey, client):
    at = datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)
    respond(survey, officer, SurveyStage.POST, at=at)
    out = StringIO()
    call_command("send_reminders", "--now", "2026-04-01T08:00", stdout=out)
    assert "Survey follow-up invitations: 1 sent" in out.getvalue()
    assert len(mail.outbox) == 1

    # The follow-up form opens for them then (and not before: the clock is the real one here,
    # and this post response is months old).
    client.force_login(officer)
    assert client.get(form_url(survey, "follow-up")).status_code == 200
    other = learner("met")
    respond(survey, other, SurveyStage.POST)
    client.force_login(other)
    response = client.get(form_url(survey, "follow-up"))
    assert response.status_code == 403 and "12 weeks" in response.text


# --- the learner's own data --------------------------------------------------------------------


def test_the_learner_sees_their_own_answers_in_their_export(officer_client, officer, survey):
    officer_client.post(form_url(survey), {**answers(survey, [4, None, 1]), "free_text": "Mine"})
    other = learner("met")
    respond(survey, other, SurveyStage.PRE, value=2, free_text="Someone else's words")
    SurveyDecline.objects.create(survey=survey, learner=officer, stage=SurveyStage.POST)
    data = json.loads(officer_client.get(reverse("courses:my_data")).content)
    [mine] = data["attitude_surveys"]
    assert mine["stage"] == "pre" and mine["free_text"] == "Mine"
    assert [a["answer"] for a in mine["answers"]] == [
        "Agree",
        "Prefer not to say",
        "Strongly disagree",
    ]
    assert data["attitude_surveys_skipped"][0]["stage"] == "post"
    assert "Someone else's words" not in json.dumps(data)


def test_erasure_unlinks_answers_blanks_free_text_and_forgets_skips(officer, survey):
    response = respond(survey, officer, SurveyStage.PRE, free_text="Private words")
    SurveyDecline.objects.create(survey=survey, learner=officer, stage=SurveyStage.POST)
    services.learner_erase(user=officer)
    response.refresh_from_db()
    assert response.learner_id is None and response.free_text == ""
    assert response.answers.count() == 3  # kept, anonymous, for the aggregates
    assert not SurveyDecline.objects.exists()


def test_thanks_lists_support_services(officer_client, survey):
    SupportService.objects.create(name="A national helpline", description=".", phone="0808 000")
    text = officer_client.get(reverse("courses:survey_thanks", args=[survey.pk, "pre"])).text
    assert "A national helpline" in text


def test_the_demo_survey_is_published_once(module_tree):
    survey = evidence_c.seed(programme=module_tree.programme, now=timezone.now())
    again = evidence_c.seed(programme=module_tree.programme, now=timezone.now())
    assert again.pk == survey.pk and survey.live
    assert [s.text for s in survey.statements.order_by("sort_order")] == evidence_c.STATEMENTS
    assert survey.follow_up_weeks == 12 and survey.free_text_question
