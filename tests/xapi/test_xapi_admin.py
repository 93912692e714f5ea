"""The administrators' xAPI delivery screens (courses.xapi_admin): who may see them, the
connections with their counts, the write-only secret, validation, the connection test, and
the failed deliveries with their retry."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import xapi_admin
from courses.models import AuditAction, AuditEvent, LrsConnection, OutboxState, XapiOutbox
from courses.xapi.delivery import deliver_due
from courses.xapi.secrets import decrypt
from tests.factories import UserFactory, force, learner, training_lead
from tests.faults.servers import free_port
from tests.xapi.scripted_lrs import Reply, ScriptedLrs
from tests.xapi.test_delivery import SECRET, USERNAME, connect, record

pytestmark = pytest.mark.django_db

INDEX = reverse("courses_xapi_delivery")
# Session, user, Wagtail's furniture (user profile, locales, the forces of the dashboard's menu
# item, the explorer's pages: 5), and the one grouped query of the connections, whose newest
# retrying entry's status and answer are subqueries of it: 8 for any number of connections.
LISTING_QUERIES = 8
ADD = reverse("courses_xapi_connection_add")


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def lrs():
    with ScriptedLrs(credentials=(USERNAME, SECRET)) as server:
        yield server


def form_data(**overrides) -> dict:
    data = {
        "force": force("met").pk,
        "enabled": "on",
        "endpoint": "https://lrs.met.example/xAPI/",
        "xapi_version": "1.0.3",
        "actor_format": "account",
        "username": USERNAME,
        "secret": SECRET,
        "secret_env": "",
        "batch_size": "50",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def assert_refused(response, url):
    """Wagtail's admin answers PermissionDenied with a redirect home and a message."""
    assert (response.status_code, response.get("Location")) == (302, "/admin/"), url


def test_only_administrators_see_the_screens_and_the_menu_item(client, module_tree):
    connection = connect("https://lrs.met.example/xAPI/")
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    urls = [
        INDEX,
        ADD,
        reverse("courses_xapi_connection_edit", args=[connection.pk]),
        reverse("courses_xapi_dead_letters", args=[connection.pk]),
    ]
    for user in (training_lead("met"), editor):
        client.force_login(user)
        for url in urls:
            assert_refused(client.get(url), url)
        for url in (urls[3], reverse("courses_xapi_connection_test", args=[connection.pk])):
            assert_refused(client.post(url, {"action": "all"}), url)
        assert "xapi-delivery" not in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert INDEX in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_listing_shows_each_connection_with_its_counts_in_one_query(
    admin_client, module_tree, settings
):
    settings.XAPI_MAX_ATTEMPTS = 1
    with ScriptedLrs() as lrs:
        connect(lrs.endpoint, batch_size=1)
        record(learner("met"), module_tree, 3)
        lrs.script = [Reply(500)]
        deliver_due()  # one dead, the others wait for the next pass
        deliver_due()  # sends the two others
    record(learner("met"), module_tree, 1)  # waiting

    def listing_queries() -> tuple[int, str]:
        with CaptureQueriesContext(db_connection) as queries:
            response = admin_client.get(INDEX)
        assert response.status_code == 200
        return len(queries), response.content.decode()

    listing_queries()  # the first request after sign-in refreshes the session
    count, html = listing_queries()
    connection = LrsConnection.objects.get()
    dead_url = reverse("courses_xapi_dead_letters", args=[connection.pk])
    assert force("met").name in html and connection.endpoint in html
    # Waiting 1, sent 2, failed 1 (linked to the failed deliveries).
    assert "<td>1</td>\n" in html and "<td>2</td>\n" in html
    assert f'<a href="{dead_url}">1</a>' in html
    assert SECRET not in html
    connect("https://lrs.gmp.example/xAPI/", "gmp")
    connect("https://lrs.wmp.example/xAPI/", "west-midlands")
    assert listing_queries()[0] == count  # the counts of any number of forces: one query


def test_the_listing_query_count_is_pinned(admin_client, module_tree, django_assert_num_queries):
    # Three connections, two of them with entries that failed once (nothing listens there).
    for code in ("met", "gmp"):
        connect(f"http://127.0.0.1:{free_port()}/xAPI/", code)
        record(learner(code), module_tree, 2)
    connect("https://lrs.wmp.example/xAPI/", "west-midlands")
    assert deliver_due().failed == 4
    admin_client.get(INDEX)

    with django_assert_num_queries(LISTING_QUERIES):
        response = admin_client.get(INDEX)

    assert response.status_code == 200
    assert response.content.decode().count("No answer: ") == 2


