"""courses.W001: `manage.py check` names every active force without an email domain."""

import os
import subprocess
import sys
from pathlib import Path

from django.core import checks

from courses.checks import force_email_domains_check
from courses.models import Force, ForceEmailDomain
from tests.factories import force

ROOT = Path(__file__).resolve().parents[2]


def warned_forces() -> list[str]:
    return [message.msg for message in force_email_domains_check()]


def test_each_active_force_without_a_domain_is_named(db):
    messages = force_email_domains_check()
    active = Force.objects.filter(is_active=True).count()
    assert len(messages) == active >= 45  # the forces loaded by migration come with none
    assert all(m.id == "courses.W001" and m.level == checks.WARNING for m in messages)
    met = next(m for m in messages if "Metropolitan Police Service" in m.msg)
    assert met.msg == "The active force 'Metropolitan Police Service' has no email domain."
    assert "Police forces > Metropolitan Police Service > Email domains" in met.hint


def test_a_domain_or_deactivation_silences_it(db):
    met, gmp = force("met"), force("gmp")
    ForceEmailDomain.objects.create(force=met, domain="met.police.uk")
    Force.objects.filter(pk=gmp.pk).update(is_active=False)
    names = "\n".join(warned_forces())
    assert met.name not in names
    assert gmp.name not in names


def test_the_check_is_registered(db):
    ids = {message.id for message in checks.run_checks()}
    assert "courses.W001" in ids


def test_check_before_migrate_does_not_crash(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "courses.W001" not in done.stdout + done.stderr
