"""Attitude surveys in the admin: who may author and publish them, statements with answers
kept, surveys with responses never deleted, and the editors' free-text screen (k-anonymous
force filters, no names, forces or exact dates)."""

import datetime
import html

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from courses.models import (
    PROGRAMME_EVALUATORS_GROUP,
    AttitudeSurvey,
    SurveyResponse,
    SurveyStage,
    SurveyStatement,
)
from courses.survey_admin import statement_has_answers_message
from tests.courses.survey_helpers import make_survey, respond
from tests.factories import UserFactory, learner, training_lead

ADD = "wagtailsnippets_courses_attitudesurvey:add"
EDIT = "wagtailsnippets_courses_attitudesurvey:edit"
DELETE = "wagtailsnippets_courses_attitudesurvey:delete"
LIST = "wagtailsnippets_courses_attitudesurvey:list"


def member(group_name, **fields):
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor_client(client, db):
    client.force_login(member("Editors"))
    return client


def survey_data(programme, statements, *, initial=0, publish=True, **fields):
    """The admin form's POST body: `statements` is a list of dicts (text, and id/DELETE for
    existing ones)."""
    forms = [
        {
            "id": row.get("id", ""),
            "text": row["text"],
            "ORDER": str(index + 1),
            **({"DELETE": "on"} if row.get("DELETE") else {}),
        }
        for index, row in enumerate(statements)
    ]
    data = nested_form_data(
        {
            "title": fields.get("title", "Thinking about domestic abuse"),
            "programme": programme.pk,
            "how_answers_are_used": "Voluntary; only groups of 10 or more are reported.",
            "free_text_question": "",
            "follow_up_weeks": "12",
            "statements": inline_formset(forms, initial=initial),
        }
    )
    if publish:
        data["action-publish"] = "action-publish"
    return data


def existing(survey, changes):
    rows = []
    for statement in survey.statements.order_by("sort_order"):
        row = {"id": statement.pk, "text": statement.text}
        row.update(changes.get(statement.pk, {}))
        rows.append(row)
    return rows


# --- Permissions ----------------------------------------------------------------------------


@pytest.mark.parametrize("group_name", ["Editors", "Reviewers"])
def test_editors_and_reviewers_author_and_publish_surveys(db, group_name):
    user = member(group_name)
    for action in ("add", "change", "delete", "view", "publish"):
        assert user.has_perm(f"courses.{action}_attitudesurvey"), action