def test_the_listing_shows_what_is_retrying_and_the_lrss_latest_answer(admin_client, module_tree):
    with ScriptedLrs() as lrs:
        connect(lrs.endpoint, batch_size=1)
        record(learner("met"), module_tree, 3)
        lrs.script = [Reply(503, "The store is being restarted")]
        assert deliver_due().failed == 1  # the oldest entry; the pass stops there
        lrs.script = [Reply(502, "Bad gateway: " + "upstream " * 40)]
        assert deliver_due().failed == 1  # the next one (the oldest waits for its backoff)
    connect("https://lrs.gmp.example/xAPI/", "gmp")

    html = admin_client.get(INDEX).content.decode()
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    rows = {row.split("</a>")[0].rsplit(">", 1)[1]: row for row in body.split("<tr>")[1:]}
    met, gmp = rows[force("met").name], rows[force("gmp").name]

    # Waiting 3, of which 2 are retrying; the newest of those carries the latest answer,
    # shortened; the connection with nothing retrying shows no failure.
    cells = [cell.split("</td>")[0] for cell in met.split("<td")[1:]]
    assert (cells[5], cells[6]) == (">3", ">2")
    assert cells[7].startswith(' class="xapi-answer">502: Bad gateway: upstream')
    assert cells[7].endswith("…") and len(cells[7]) < 160
    assert "The store is being restarted" not in html
    assert '<td class="xapi-answer">None</td>' in gmp


def test_the_form_names_the_xapi_version_and_explains_the_short_actor_formats(admin_client):
    html = admin_client.get(ADD).content.decode()

    assert ">\n            xAPI version<" in html and "XAPI" not in html
    assert ">Opaque account id</option>" in html and ">Work email address</option>" in html
    assert "Opaque account id (recommended): a random id per learner" in html


def test_adding_a_connection_stores_the_secret_encrypted_and_never_shows_it(admin_client):
    response = admin_client.post(ADD, form_data())
    connection = LrsConnection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("courses_xapi_connection_edit", args=[connection.pk])
    assert decrypt(connection.secret_encrypted) == SECRET
    assert SECRET not in connection.secret_encrypted

    page = admin_client.get(response["Location"]).content.decode()
    assert SECRET not in page and connection.secret_encrypted not in page
    assert "Leave blank to keep the saved secret." in page
    audit = AuditEvent.objects.get(action=AuditAction.LRS_CONNECTION_SAVED)
    assert (audit.force_code, audit.user_id) == ("met", int(admin_client.session["_auth_user_id"]))


def test_a_blank_secret_keeps_the_saved_one_and_an_environment_variable_replaces_it(
    admin_client,
):
    admin_client.post(ADD, form_data())
    connection = LrsConnection.objects.get()
    edit = reverse("courses_xapi_connection_edit", args=[connection.pk])

    assert (
        admin_client.post(edit, form_data(force=None, secret="", batch_size="10")).status_code
        == 302
    )
    connection.refresh_from_db()
    assert (connection.batch_size, decrypt(connection.secret_encrypted)) == (10, SECRET)

    admin_client.post(edit, form_data(force=None, secret="", secret_env="LRS_SECRET_MET"))
    connection.refresh_from_db()
    assert (connection.secret_env, connection.secret_encrypted) == ("LRS_SECRET_MET", "")
    assert AuditEvent.objects.filter(action=AuditAction.LRS_CONNECTION_SAVED).count() == 3


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"endpoint": "http://lrs.met.example/xAPI/"}, "endpoint", "Use an https:// address"),
        ({"endpoint": "https://u:p@lrs.met.example/"}, "endpoint", "not in the address"),
        ({"endpoint": "not a url"}, "endpoint", "Enter a valid URL."),
        ({"batch_size": "0"}, "batch_size", "Send at least 1 statement per request."),
        ({"batch_size": "501"}, "batch_size", "Send at most 500 statements per request"),
        ({"secret": ""}, "secret", "Enter the LRS secret, or name the environment variable"),
        ({"secret_env": "LRS_SECRET"}, "secret", "not both"),
        ({"secret": "", "secret_env": "lower-case"}, "secret_env", "capital letters"),
        ({"username": ""}, "username", "Enter the username or key the LRS gave you."),
        ({"force": None}, "force", "Choose the force whose statements this LRS receives."),
    ],
)
def test_bad_settings_are_refused_with_a_message_and_nothing_saved(
    admin_client, overrides, field, message
):
    response = admin_client.post(ADD, form_data(**overrides))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    assert message.split(",")[0] in response.content.decode().replace("&#x27;", "'")
    assert SECRET not in response.content.decode()  # not even back into the form
    assert not LrsConnection.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.LRS_CONNECTION_SAVED).exists()


