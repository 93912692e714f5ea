"""The database unreachable or restarted, through real HTTP to the app under gunicorn.

Unreachable: every route answers 503 with Retry-After (the API as JSON, pages with the designed
page), never a 500. Restarted: the kept connections are checked before reuse, so the first
requests afterwards are served.
"""

import uuid

import pytest
from django.db import connection

from tests.faults.servers import database_url, free_port, get, gunicorn, post

UNREACHABLE_DATABASE = f"postgres://postgres@127.0.0.1:{free_port()}/nothing_listens"


@pytest.fixture(scope="module")
def app_without_database():
    with gunicorn(
        DJANGO_SETTINGS_MODULE="cms.settings.test", DATABASE_URL=UNREACHABLE_DATABASE
    ) as url:
        yield url


def assert_api_unavailable(response):
    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/json"
    assert "again" in response.json()["detail"]
    assert int(response.headers["Retry-After"]) > 0


def test_the_progress_api_answers_503_json_with_retry_after(app_without_database):
    response = post(
        f"{app_without_database}/api/v1/progress/",
        json={"id": str(uuid.uuid4()), "lesson": 1, "verb": "completed"},
        cookies={"sessionid": "0123456789abcdefghijklmnopqrstuv", "csrftoken": "a" * 32},
        headers={"X-CSRFToken": "a" * 32},
    )
    assert_api_unavailable(response)


def test_the_managers_api_answers_503_json_with_retry_after(app_without_database):
    response = get(
        f"{app_without_database}/api/v1/forces/",
        headers={"Authorization": "Bearer abcd1234.a-key-the-database-would-know"},
    )
    assert_api_unavailable(response)


@pytest.mark.parametrize(
    ("path", "signed_in"),
    # Signed in, the session is read before the view; signed out, the view reads the database.
    [
        (path, True)
        for path in ("/en-gb/", "/en-gb/my-learning/", "/en-gb/support/", "/accounts/login/")
    ]
    + [("/en-gb/", False), ("/en-gb/support/", False)],
)
def test_pages_answer_the_designed_503_page(app_without_database, path, signed_in):
    cookies = {"sessionid": "0123456789abcdefghijklmnopqrstuv"} if signed_in else {}
    response = get(f"{app_without_database}{path}", cookies=cookies)
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["Content-Type"].startswith("text/html")
    page = response.text
    assert "The training site is briefly unavailable" in page
    assert 'href="/en-gb/"' in page  # a way back
    assert "0808 2000 247" in page and 'href="/en-gb/support/"' in page  # support, even now
    assert "Traceback" not in page and "Server Error" not in page


def test_healthz_says_the_database_is_unavailable(app_without_database):
    response = get(f"{app_without_database}/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's backends")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_first_requests_after_a_database_restart_are_served():
    """Kill the app's PostgreSQL connection between requests, as a restart does: the next
    request on the kept connection must still be served (Django's CONN_HEALTH_CHECKS)."""
    with gunicorn(
        DJANGO_SETTINGS_MODULE="cms.settings.test", DATABASE_URL=database_url(), CONN_MAX_AGE="60"
    ) as url:
        for _ in range(2):
            assert get(f"{url}/healthz").status_code == 200
            assert get(f"{url}/api/v1/forces/", headers=BAD_KEY).status_code == 401
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                assert cursor.fetchone()[0] >= 1  # the app's kept connection
            assert get(f"{url}/api/v1/forces/", headers=BAD_KEY).status_code == 401
            assert get(f"{url}/healthz").status_code == 200


# Well-formed, so the key is looked up in the database (and is not there).
BAD_KEY = {"Authorization": "Bearer abcd1234.not-a-key"}
