"""seed_demo's refusals, and what it does from an empty database (tests/courses/test_seed_demo.py
shares one seeded database between its tests)."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from courses.models import ProgrammePage


def test_refuses_production(db, settings):
    settings.ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="refuses to run in production"):
        call_command("seed_demo", stdout=StringIO())
    assert not ProgrammePage.objects.exists()


def test_unknown_force_is_a_clear_error(db):
    with pytest.raises(CommandError, match="Unknown force code"):
        call_command("seed_demo", "--forces", "met,atlantis", stdout=StringIO())
    assert not ProgrammePage.objects.exists()


def test_demo_learners_have_names_for_their_certificates(db, home_page):
    call_command("seed_demo", learners_per_force=2, forces="met", stdout=StringIO())
    user = get_user_model().objects.get(email="learner2@met.demo.example")
    assert user.get_full_name() == "Sam Demo MET-2"