def test_plain_http_is_allowed_for_an_lrs_on_this_machine(admin_client):
    for host in ("localhost", "127.0.0.1", "[::1]"):
        LrsConnection.objects.all().delete()
        response = admin_client.post(ADD, form_data(endpoint=f"http://{host}:8100/xAPI/"))
        assert response.status_code == 302, host


def test_the_connection_test_button_says_whether_the_lrs_answers(admin_client, lrs):
    connection = connect(lrs.endpoint)
    test_url = reverse("courses_xapi_connection_test", args=[connection.pk])

    page = admin_client.post(test_url, follow=True).content.decode()
    assert "Connected: the LRS accepted the username and secret." in page
    assert admin_client.get(test_url).status_code == 405  # POST only

    lrs.credentials = (USERNAME, "another")
    page = admin_client.post(test_url, follow=True).content.decode()
    assert "The LRS refused the username or secret (401)" in page
    assert SECRET not in page


def test_failed_deliveries_show_the_learners_xapi_id_and_can_be_retried(
    admin_client, module_tree, settings
):
    settings.XAPI_MAX_ATTEMPTS = 1
    user = learner("met", user__email="sam.okafor@met.demo.example")
    with ScriptedLrs() as lrs:
        connection = connect(lrs.endpoint)
        record(user, module_tree, 3)
        lrs.script = [Reply(500, "The store is full")]
        assert deliver_due().dead == 3
    record(user, module_tree, 1)
    page_url = reverse("courses_xapi_dead_letters", args=[connection.pk])

    html = admin_client.get(page_url).content.decode()
    assert str(user.learner_profile.xapi_id) in html
    assert "The store is full" in html and "500" in html
    assert "1 progress event waiting to be sent" in html  # events: a row is one, not a statement
    assert user.email not in html and user.first_name not in html

    [first, *others] = XapiOutbox.objects.filter(state=OutboxState.DEAD).order_by("pk")
    response = admin_client.post(page_url, {"action": "selected", "entry": [first.pk]})
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.state, first.attempts) == (OutboxState.PENDING, 0)
    assert XapiOutbox.objects.filter(state=OutboxState.DEAD).count() == 2

    page = admin_client.post(page_url, {"action": "selected"}, follow=True).content.decode()
    assert "Choose at least one failed delivery to retry." in page
    assert admin_client.post(page_url, {"action": "selected", "entry": ["x"]}).status_code == 400
    assert admin_client.post(page_url, {"action": "everything"}).status_code == 400

    page = admin_client.post(page_url, {"action": "all"}, follow=True).content.decode()
    assert "2 failed deliveries will be sent again." in page
    assert not XapiOutbox.objects.filter(state=OutboxState.DEAD).exists()
    audits = AuditEvent.objects.filter(action=AuditAction.LRS_RETRY)
    assert list(audits.values_list("force_code", flat=True)) == ["met", "met"]


def test_failed_deliveries_are_paginated(admin_client, module_tree, settings, monkeypatch):
    settings.XAPI_MAX_ATTEMPTS = 1
    connection = connect(f"http://127.0.0.1:{free_port()}/xAPI/")  # nothing listens there
    record(learner("met"), module_tree, 3)
    assert deliver_due().dead == 3
    monkeypatch.setattr(xapi_admin, "DEAD_LETTERS_PER_PAGE", 2)
    page_url = reverse("courses_xapi_dead_letters", args=[connection.pk])

    first = admin_client.get(page_url).content.decode()
    second = admin_client.get(page_url + "?p=2").content.decode()

    assert first.count('name="entry"') == 2
    assert "Page 1 of 2" in first and "Next page" in first
    assert second.count('name="entry"') == 1
