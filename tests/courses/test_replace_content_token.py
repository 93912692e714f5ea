"""`manage.py replace_content_token`: the way to show a change that Django did not see."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from courses.models import ContentVersion, SupportService
from tests.factories import learner

pytestmark = pytest.mark.django_db


def test_a_change_made_in_sql_shows_after_the_command(module_tree):
    service = SupportService.objects.create(name="Wellbeing line", description="For staff.")
    lesson = module_tree.lessons[0]
    lesson.body = [
        ("content_warning", {"text": "<p>Coercive control.</p>", "support_services": [service]})
    ]
    lesson.save_revision().publish()
    client = Client()
    client.force_login(learner("met"))
    assert "Wellbeing line" in client.get(lesson.url).content.decode()

    # As a change in SQL would: no signal, so the kept page is still the old one.
    SupportService.objects.filter(pk=service.pk).update(name="Staff wellbeing line")
    assert "Staff wellbeing line" not in client.get(lesson.url).content.decode()

    before = ContentVersion.current_token()
    out = StringIO()
    call_command("replace_content_token", stdout=out)

    assert ContentVersion.current_token() != before
    assert "every app server reads the course again" in out.getvalue()
    assert "Staff wellbeing line" in client.get(lesson.url).content.decode()
