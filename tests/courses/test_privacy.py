"""Learners' right of access (JSON export) and erasure, and the rule registry behind both."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from courses import privacy, selectors, services
from courses.models import (
    AuditAction,
    AuditEvent,
    ErasedEmail,
    LearnerProfile,
    LessonProgress,
    ModuleProgress,
    ProgressEvent,
    ProgressStatus,
    Reflection,
)
from tests.conftest import complete_module
from tests.factories import UserFactory, force, learner

REFLECTION_TEXT = "I will ask my team who they talk to when home is not safe."


# --- The registry -----------------------------------------------------------------------------


def user_relations() -> dict[str, object]:
    """Every relation from any installed model to the user model, by "app.Model.field"."""
    user_model = get_user_model()
    found = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.related_model is user_model and not field.auto_created:
                concrete = field.model._meta.concrete_model  # page subclasses share Page's fields
                found[f"{concrete._meta.label}.{field.name}"] = field
    return found


def test_every_model_linked_to_users_has_an_export_and_an_erasure_rule():
    relations = set(user_relations())
    reverse_relations = {
        privacy.relation_key(rel) for rel in get_user_model()._meta.related_objects
    }
    assert reverse_relations <= relations  # the two walks agree
    missing = sorted(relations - set(privacy.RULES))
    assert not missing, f"Decide how to export and erase: {missing}"
    stale = sorted(set(privacy.RULES) - relations)
    assert not stale, f"Rules for relations that no longer exist: {stale}"


def test_every_rule_that_keeps_or_skips_data_says_why():
    for key, rule in privacy.RULES.items():
        assert rule.why.strip(), key
        assert rule.export is None or callable(rule.export), key
        assert rule.erase is None or callable(rule.erase), key
        assert bool(rule.section) == (rule.export is not None), key
    sections = [rule.section for rule in privacy.RULES.values() if rule.section]
    assert len(sections) == len(set(sections))  # one key per kind of data in the export


def test_learner_data_is_both_exported_and_handled_on_erasure():
    for key in (
        "courses.LearnerProfile.user",
        "courses.Reflection.learner",
        "courses.ModuleProgress.learner",
        "courses.LessonProgress.learner",
        "courses.KnowledgeCheckResult.learner",
        "courses.ProgressEvent.learner",
        "account.EmailAddress.user",
    ):
        assert privacy.RULES[key].export is not None, key


# --- A learner with progress, a certificate and a reflection ----------------------------------


@pytest.fixture
def finished_learner(module_tree):
    """A Met learner who completed the module (certificate issued) and wrote a reflection."""
    user = learner("met", staff_number="MP-4471")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    complete_module(user, module_tree)
    Reflection.objects.create(
        learner=user,
        lesson=module_tree.lessons[-1],
        block_id=module_tree.reflection_block_id,
        text=REFLECTION_TEXT,
    )
    row = ModuleProgress.objects.get(learner=user)
    assert row.status == ProgressStatus.COMPLETED and row.certificate_code
    return user


# --- Export -----------------------------------------------------------------------------------


def test_learner_downloads_all_their_data_as_json(client, finished_learner, module_tree):
    client.force_login(finished_learner)
    response = client.get(reverse("courses:my_data"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="da-matters-my-data-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == finished_learner.email
    assert data["profile"] == {
        "force": "met",
        "role": "response-officer",
        "staff_number": "MP-4471",
        "team": "",
        "start_date": None,
        "left_on": None,
        "invited_at": None,
        "optional_reminders": True,
        "champion_since": None,
        "created_at": finished_learner.learner_profile.created_at.isoformat(),
    }
    [module] = data["modules_and_certificates"]
    row = ModuleProgress.objects.get(learner=finished_learner)
    assert module["certificate_code"] == row.certificate_code
    assert module["status"] == "Completed"
    assert len(data["lessons"]) == len(module_tree.lessons)
    assert data["knowledge_checks"][0]["best_score"] == 100
    assert len(data["progress_events"]) == len(module_tree.lessons) + 1
    assert data["reflections"][0]["text"] == REFLECTION_TEXT
    assert data["email_addresses"][0]["email"] == finished_learner.email


def test_export_reads_a_fixed_number_of_queries(finished_learner, django_assert_num_queries):
    # One SELECT per kind of data (profile with force, reflections, module rows, lesson rows,
    # check results, events, email addresses, links to a force's identity provider, admin
    # profile, reminders sent, survey responses, survey stages skipped) and one INSERT for the
    # audit entry: 13, however much progress the learner has. (A learner with survey responses
    # adds one: their answers, with the statements joined.)
    with django_assert_num_queries(13):
        services.learner_export(user=finished_learner)


def test_export_is_someone_elses_never(client, finished_learner):
    other = learner("met")
    client.force_login(other)
    data = json.loads(client.get(reverse("courses:my_data")).content)
    assert data["account"]["id"] == other.pk
    assert data["reflections"] == []
    assert data["modules_and_certificates"] == []
    assert REFLECTION_TEXT not in json.dumps(data)


def test_export_needs_sign_in_and_is_recorded(client, finished_learner):
    response = client.get(reverse("courses:my_data"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not AuditEvent.objects.filter(action=AuditAction.DATA_EXPORT).exists()

    client.force_login(finished_learner)
    client.get(reverse("courses:my_data"))
    entry = AuditEvent.objects.get(action=AuditAction.DATA_EXPORT)
    assert entry.user_id == entry.subject_user_id == finished_learner.pk
    assert entry.path == reverse("courses:my_data")


def test_export_refuses_post(client, finished_learner):
    client.force_login(finished_learner)
    assert client.post(reverse("courses:my_data")).status_code == 405


def test_dashboard_links_to_the_download(client, finished_learner):
    client.force_login(finished_learner)
    html = client.get(reverse("courses:dashboard")).content.decode()
    assert f'href="{reverse("courses:my_data")}"' in html
    assert "Download my data" in html


# --- Erasure ----------------------------------------------------------------------------------


def test_erasure_removes_personal_data_and_keeps_anonymised_progress(finished_learner):
    met = force("met")
    before = selectors.force_summary(force=met)
    email, pk = finished_learner.email, finished_learner.pk
    events = ProgressEvent.objects.filter(learner_id=pk).count()

    result = services.learner_erase(user=finished_learner)

    assert result == services.ErasureResult(user_id=pk, already_erased=False)
    user = get_user_model().objects.get(pk=pk)
    assert user.email == f"erased-{pk}@erased.invalid"
    assert user.username == f"erased-{pk}"
    assert (user.first_name, user.last_name) == ("", "")
    assert not user.is_active and not user.has_usable_password()
    profile = LearnerProfile.objects.get(user_id=pk)
    assert profile.staff_number == "" and profile.erased_at is not None
    assert profile.force == met  # force totals still count this learner
    assert not Reflection.objects.filter(learner_id=pk).exists()
    assert not EmailAddress.objects.filter(user_id=pk).exists()
    row = ModuleProgress.objects.get(learner_id=pk)
    assert row.status == ProgressStatus.COMPLETED and row.certificate_code is None
    assert LessonProgress.objects.filter(learner_id=pk).count() == 3
    assert ProgressEvent.objects.filter(learner_id=pk).count() == events
    assert ErasedEmail.objects.filter(email_hash=privacy.email_hash(email)).exists()
    assert privacy.email_is_erased(email.upper())  # normalised
    after = selectors.force_summary(force=met)
    assert (after.learners, after.completed, after.in_progress) == (
        before.learners,
        before.completed,
        before.in_progress,
    )


def test_an_erased_learner_cannot_sign_in(client, finished_learner):
    email = finished_learner.email
    services.learner_erase(user=finished_learner)
    assert not client.login(username=email, password="correct-horse-battery")
    response = client.post(
        reverse("account_login"), {"login": email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client.session


def test_erasure_ends_an_open_session(client, finished_learner):
    client.force_login(finished_learner)
    assert client.get(reverse("courses:dashboard")).status_code == 200
    services.learner_erase(user=finished_learner)
    response = client.get(reverse("courses:dashboard"))
    assert response.status_code == 302  # signed out: the password hash changed


def test_erasing_again_is_safe(finished_learner):
    services.learner_erase(user=finished_learner)
    snapshot = get_user_model().objects.filter(pk=finished_learner.pk).values().get()
    again = services.learner_erase(user=finished_learner)
    assert again.already_erased
    assert ErasedEmail.objects.count() == 1
    after = get_user_model().objects.filter(pk=finished_learner.pk).values().get()
    assert {k: v for k, v in after.items() if k != "password"} == {
        k: v for k, v in snapshot.items() if k != "password"
    }
    assert AuditEvent.objects.filter(action=AuditAction.ERASURE).count() == 2


def test_superusers_are_not_erased(db):
    admin = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(services.ErasureRefused, match="superuser"):
        services.learner_erase(user=admin)
    admin.refresh_from_db()
    assert admin.is_active and admin.email.endswith("@example.org")


def test_erase_command_by_email_and_by_id(finished_learner, capsys):
    call_command("erase_learner", "--email", finished_learner.email.upper())
    assert f"Erased the personal data of account {finished_learner.pk}" in capsys.readouterr().out
    call_command("erase_learner", "--user-id", str(finished_learner.pk))
    assert "already erased" in capsys.readouterr().out


def test_erase_command_explains_an_unknown_account(db):
    with pytest.raises(CommandError, match="No account matches"):
        call_command("erase_learner", "--email", "nobody@example.org")


# --- Erasure from the Wagtail admin -----------------------------------------------------------


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


def test_admin_erases_a_learner_after_confirming(client, admin_user, finished_learner):
    client.force_login(admin_user)
    url = reverse("courses_learner_erase", args=[finished_learner.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "cannot be undone" in confirm.content.decode()
    assert get_user_model().objects.get(pk=finished_learner.pk).is_active  # GET changes nothing

    response = client.post(url)
    assert response.status_code == 302
    finished_learner.refresh_from_db()
    assert not finished_learner.is_active
    entry = AuditEvent.objects.get(action=AuditAction.ERASURE)
    assert (entry.user_id, entry.subject_user_id) == (admin_user.pk, finished_learner.pk)


def test_users_listing_offers_erasure_to_administrators(client, admin_user, finished_learner):
    client.force_login(admin_user)
    html = client.get(reverse("wagtailusers_users:index")).content.decode()
    assert reverse("courses_learner_erase", args=[finished_learner.pk]) in html


def test_only_administrators_may_erase(client, finished_learner):
    editor = UserFactory(username="editor", is_staff=True)
    editor.user_permissions.add(
        apps.get_model("auth", "Permission").objects.get(codename="access_admin")
    )
    client.force_login(editor)
    url = reverse("courses_learner_erase", args=[finished_learner.pk])
    response = client.post(url)
    # Wagtail's admin answers a refusal with a redirect home and a message, not a 403.
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    finished_learner.refresh_from_db()
    assert finished_learner.is_active
    denied = AuditEvent.objects.get(action=AuditAction.ACCESS_DENIED)
    assert (denied.user_id, denied.path) == (editor.pk, url)


def test_admin_erase_of_a_missing_account_is_404(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("courses_learner_erase", args=[987654])).status_code == 404


def test_an_erased_learners_certificate_no_longer_verifies(client, finished_learner):
    code = ModuleProgress.objects.get(learner=finished_learner).certificate_code
    verify = reverse("courses:certificate_verify", args=[code])
    assert client.get(verify).status_code == 200
    services.learner_erase(user=finished_learner)
    assert client.get(verify).status_code == 404
