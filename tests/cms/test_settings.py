"""Settings fail loudly and clearly; each case runs manage.py in a fresh process."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_VARS = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DEFAULT_FROM_EMAIL")


def manage(*args: str, **env_overrides: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_VARS}
    for key, value in env_overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(tmp_path, **overrides):
    values = {
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "training.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "DEFAULT_FROM_EMAIL": "DA Matters <training@training.example.org>",
    }
    values.update(overrides)
    return values


def test_production_refuses_to_start_without_any_secret(tmp_path):
    done = manage("check", DJANGO_SETTINGS_MODULE="cms.settings.production")
    assert done.returncode != 0
    assert "SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, DEFAULT_FROM_EMAIL" in done.stderr
    assert "Traceback" not in done.stderr


def test_production_names_each_missing_variable(tmp_path):
    for missing in PRODUCTION_VARS:
        env = production_env(tmp_path)
        env[missing] = None
        done = manage("check", **env)
        assert done.returncode != 0, missing
        assert missing in done.stderr
        assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "sender",
    ["DA Matters <no-reply@localhost>", "no-reply@localhost.localdomain", "training", "DA Matters"],
)
def test_production_refuses_a_sender_address_nobody_can_receive_from(tmp_path, sender):
    done = manage("check", **production_env(tmp_path, DEFAULT_FROM_EMAIL=sender))
    assert done.returncode != 0
    assert "DEFAULT_FROM_EMAIL must be a real sender address" in done.stderr
    assert "Traceback" not in done.stderr


def test_production_sends_from_the_configured_address(tmp_path):
    script = (
        "from django.conf import settings; "
        "print(settings.DEFAULT_FROM_EMAIL, settings.SERVER_EMAIL, sep='|')"
    )
    done = manage("shell", "-c", script, **production_env(tmp_path))
    assert done.returncode == 0, done.stderr
    sender = "DA Matters <training@training.example.org>"
    assert done.stdout.strip().splitlines()[-1] == f"{sender}|{sender}"


def test_production_rejects_a_short_secret_key(tmp_path):
    done = manage("check", **production_env(tmp_path, SECRET_KEY="short"))
    assert done.returncode != 0
    assert "SECRET_KEY must be at least 50" in done.stderr


def test_production_passes_deploy_checks_with_secrets(tmp_path):
    done = manage("check", "--deploy", "--fail-level", "WARNING", **production_env(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_unknown_database_scheme_is_one_clear_line():
    done = manage("check", DATABASE_URL="mysqlx://someone@db/training")
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "DATABASE_URL scheme 'mysqlx' is not supported" in lines[0]


def test_unreachable_database_is_one_clear_line():
    done = manage("migrate", DATABASE_URL="postgres://postgres@127.0.0.1:1/nowhere")
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("Database unreachable (check DATABASE_URL)")
