"""The security audit trail: what is recorded, and that nothing secret or personal is."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from courses import audit
from courses.models import AuditAction, AuditEvent
from tests.factories import UserFactory, api_key, learner

PASSWORD = "correct-horse-battery"


def logged_text() -> str:
    """Every stored value of every audit entry, as one string to search for leaks."""
    return " ".join(str(value) for row in AuditEvent.objects.values() for value in row.values())


def test_sign_in_is_recorded_with_the_user_id_only(client, db):
    user = learner("met")
    assert client.login(username=user.username, password=PASSWORD)
    entry = AuditEvent.objects.get(action=AuditAction.SIGN_IN)
    assert entry.user_id == user.pk
    assert user.email not in logged_text() and PASSWORD not in logged_text()


def test_failed_sign_in_is_recorded_without_the_credentials(client, db):
    user = learner("met")
    wrong = "not-the-password-7731"
    response = client.post(reverse("account_login"), {"login": user.email, "password": wrong})
    assert response.status_code == 200
    entry = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert entry.subject_user_id == user.pk  # which account was tried
    assert entry.path == reverse("account_login")
    text = logged_text()
    assert wrong not in text and user.email not in text


def test_failed_sign_in_for_an_unknown_address_names_no_one(client, db):
    client.post(reverse("account_login"), {"login": "ghost@example.org", "password": "x" * 12})
    entry = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert entry.subject_user_id is None
    assert "ghost" not in logged_text()


def test_cross_force_api_attempt_is_recorded_as_denied(client, db):
    issued = api_key("met")
    response = client.get(
        reverse("manager-force-summary", kwargs={"code": "gmp"}),
        headers={"Authorization": f"Bearer {issued.key}"},
    )
    assert response.status_code == 404
    entry = AuditEvent.objects.get(action=AuditAction.ACCESS_DENIED)
    assert entry.api_key_prefix == issued.api_key.prefix
    assert entry.force_code == "gmp"
    assert entry.status_code == 404
    secret = issued.key.partition(".")[2]
    assert secret not in logged_text()


def test_own_force_reads_are_not_denials(client, module_tree):
    issued = api_key("met")
    response = client.get(
        reverse("manager-force-summary", kwargs={"code": "met"}),
        headers={"Authorization": f"Bearer {issued.key}"},
    )
    assert response.status_code == 200
    assert not AuditEvent.objects.exists()


def test_a_wrong_key_is_recorded_by_prefix_never_by_secret(client, db):
    issued = api_key("met")
    forged = issued.api_key.prefix + ".guessed-secret-value"
    response = client.get(reverse("manager-forces"), headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
    entry = AuditEvent.objects.get(action=AuditAction.ACCESS_DENIED)
    assert entry.api_key_prefix == issued.api_key.prefix
    assert entry.status_code == 401
    assert "guessed-secret-value" not in logged_text()


def test_garbage_in_the_authorization_header_is_not_stored(client, db):
    client.get(reverse("manager-forces"), headers={"Authorization": "Bearer <script>.x"})
    entry = AuditEvent.objects.get(action=AuditAction.ACCESS_DENIED)
    assert entry.api_key_prefix == ""


def test_learner_api_without_a_session_is_recorded(client, db):
    response = client.get(reverse("api-my-progress"))
    assert response.status_code == 401
    entry = AuditEvent.objects.get(action=AuditAction.ACCESS_DENIED)
    assert (entry.user_id, entry.path) == (None, reverse("api-my-progress"))


def test_signed_in_user_refused_by_the_api_is_recorded(client, db):
    not_a_learner = UserFactory()
    client.force_login(not_a_learner)
    assert client.get(reverse("api-my-progress")).status_code == 403
    entry = AuditEvent.objects.get(action=AuditAction.ACCESS_DENIED)
    assert entry.user_id == not_a_learner.pk


def test_audit_record_drops_values_that_are_not_identifiers(db):
    entry = audit.audit_record(
        action=AuditAction.ACCESS_DENIED,
        api_key_prefix="abc.def-secret",
        force_code="<Met Police>",
        path="/x" * 300,
    )
    assert entry.api_key_prefix == "" and entry.force_code == ""
    assert len(entry.path) == 200


# --- The admin listing ------------------------------------------------------------------------


@pytest.fixture
def entries(db):
    audit.audit_record(action=AuditAction.SIGN_IN, user_id=1, path="/accounts/login/")
    audit.audit_record(action=AuditAction.ACCESS_DENIED, api_key_prefix="ab12cd34", path="/api/")


def test_administrators_read_the_audit_log(client, entries):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("audit_log:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ab12cd34" in html and "Sign-in" in html
    entry = AuditEvent.objects.first()
    assert client.get(reverse("audit_log:inspect", args=[entry.pk])).status_code == 200


def test_audit_log_is_read_only(client, entries):
    from django.urls import NoReverseMatch

    for name in ("audit_log:add", "audit_log:edit", "audit_log:delete"):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[1]) if name != "audit_log:add" else reverse(name)


def test_editors_cannot_read_the_audit_log(client, entries):
    editor = UserFactory(username="editor", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    response = client.get(reverse("audit_log:index"))
    assert response.status_code == 302
    assert "ab12cd34" not in response.content.decode()
    # The refusal itself is audited.
    denied = AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED, user_id=editor.pk)
    assert denied.get().path == reverse("audit_log:index")


def test_a_refusal_at_a_path_with_a_nul_byte_is_recorded_without_it(client, db):
    # A read-only key refused a write is recorded before the force is looked up, so the
    # path is whatever the caller sent; PostgreSQL cannot store NUL in text.
    key = api_key("met").key
    response = client.put(
        "/api/v1/forces/me%00t/headcount/",
        data={"as_of": "2026-01-01", "headcounts": {"pcso": 1}},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )

    assert response.status_code == 403
    entry = AuditEvent.objects.get(action=AuditAction.ACCESS_DENIED)
    assert entry.path == "/api/v1/forces/met/headcount/"
