"""Pathways by role in the admin: who may author them, how mistakes are refused, and the
learners re-enrolled when one is saved or deleted."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from courses import services
from courses.models import (
    TRAINING_LEADS_GROUP,
    LearnerProfile,
    ModuleProgress,
    Pathway,
    PathwayStep,
    ProgressStatus,
    TrainingLead,
)
from courses.pathway_admin import DUPLICATE_MODULE
from tests.conftest import build_module_tree, complete_module, signup
from tests.factories import UserFactory, force, learner

ADD = "wagtailsnippets_courses_pathway:add"
EDIT = "wagtailsnippets_courses_pathway:edit"
DELETE = "wagtailsnippets_courses_pathway:delete"
LIST = "wagtailsnippets_courses_pathway:list"


def member(group_name):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(db):
    return member("Editors")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def two_modules(home_page):
    return build_module_tree(home_page, title="Leadership"), build_module_tree(
        home_page, title="Survivor voices"
    )


def pathway_data(role, steps, *, initial=0):
    """The admin form's POST body: `steps` is a list of dicts (module, days_to_complete, and
    id/DELETE for existing steps), in order."""
    forms = [
        {
            "id": step.get("id", ""),
            "module": step["module"],
            "days_to_complete": step["days"],
            "ORDER": str(index + 1),
            **({"DELETE": "on"} if step.get("DELETE") else {}),
        }
        for index, step in enumerate(steps)
    ]
    return nested_form_data({"role": role, "steps": inline_formset(forms, initial=initial)})


# --- Permissions ----------------------------------------------------------------------------


@pytest.mark.parametrize("group_name", ["Editors", "Reviewers"])
def test_editors_and_reviewers_manage_pathways(db, group_name):
    user = member(group_name)
    for action in ("add", "change", "delete", "view"):
        assert user.has_perm(f"courses.{action}_pathway"), action


def test_training_leads_cannot_see_pathways(client, db):
    lead = member(TRAINING_LEADS_GROUP)
    lead.is_staff = True
    lead.save()
    TrainingLead.objects.create(user=lead).forces.add(force("met"))
    client.force_login(lead)
    assert not lead.has_perm("courses.view_pathway")
    response = client.get(reverse(LIST))
    assert response.status_code == 302  # Wagtail's "permission denied" redirect
    assert response["Location"] == reverse("wagtailadmin_home")
    assert client.get(reverse(ADD)).status_code == 302
    menu = client.get(reverse("wagtailadmin_home")).text
    assert reverse(LIST) not in menu


def test_listing_shows_each_pathway_and_its_modules(editor_client, two_modules):
    leadership, voices = two_modules
    pathway = Pathway.objects.create(role="pcso")
    PathwayStep.objects.create(pathway=pathway, module=leadership.module, days_to_complete=14)
    PathwayStep.objects.create(pathway=pathway, module=voices.module, days_to_complete=30)

    response = editor_client.get(reverse(LIST))

    assert response.status_code == 200
    assert "PCSO" in response.text
    assert "Leadership (14); Survivor voices (30)" in response.text


def test_the_listing_takes_the_same_queries_for_one_pathway_or_four(editor_client, two_modules):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for roles in (["pcso"], ["staff", "supervisor", "leader"]):
        for role in roles:
            pathway = Pathway.objects.create(role=role)
            for tree in two_modules:
                PathwayStep.objects.create(pathway=pathway, module=tree.module)
        editor_client.get(reverse(LIST))  # warm the session and Wagtail's caches
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(reverse(LIST)).status_code == 200
        counts.append(len(queries))
    # The steps and their modules are prefetched for the page: no query per pathway.
    assert counts[0] == counts[1]


# --- Authoring and validation ---------------------------------------------------------------


def test_create_a_pathway_enrols_the_role(editor_client, two_modules):
    leadership, voices = two_modules
    pcso, officer = learner("met", role="pcso"), learner("met")
    data = pathway_data(
        "pcso",
        [{"module": voices.module.pk, "days": 14}, {"module": leadership.module.pk, "days": 60}],
    )

    response = editor_client.post(reverse(ADD), data, follow=True)

    assert response.status_code == 200
    assert "2 enrolment(s) added" in response.text
    pathway = Pathway.objects.get(role="pcso")
    assert [s.module_id for s in pathway.steps.all()] == [voices.module.pk, leadership.module.pk]
    rows = ModuleProgress.objects.filter(learner=pcso, required=True)
    assert rows.count() == 2
    assert not ModuleProgress.objects.filter(learner=officer).exists()


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("0", "greater than or equal to 1"),
        ("731", "less than or equal to 730"),
        ("-3", "greater than or equal to 0"),
        ("soon", "Enter a whole number"),
    ],
)
def test_days_out_of_range_are_form_errors(editor_client, module_tree, days, message):
    data = pathway_data("pcso", [{"module": module_tree.module.pk, "days": days}])

    response = editor_client.post(reverse(ADD), data)

    assert response.status_code == 200
    assert message in response.text
    assert not Pathway.objects.exists()


def test_the_same_module_twice_is_a_form_error(editor_client, module_tree):
    module = module_tree.module.pk
    data = pathway_data("pcso", [{"module": module, "days": 10}, {"module": module, "days": 20}])

    response = editor_client.post(reverse(ADD), data)

    assert response.status_code == 200
    assert DUPLICATE_MODULE in response.text
    assert not Pathway.objects.exists()


@pytest.mark.parametrize("role", ["champion", "not-given"])
def test_a_pathway_for_no_job_role_is_refused(editor_client, module_tree, role):
    data = pathway_data(role, [{"module": module_tree.module.pk, "days": 10}])

    response = editor_client.post(reverse(ADD), data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Pathway.objects.exists()


def test_a_second_pathway_for_a_role_is_refused(editor_client, module_tree):
    Pathway.objects.create(role="pcso")
    data = pathway_data("pcso", [{"module": module_tree.module.pk, "days": 10}])

    response = editor_client.post(reverse(ADD), data)

    assert response.status_code == 200
    assert "There is already a pathway for this role. Edit that one instead." in response.text
    assert Pathway.objects.count() == 1


def test_only_modules_can_be_chosen(editor_client, module_tree):
    lesson = module_tree.lessons[0]
    data = pathway_data("pcso", [{"module": lesson.pk, "days": 10}])

    response = editor_client.post(reverse(ADD), data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Pathway.objects.exists()


def test_edit_removes_a_step_and_releases_it(editor_client, two_modules):
    leadership, voices = two_modules
    pcso = learner("met", role="pcso")
    pathway = Pathway.objects.create(role="pcso")
    first = PathwayStep.objects.create(pathway=pathway, module=leadership.module)
    second = PathwayStep.objects.create(pathway=pathway, module=voices.module)
    services.enrolments_sync()
    data = pathway_data(
        "pcso",
        [
            {"id": first.pk, "module": leadership.module.pk, "days": 28},
            {"id": second.pk, "module": voices.module.pk, "days": 28, "DELETE": True},
        ],
        initial=2,
    )

    response = editor_client.post(reverse(EDIT, args=[pathway.pk]), data, follow=True)

    assert response.status_code == 200
    assert "1 no longer required" in response.text
    assert list(pathway.steps.values_list("module_id", flat=True)) == [leadership.module.pk]
    assert not ModuleProgress.objects.get(learner=pcso, module=voices.module).required


def test_moving_a_pathway_to_another_role_releases_the_old_role(editor_client, module_tree):
    pcso, handler = learner("met", role="pcso"), learner("met", role="call-handler")
    pathway = Pathway.objects.create(role="pcso")
    step = PathwayStep.objects.create(pathway=pathway, module=module_tree.module)
    services.enrolments_sync()
    data = pathway_data(
        "call-handler",
        [{"id": step.pk, "module": module_tree.module.pk, "days": 28}],
        initial=1,
    )

    editor_client.post(reverse(EDIT, args=[pathway.pk]), data)

    assert not ModuleProgress.objects.get(learner=pcso).required
    assert ModuleProgress.objects.get(learner=handler).required


def test_delete_releases_open_rows(editor_client, module_tree):
    pcso = learner("met", role="pcso")
    pathway = Pathway.objects.create(role="pcso")
    PathwayStep.objects.create(pathway=pathway, module=module_tree.module)
    services.enrolments_sync()

    response = editor_client.post(reverse(DELETE, args=[pathway.pk]), follow=True)

    assert response.status_code == 200
    assert not Pathway.objects.exists()
    assert not ModuleProgress.objects.get(learner=pcso).required


def test_bulk_delete_releases_open_rows(editor_client, module_tree):
    pcso = learner("met", role="pcso")
    pathway = Pathway.objects.create(role="pcso")
    PathwayStep.objects.create(pathway=pathway, module=module_tree.module)
    services.enrolments_sync()
    url = (
        reverse("wagtail_bulk_action", args=["courses", "pathway", "delete"]) + f"?id={pathway.pk}"
    )

    response = editor_client.post(url)

    assert response.status_code == 302, response.content[:3000]
    assert not Pathway.objects.exists()
    assert not ModuleProgress.objects.get(learner=pcso).required


# --- Registration ---------------------------------------------------------------------------


def test_a_self_registered_learner_gets_their_pathway(client, gmp_domain, module_tree):
    pathway = Pathway.objects.create(role="call-handler")
    PathwayStep.objects.create(pathway=pathway, module=module_tree.module, days_to_complete=21)

    response = signup(client, "sam.okafor@gmp.demo.example")

    assert response.status_code == 302
    profile = LearnerProfile.objects.get(user__email="sam.okafor@gmp.demo.example")
    row = ModuleProgress.objects.get(learner_id=profile.user_id)
    assert row.required and row.force.code == "gmp"
    assert (row.due_at - row.enrolled_at).days == 21


def test_a_large_role_is_left_to_the_daily_job(editor_client, module_tree, monkeypatch):
    monkeypatch.setattr("courses.pathway_admin.SYNC_IN_REQUEST_MAX", 1)
    first, second = learner("met", role="pcso"), learner("gmp", role="pcso")
    data = pathway_data("pcso", [{"module": module_tree.module.pk, "days": 10}])

    response = editor_client.post(reverse(ADD), data, follow=True)

    assert "2 learners are affected" in response.text
    assert "manage.py enrolments_sync" in response.text
    assert not ModuleProgress.objects.exists()
    out = StringIO()
    call_command("enrolments_sync", "--role", "pcso", stdout=out)
    assert "Enrolments: 2 added" in out.getvalue()
    assert ModuleProgress.objects.filter(learner__in=[first, second], required=True).count() == 2
    call_command("enrolments_sync", stdout=out)
    assert out.getvalue().endswith(
        "Enrolments: 0 added, 0 due date(s) changed, 0 no longer required.\n"
    )


# --- Enrolment rules behind the admin (services.enrolments_sync) ----------------------------


def test_a_step_added_later_is_due_from_when_it_was_added(two_modules):
    leadership, voices = two_modules
    veteran, newcomer = learner("met", role="pcso"), learner("met", role="pcso")
    long_ago = timezone.now() - datetime.timedelta(days=200)
    LearnerProfile.objects.filter(user=veteran).update(created_at=long_ago)
    pathway = Pathway.objects.create(role="pcso")
    first = PathwayStep.objects.create(pathway=pathway, module=leadership.module)
    PathwayStep.objects.filter(pk=first.pk).update(added_at=long_ago - datetime.timedelta(days=1))
    services.enrolments_sync()
    old_row = ModuleProgress.objects.get(learner=veteran, module=leadership.module)
    assert old_row.enrolled_at == long_ago  # the module was there before they joined
    added = PathwayStep.objects.create(pathway=pathway, module=voices.module, days_to_complete=7)
    LearnerProfile.objects.filter(user=newcomer).update(
        created_at=added.added_at + datetime.timedelta(hours=1)
    )

    services.enrolments_sync()

    row = ModuleProgress.objects.get(learner=veteran, module=voices.module)
    assert row.enrolled_at == added.added_at  # not 200 days ago: nobody is overdue at once
    assert row.due_at == added.added_at + datetime.timedelta(days=7)
    late = ModuleProgress.objects.get(learner=newcomer, module=voices.module)
    assert late.enrolled_at == added.added_at + datetime.timedelta(hours=1)
    assert ModuleProgress.objects.get(pk=old_row.pk).due_at == old_row.due_at  # unchanged


def test_a_removed_step_releases_open_rows_and_keeps_completed_ones(two_modules):
    leadership, voices = two_modules
    started, finished = learner("met", role="pcso"), learner("met", role="pcso")
    pathway = Pathway.objects.create(role="pcso")
    PathwayStep.objects.create(pathway=pathway, module=leadership.module)
    removed = PathwayStep.objects.create(pathway=pathway, module=voices.module)
    services.enrolments_sync()
    complete_module(finished, voices)
    due = ModuleProgress.objects.get(learner=finished, module=voices.module).due_at

    removed.delete()
    result = services.pathway_enrolments_sync(roles=["pcso"])

    assert result.released == 1
    open_row = ModuleProgress.objects.get(learner=started, module=voices.module)
    assert (open_row.required, open_row.enrolled_at, open_row.due_at) == (False, None, None)
    done = ModuleProgress.objects.get(learner=finished, module=voices.module)
    assert done.status == ProgressStatus.COMPLETED and done.completed_at is not None
    assert done.required and done.due_at == due  # the record of what was required stays
    assert ModuleProgress.objects.filter(module=leadership.module, required=True).count() == 2


def test_completing_a_required_module_keeps_it_completed_through_every_sync(module_tree):
    officer = learner("met", role="pcso")
    pathway = Pathway.objects.create(role="pcso")
    step = PathwayStep.objects.create(pathway=pathway, module=module_tree.module)
    services.enrolments_sync()
    complete_module(officer, module_tree)
    before = ModuleProgress.objects.get(learner=officer)

    PathwayStep.objects.filter(pk=step.pk).update(days_to_complete=90)
    services.enrolments_sync()
    LearnerProfile.objects.filter(user=officer).update(role="staff")
    services.enrolments_sync()

    after = ModuleProgress.objects.get(learner=officer)
    assert after.status == ProgressStatus.COMPLETED
    assert after.completed_at == before.completed_at
    assert after.certificate_code == before.certificate_code
    assert after.lessons_completed == before.lessons_completed


def test_a_moved_learner_keeps_their_enrolments_in_the_new_force(module_tree, home_page):
    done_tree = build_module_tree(home_page, title="Survivor voices")
    officer = learner("met", role="pcso")
    pathway = Pathway.objects.create(role="pcso")
    PathwayStep.objects.create(pathway=pathway, module=module_tree.module)
    PathwayStep.objects.create(pathway=pathway, module=done_tree.module)
    services.enrolments_sync()
    complete_module(officer, done_tree)
    open_before = ModuleProgress.objects.get(learner=officer, module=module_tree.module)

    services.learner_move(learner=officer, force=force("gmp"))

    open_row = ModuleProgress.objects.get(learner=officer, module=module_tree.module)
    assert open_row.force.code == "gmp"  # the open enrolment follows the learner
    assert (open_row.required, open_row.due_at) == (True, open_before.due_at)
    done = ModuleProgress.objects.get(learner=officer, module=done_tree.module)
    assert done.force.code == "met" and done.required  # history stays where it happened
    assert services.enrolments_sync() == services.EnrolmentSyncResult(0, 0, 0)


# --- What the learner sees --------------------------------------------------------------------


def _due(user, module, when):
    ModuleProgress.objects.filter(learner=user, module=module).update(due_at=when)


def test_my_learning_lists_required_modules_first_in_pathway_order(client, home_page):
    trees = [build_module_tree(home_page, title=title) for title in ("Alpha", "Bravo", "Charlie")]
    alpha, bravo, charlie = (tree.module for tree in trees)
    officer = learner("met", role="pcso")
    pathway = Pathway.objects.create(role="pcso")
    PathwayStep.objects.create(pathway=pathway, module=charlie, sort_order=0)
    PathwayStep.objects.create(pathway=pathway, module=alpha, sort_order=1)
    services.enrolments_sync()
    _due(officer, charlie, datetime.datetime(2027, 1, 12, 12, tzinfo=datetime.UTC))
    _due(officer, alpha, timezone.now() - datetime.timedelta(days=2))
    overdue_on = timezone.localdate() - datetime.timedelta(days=2)
    client.force_login(officer)

    page = client.get(reverse("courses:dashboard")).text

    required, other = page.split("Required for your role")[1].split("Other modules")
    assert required.index("Charlie") < required.index("Alpha")
    assert "Due 12 January 2027" in required
    assert f"Overdue:</strong> was due {overdue_on:%-d %B %Y}" in required
    assert "Bravo" in other and "Bravo" not in required
    assert "Due " not in other


def test_a_completed_required_module_says_completed_not_overdue(client, module_tree):
    officer = learner("met", role="pcso")
    pathway = Pathway.objects.create(role="pcso")
    PathwayStep.objects.create(pathway=pathway, module=module_tree.module)
    services.enrolments_sync()
    complete_module(officer, module_tree)
    _due(officer, module_tree.module, timezone.now() - datetime.timedelta(days=1))
    client.force_login(officer)

    page = client.get(reverse("courses:dashboard")).text

    assert "Required for your role" in page
    assert "Completed" in page
    assert "Overdue" not in page and "Due " not in page


def test_without_a_pathway_my_learning_is_one_list(client, module_tree):
    client.force_login(learner("met", role="pcso"))

    page = client.get(reverse("courses:dashboard")).text

    assert "Required for your role" not in page
    assert "Take the modules in any order" in page


def test_the_module_page_shows_the_due_date(client, module_tree):
    officer = learner("met", role="pcso")
    pathway = Pathway.objects.create(role="pcso")
    PathwayStep.objects.create(pathway=pathway, module=module_tree.module)
    services.enrolments_sync()
    _due(officer, module_tree.module, datetime.datetime(2027, 3, 1, 12, tzinfo=datetime.UTC))
    client.force_login(officer)

    assert "Due 1 March 2027" in client.get(module_tree.module.url).text

    _due(officer, module_tree.module, datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC))
    assert "was due 1 March 2026" in client.get(module_tree.module.url).text
