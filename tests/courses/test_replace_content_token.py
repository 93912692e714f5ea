"""`manage.py replace_content_token`: the way to show a change that Django did not see."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from courses.models import ContentVersion, Testimony
from tests.factories import consented_testimony, learner

pytestmark = pytest.mark.django_db


def test_a_change_made_in_sql_shows_after_the_command(module_tree):
    # A testimony is kept in the lesson's shared fragment (a content warning is not: it renders
    # on every request, as it lists the learner's own force's services).
    item = consented_testimony("Robin, survivor")
    lesson = module_tree.lessons[0]
    lesson.body = [("testimony", item)]
    lesson.save_revision().publish()
    client = Client()
    client.force_login(learner("met"))
    assert "Robin, survivor" in client.get(lesson.url).content.decode()

    # As a change in SQL would: no signal, so the kept page is still the old one.
    Testimony.objects.filter(pk=item.pk).update(attribution="Robin, Pioneer-survivor")
    assert "Robin, Pioneer-survivor" not in client.get(lesson.url).content.decode()

    before = ContentVersion.current_token()
    out = StringIO()
    call_command("replace_content_token", stdout=out)

    assert ContentVersion.current_token() != before
    assert "every app server reads the course again" in out.getvalue()
    assert "Robin, Pioneer-survivor" in client.get(lesson.url).content.decode()