def test_an_editor_creates_and_publishes_a_survey(editor_client, module_tree):
    data = survey_data(module_tree.programme, [{"text": "Believing victims matters."}])
    response = editor_client.post(reverse(ADD), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    survey = AttitudeSurvey.objects.get()
    assert survey.live and survey.programme_id == module_tree.programme.pk
    assert [s.text for s in survey.statements.all()] == ["Believing victims matters."]


def test_leads_evaluators_and_learners_cannot_author_surveys(client, module_tree):
    survey = make_survey(module_tree.programme)
    evaluator = member(PROGRAMME_EVALUATORS_GROUP, is_staff=True)
    for user in (training_lead("met"), evaluator):
        client.force_login(user)
        for url in (reverse(LIST), reverse(ADD), reverse(EDIT, args=[survey.pk])):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"] == reverse("wagtailadmin_home")
        assert client.post(reverse(ADD), survey_data(module_tree.programme, [{"text": "x"}]))
        assert AttitudeSurvey.objects.count() == 1
    client.force_login(learner("met"))
    response = client.get(reverse(ADD))
    assert response.status_code == 302 and "login" in response["Location"]


# --- Statements and deletion -----------------------------------------------------------------


def test_a_statement_with_answers_cannot_be_removed_but_can_be_reworded(editor_client, module_tree):
    survey = make_survey(module_tree.programme)
    respond(survey, learner("met"), SurveyStage.PRE)
    first = survey.statements.order_by("sort_order").first()
    url = reverse(EDIT, args=[survey.pk])

    data = survey_data(
        module_tree.programme, existing(survey, {first.pk: {"DELETE": True}}), initial=3
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    message = statement_has_answers_message(first.text)
    assert message in response.context["form"].non_field_errors()
    assert html.escape(message) in response.text
    assert SurveyStatement.objects.filter(pk=first.pk).exists()

    reworded = "Coercive and controlling behaviour is abuse, even without violence."
    data = survey_data(
        module_tree.programme, existing(survey, {first.pk: {"text": reworded}}), initial=3
    )
    assert editor_client.post(url, data).status_code == 302
    first.refresh_from_db()
    assert first.text == reworded
    assert first.answers.count() == 1


def test_a_statement_without_answers_can_be_removed(editor_client, module_tree):
    survey = make_survey(module_tree.programme)
    last = survey.statements.order_by("sort_order").last()
    data = survey_data(
        module_tree.programme, existing(survey, {last.pk: {"DELETE": True}}), initial=3
    )
    assert editor_client.post(reverse(EDIT, args=[survey.pk]), data).status_code == 302
    assert not SurveyStatement.objects.filter(pk=last.pk).exists()


@pytest.mark.parametrize("count, message", [(0, "at least one"), (21, "at most 20")])
def test_between_one_and_twenty_statements(editor_client, module_tree, count, message):
    rows = [{"text": f"Statement {i}"} for i in range(count)]
    response = editor_client.post(reverse(ADD), survey_data(module_tree.programme, rows))
    assert response.status_code == 200
    assert message in response.text.lower() or message in response.text
    assert not AttitudeSurvey.objects.exists()


def test_a_survey_with_responses_is_not_deleted(editor_client, module_tree):
    survey = make_survey(module_tree.programme)
    respond(survey, learner("met"), SurveyStage.PRE)
    response = editor_client.post(reverse(DELETE, args=[survey.pk]), follow=True)
    assert response.status_code == 200
    assert "Not deleted" in response.text and "Unpublish" in response.text
    assert AttitudeSurvey.objects.filter(pk=survey.pk).exists()

    unanswered = make_survey(
        module_tree.programme.get_parent().add_child(
            instance=type(module_tree.programme)(title="Second programme", slug="second")
        )
    )
    assert editor_client.post(reverse(DELETE, args=[unanswered.pk])).status_code == 302
    assert not AttitudeSurvey.objects.filter(pk=unanswered.pk).exists()


# --- Free text for editors ---------------------------------------------------------------------


def written(survey, code, count, text="Answer from {code} {i}", at=None):
    users = []
    for i in range(count):
        user = learner(code)
        respond(survey, user, SurveyStage.POST, free_text=text.format(code=code, i=i), at=at)
        users.append(user)
    return users


def free_text_url(survey, group=None):
    url = reverse("survey_free_text", args=[survey.pk])
    return f"{url}?group={group}" if group else url


def test_free_text_is_for_editors_and_superusers_only(client, module_tree):
    survey = make_survey(module_tree.programme)
    for user in (
        member("Editors"),
        member("Reviewers"),
        UserFactory(is_superuser=True, is_staff=True),
    ):
        client.force_login(user)
        assert client.get(free_text_url(survey)).status_code == 200
    evaluator = member(PROGRAMME_EVALUATORS_GROUP, is_staff=True)
    for user in (training_lead("met"), evaluator):
        client.force_login(user)
        response = client.get(free_text_url(survey))  # Wagtail's "permission denied" redirect
        assert response.status_code == 302, user
        assert response["Location"] == reverse("wagtailadmin_home")
    client.force_login(learner("met"))
    assert client.get(free_text_url(survey)).status_code == 302


def test_free_text_filters_are_k_anonymous_and_show_no_names_or_dates(
    editor_client, module_tree, django_assert_num_queries
):
    survey = make_survey(module_tree.programme)
    at = timezone.make_aware(datetime.datetime(2026, 3, 17, 14, 5))
    met = written(survey, "met", 10, at=at)
    written(survey, "gmp", 4, at=at)
    written(survey, "dyfed-powys", 3, at=at)
    respond(survey, learner("met"), SurveyStage.PRE)  # no free text: not counted

    text = editor_client.get(free_text_url(survey)).text
    assert "All forces (17)" in text and "Metropolitan" in text
    assert "Other forces (" not in text  # 7 between them: under 10
    assert "Greater Manchester" not in text and "Dyfed" not in text
    assert "Answer from gmp 0" in text  # all forces together: 17 answers
    assert "March 2026" in text and "17 March" not in text and "14:05" not in text
    for user in met:
        assert user.email not in text and user.last_name not in text

    met_only = editor_client.get(free_text_url(survey, "met")).text
    assert "Answer from met 3" in met_only and "Answer from gmp" not in met_only
    small = editor_client.get(free_text_url(survey, "gmp")).text
    assert "Answer from" not in small

    written(survey, "gmp", 3, at=at)  # the others now reach 10 between them
    text = editor_client.get(free_text_url(survey)).text
    assert "Other forces (10)" in text
    others = editor_client.get(free_text_url(survey, "other")).text
    assert "Answer from gmp" in others and "Answer from met" not in others

    # Session and user (2), the user's permissions (2: own and groups'), their admin profile
    # (1), the survey (1); the counts per force, the offered forces' names and the answers (3);
    # the admin's menu and header (6: locales, page and collection permissions, whether they
    # lead a force, whether they are a programme evaluator (the Evidence menu item), the
    # explorable root). The same with 20 answers or 40.
    for extra in (0, 20):
        written(survey, "met", extra)
        editor_client.get(free_text_url(survey))
        with django_assert_num_queries(15):
            assert editor_client.get(free_text_url(survey)).status_code == 200


def test_under_ten_answers_nothing_is_shown(editor_client, module_tree):
    survey = make_survey(module_tree.programme)
    written(survey, "met", 9)
    for group in (None, "all", "met", "other", "nonsense"):
        text = editor_client.get(free_text_url(survey, group)).text
        assert "Answer from" not in text, group
    assert "Fewer than 10" in editor_client.get(free_text_url(survey)).text
    assert SurveyResponse.objects.exclude(free_text="").count() == 9


def test_the_listing_links_each_survey_to_its_free_text(editor_client, module_tree):
    survey = make_survey(module_tree.programme)
    text = editor_client.get(reverse(LIST)).text
    assert survey.title in text and module_tree.programme.title in text
    assert reverse("survey_free_text", args=[survey.pk]) in text
