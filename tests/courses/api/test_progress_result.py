"""The progress result is built by hand (courses.api.learner_serializers): it must be exactly
what DRF's declared fields would write, for every kind of result."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework import serializers

from courses.api.learner_serializers import ProgressResultSerializer
from courses.services import progress_record
from tests.factories import learner

pytestmark = pytest.mark.django_db


def drf(result) -> dict:
    """What DRF writes from the declared fields (the nested serializers use DRF's own code)."""
    return serializers.Serializer.to_representation(ProgressResultSerializer(), result)


def results(tree):
    officer = learner("met", user__date_joined=timezone.now() - timedelta(days=60))
    lessons = tree.lessons
    record = lambda lesson, verb, **kwargs: progress_record(  # noqa: E731
        learner=officer, event_id=uuid.uuid4(), lesson=lesson, verb=verb, **kwargs
    )
    yield record(lessons[0], "experienced")  # a new module row: no score, not completed
    yield record(  # sent from the device earlier (offline), with microseconds
        lessons[0], "completed", occurred_at=timezone.now() - timedelta(days=10, microseconds=7)
    )
    check = {"block_id": tree.check_block_id}
    yield record(lessons[-1], "answered", result={**check, "answers": [0]})  # wrong
    for lesson in lessons[1:]:
        record(lesson, "completed")
    completed = record(lessons[-1], "answered", result={**check, "answers": [1]})
    assert completed.module_progress.certificate_code  # completed: a certificate and a time
    yield completed
    replay = progress_record(
        learner=officer,
        event_id=completed.event.id,
        lesson=lessons[-1],
        verb="answered",
        result={**check, "answers": [1]},
    )
    assert replay.created is False
    yield replay


def test_every_kind_of_result_is_written_as_drf_would(module_tree):
    seen = 0
    for result in results(module_tree):
        assert ProgressResultSerializer(result).data == drf(result)
        assert ProgressResultSerializer([result], many=True).data == [drf(result)]
        assert ProgressResultSerializer.build(result) == drf(result)  # the view's own way
        seen += 1
    assert seen == 5
