"""How app servers hold PostgreSQL connections, read from fresh processes."""

import pytest

from tests.cms.test_settings import manage, production_env

POSTGRES = "postgres://postgres@127.0.0.1:5432/not_opened"
PRINT = (
    "from django.conf import settings; d = settings.DATABASES['default'];"
    "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
)


def connection_settings(**env) -> tuple[str, str]:
    done = manage("shell", "-c", PRINT, **env)
    assert done.returncode == 0, done.stderr
    max_age, health_checks = done.stdout.strip().splitlines()[-1].split()
    return max_age, health_checks


def test_the_dev_server_keeps_no_connection_per_thread():
    """runserver is threaded: kept connections, one per thread, exhausted PostgreSQL's slots."""
    assert connection_settings(
        DJANGO_SETTINGS_MODULE="cms.settings.dev", DATABASE_URL=POSTGRES, CONN_MAX_AGE="60"
    ) == ("0", "False")


def test_kept_connections_are_checked_before_reuse_by_default(tmp_path):
    """A database restart must not cost the next request on each kept connection a 500."""
    env = production_env(tmp_path, DATABASE_URL=POSTGRES, CONN_MAX_AGE=None)
    assert connection_settings(**env, CONN_HEALTH_CHECKS=None) == ("60", "True")


@pytest.mark.parametrize(
    ("max_age", "checks", "expected"),
    [("60", "false", ("60", "False")), ("0", None, ("0", "False")), ("0", "true", ("0", "True"))],
)
def test_health_checks_and_connection_age_are_settable(tmp_path, max_age, checks, expected):
    env = production_env(tmp_path, DATABASE_URL=POSTGRES)
    assert connection_settings(**env, CONN_MAX_AGE=max_age, CONN_HEALTH_CHECKS=checks) == expected
