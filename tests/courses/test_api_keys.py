"""API keys: the service, Bearer authentication, the command and the Wagtail admin."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from courses import selectors, services
from courses.models import ApiAccessLog, ApiKey, Force
from tests.conftest import field_values
from tests.factories import UserFactory, api_key, force

FORCES = reverse("manager-forces")


def bearer(client, key, url=FORCES):
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")


# --- Service -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_returns_the_key_once_and_stores_only_its_hash():
    issued = api_key("met", "gmp", name="Met L&D")
    stored = ApiKey.objects.get()
    prefix, secret = issued.key.split(".")
    assert stored.prefix == prefix and len(prefix) == 8
    assert len(secret) >= 40  # 32 random bytes, url-safe base64
    assert secret not in stored.key_hash and issued.key not in stored.key_hash
    assert stored.key_hash == services.api_key_hash(issued.key)
    assert {f.code for f in stored.forces.all()} == {"met", "gmp"}
    assert str(stored) == f"Met L&D ({prefix}…)"


@pytest.mark.django_db
def test_key_by_prefix_loads_what_the_orm_loads():
    issued = api_key("met", expires_at=timezone.now() + timedelta(days=3))
    services.api_key_revoke(api_key=issued.api_key)
    loaded = selectors.api_key_by_prefix(issued.api_key.prefix)
    assert field_values(loaded) == field_values(ApiKey.objects.get())
    assert loaded.revoked_at is not None and loaded.expires_at.tzinfo is not None
    assert selectors.api_key_by_prefix("deadbeef") is None


@pytest.mark.django_db
def test_key_force_is_only_a_force_the_key_names():
    met_key = api_key("met", "gmp").api_key
    api_key("kent")
    found = selectors.api_key_force(api_key=met_key, code="gmp")
    assert field_values(found) == field_values(Force.objects.get(code="gmp"))
    assert selectors.api_key_force(api_key=met_key, code="kent") is None  # another key's
    assert selectors.api_key_force(api_key=met_key, code="nope") is None


@pytest.mark.django_db
def test_access_log_entry_is_written_as_the_orm_would():
    issued = api_key("met")
    met = Force.objects.get(code="met")
    before = timezone.now()
    entry = services.api_access_log_record(
        api_key=issued.api_key,
        force=met,
        endpoint="/api/v1/forces/met/completions/",
        filters={"status": "completed", "note": "é"},
        row_count=7,
    )
    stored = ApiAccessLog.objects.get()
    assert entry.pk == stored.pk and not entry._state.adding
    assert field_values(entry) == field_values(stored)
    assert stored.filters == {"status": "completed", "note": "é"}
    assert before <= stored.created_at <= timezone.now()
    services.api_access_log_set_row_count(entry=entry, row_count=9)
    assert ApiAccessLog.objects.get().row_count == 9


@pytest.mark.django_db
def test_two_keys_never_share_a_prefix_or_hash():
    first, second = api_key("met"), api_key("met")
    assert first.api_key.prefix != second.api_key.prefix
    assert first.api_key.key_hash != second.api_key.key_hash


@pytest.mark.django_db
def test_a_key_must_name_a_force_and_expire_in_the_future():
    with pytest.raises(ValueError, match="at least one force"):
        services.api_key_create(name="Nobody", forces=[])
    with pytest.raises(ValueError, match="future"):
        services.api_key_create(
            name="Past", forces=[force("met")], expires_at=timezone.now() - timedelta(days=1)
        )
    assert not ApiKey.objects.exists()


@pytest.mark.django_db
def test_revoke_is_idempotent_and_keeps_the_first_time():
    issued = api_key("met")
    first = services.api_key_revoke(api_key=issued.api_key).revoked_at
    assert first is not None
    assert services.api_key_revoke(api_key=issued.api_key).revoked_at == first


# --- Authentication ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_valid_key_reads_its_forces(client):
    issued = api_key("met")
    response = bearer(client, issued.key)
    assert response.status_code == 200
    assert [f["code"] for f in response.json()] == ["met"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Bearer", "Send the key as"),
        ("Bearer one two", "no spaces in the key"),
        ("Bearer nodot", "The API key is not valid."),
        ("Bearer abcdefgh.wrong-secret", "The API key is not valid."),
        ("Bearer .secret-without-prefix", "The API key is not valid."),
    ],
)
def test_malformed_or_unknown_keys_get_401(client, header, message):
    api_key("met")
    response = client.get(FORCES, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert message in response.json()["detail"]


@pytest.mark.django_db
def test_the_right_prefix_with_a_wrong_secret_gets_401(client):
    issued = api_key("met")
    response = bearer(client, f"{issued.api_key.prefix}.{'x' * 43}")
    assert response.status_code == 401


@pytest.mark.django_db
def test_missing_credentials_get_401_with_bearer_challenge(client):
    response = client.get(FORCES)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.django_db
def test_revoked_key_gets_401(client):
    issued = api_key("met")
    services.api_key_revoke(api_key=issued.api_key)
    response = bearer(client, issued.key)
    assert response.status_code == 401
    assert response.json() == {"detail": "This API key has been revoked."}


@pytest.mark.django_db
def test_expired_key_gets_401(client):
    issued = api_key("met", expires_at=timezone.now() + timedelta(days=1))
    assert bearer(client, issued.key).status_code == 200
    ApiKey.objects.filter(pk=issued.api_key.pk).update(expires_at=timezone.now())
    response = bearer(client, issued.key)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


@pytest.mark.django_db
def test_a_key_keeps_working_while_secret_key_rotates(client):
    issued = api_key("met")
    from django.conf import settings

    with override_settings(SECRET_KEY="a-new-secret", SECRET_KEY_FALLBACKS=[settings.SECRET_KEY]):
        assert bearer(client, issued.key).status_code == 200
    with override_settings(SECRET_KEY="a-new-secret", SECRET_KEY_FALLBACKS=[]):
        assert bearer(client, issued.key).status_code == 401


@pytest.mark.django_db
def test_last_used_is_written_at_most_once_a_minute(client, django_assert_num_queries):
    issued = api_key("met")
    # 1 key by prefix, 1 UPDATE last_used_at, 1 forces.
    with django_assert_num_queries(3):
        bearer(client, issued.key)
    issued.api_key.refresh_from_db()
    first_use = issued.api_key.last_used_at
    assert first_use is not None
    # Within the minute: no UPDATE, just the key and the forces.
    with django_assert_num_queries(2):
        bearer(client, issued.key)
    ApiKey.objects.filter(pk=issued.api_key.pk).update(
        last_used_at=first_use - timedelta(minutes=2)
    )
    bearer(client, issued.key)
    issued.api_key.refresh_from_db()
    assert issued.api_key.last_used_at > first_use


# --- Command -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_prints_the_key_alone_on_the_last_line(client):
    out = StringIO()
    call_command(
        "create_api_key",
        "--force",
        "met",
        "--force",
        "GMP",
        "--name",
        "HR export",
        "--expires-days",
        "30",
        stdout=out,
    )
    key = out.getvalue().strip().splitlines()[-1]
    stored = ApiKey.objects.get()
    assert key.startswith(stored.prefix + ".") and " " not in key
    assert stored.name == "HR export"
    assert {f.code for f in stored.forces.all()} == {"met", "gmp"}
    assert timedelta(days=29) < stored.expires_at - timezone.now() <= timedelta(days=30)
    assert bearer(client, key).status_code == 200


@pytest.mark.django_db
def test_command_without_expiry_makes_a_key_that_does_not_expire():
    out = StringIO()
    call_command("create_api_key", "--force", "met", "--name", "L&D", stdout=out)
    assert ApiKey.objects.get().expires_at is None
    assert "does not expire" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--force", "met", "--force", "atlantis", "--name", "X"],
            "Unknown force code(s): atlantis",
        ),
        (["--force", "met", "--name", "  "], "--name must not be blank"),
        (["--force", "met", "--name", "X", "--expires-days", "0"], "1 or more"),
    ],
)
def test_command_refuses_bad_input_and_creates_nothing(args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("create_api_key", *args, stdout=StringIO())
    assert not ApiKey.objects.exists()


# --- Wagtail admin -------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_admin_creation_shows_the_key_once_and_stores_only_the_hash(admin_client):
    response = admin_client.post(
        reverse("api_keys:add"),
        {"name": "Met HR", "forces": [force("met").pk], "expires_at": ""},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    stored = ApiKey.objects.get()
    html = response.content.decode()
    key = html.split('id="api-key-value" type="text" class="w-field__input" value="')[1].split('"')[
        0
    ]
    assert key.startswith(stored.prefix + ".")
    assert stored.key_hash == services.api_key_hash(key)
    assert stored.created_by.is_superuser
    assert "will not be shown again" in html
    # Nowhere else shows the key again.
    for url in (reverse("api_keys:index"), reverse("api_keys:edit", args=[stored.pk])):
        assert key.split(".")[1] not in admin_client.get(url).content.decode()


def test_admin_creation_needs_a_force(admin_client):
    response = admin_client.post(reverse("api_keys:add"), {"name": "Nowhere", "expires_at": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not ApiKey.objects.exists()


def test_admin_creation_refuses_a_past_expiry(admin_client):
    response = admin_client.post(
        reverse("api_keys:add"),
        {"name": "Late", "forces": [force("met").pk], "expires_at": "2001-01-01 10:00"},
    )
    assert response.status_code == 200
    assert "Choose a time in the future." in response.content.decode()
    assert not ApiKey.objects.exists()


def index_queries(admin_client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get(reverse("api_keys:index")).status_code == 200
    return len(queries)


def test_admin_key_list_does_not_query_per_key(admin_client):
    api_key("met")
    index_queries(admin_client)  # the first request after sign-in refreshes the session
    one = index_queries(admin_client)
    for code in ("gmp", "south-wales", "kent"):
        api_key(code, "met")
    assert index_queries(admin_client) == one  # forces are prefetched, not read per row


def test_admin_lists_and_revokes_keys(admin_client, client):
    issued = api_key("met", "gmp", name="Met L&D")
    index = admin_client.get(reverse("api_keys:index")).content.decode()
    assert "Met L&amp;D" in index and issued.api_key.prefix in index
    assert "gmp, met" in index or "met, gmp" in index
    assert "Active" in index
    revoke_url = reverse("api_keys:delete", args=[issued.api_key.pk])
    assert "Revoke" in index and revoke_url in index
    confirm = admin_client.get(revoke_url)
    assert "Yes, revoke the key" in confirm.content.decode()
    admin_client.post(revoke_url)
    assert "Revoked" in admin_client.get(reverse("api_keys:index")).content.decode()
    issued.api_key.refresh_from_db()
    assert issued.api_key.revoked_at is not None  # revoked, not deleted
    client.logout()
    assert bearer(client, issued.key).status_code == 401


def test_admin_access_log_is_read_only(admin_client):
    issued = api_key("met", name="Met L&D")
    entry = services.api_access_log_record(
        api_key=issued.api_key,
        force=force("met"),
        endpoint="/api/v1/forces/met/completions/",
        filters={"status": "completed"},
        row_count=12,
    )
    index = admin_client.get(reverse("api_access_log:index"))
    assert index.status_code == 200
    assert "/api/v1/forces/met/completions/" in index.content.decode()
    inspect = admin_client.get(reverse("api_access_log:inspect", args=[entry.pk]))
    assert inspect.status_code == 200
    assert "completed" in inspect.content.decode()
    for name in ("add", "edit", "delete", "copy"):
        with pytest.raises(NoReverseMatch):
            reverse(f"api_access_log:{name}", args=[entry.pk] if name != "add" else [])
    assert ApiAccessLog.objects.count() == 1


def test_admin_access_log_list_does_not_query_per_entry(admin_client):
    issued = api_key("met")

    def record(count):
        for _ in range(count):
            services.api_access_log_record(
                api_key=issued.api_key, force=force("met"), endpoint="/x/", filters={}, row_count=1
            )
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(reverse("api_access_log:index")).status_code == 200
        return len(queries)

    record(0)  # the first request after sign-in refreshes the session
    assert record(1) == record(5)  # key and force are joined in


def test_learners_and_editors_cannot_see_keys_or_the_log(client, db):
    learner_user = UserFactory()
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))  # Wagtail admin access, no key rights
    for user in (learner_user, editor):
        client.force_login(user)
        for url in (
            reverse("api_keys:index"),
            reverse("api_keys:add"),
            reverse("api_access_log:index"),
        ):
            response = client.get(url)
            assert response.status_code in (302, 403), url
            assert "api-key-value" not in response.content.decode()


CONTROL_KEYS = {
    "nul in secret": b"Bearer abcdefgh.sec\x00ret",
    "nul in prefix": b"Bearer abc\x00defgh.secret",
    "escape": b"Bearer abcdefgh.\x1b[31msecret",
    "delete": b"Bearer abcdefgh.secret\x7f",
    "unit separator": b"Bearer abcdefgh.sec\x1fret",
    "latin-1": b"Bearer abcd\xe9fgh.secret",
}


@pytest.mark.django_db
@pytest.mark.parametrize("header", CONTROL_KEYS.values(), ids=CONTROL_KEYS.keys())
def test_a_key_with_control_characters_gets_401_without_a_lookup(
    client, header, django_assert_num_queries
):
    """PostgreSQL refuses NUL in text: such a key must be refused by its shape, before any
    lookup. The one query is the audit record of the refused request, which holds no part of
    the key."""
    api_key("met")
    with django_assert_num_queries(1):
        response = client.get(FORCES, HTTP_AUTHORIZATION=header.decode("latin-1"))
    assert response.status_code == 401
    assert response.json() == {"detail": "The API key is not valid."}


@pytest.mark.django_db
def test_text_beyond_latin_1_in_the_header_gets_401(client):
    response = client.get(FORCES, HTTP_AUTHORIZATION="Bearer abc\u202edefgh.secret")
    assert response.status_code == 401


def raw_get(live_server, path: str, header: bytes) -> bytes:
    """One HTTP/1.0 request sent byte for byte (http.client refuses control characters)."""
    import socket
    from urllib.parse import urlsplit

    address = urlsplit(live_server.url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(
            b"GET " + path.encode() + b" HTTP/1.0\r\nHost: localhost\r\n"
            b"Authorization: " + header + b"\r\n\r\n"
        )
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("header", CONTROL_KEYS.values(), ids=CONTROL_KEYS.keys())
def test_a_key_with_control_characters_gets_401_from_a_live_server(live_server, header):
    """Through a real WSGI server (runserver's), where headers arrive as Latin-1 text."""
    response = raw_get(live_server, FORCES, header)
    status_line = response.split(b"\r\n", 1)[0]
    assert b" 401 " in status_line, response[:300]
    assert b'"The API key is not valid."' in response
