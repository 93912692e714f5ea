"""Hand-built rows (completions, progress results) write times exactly as DRF would."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone
from rest_framework import serializers

from courses.api.representation import drf_time


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 1, 15, 9, 30, tzinfo=UTC),  # GMT: written with Z
        datetime(2026, 7, 1, 23, 30, 5, 123456, tzinfo=UTC),  # BST, with microseconds
        None,
    ],
)
def test_times_match_drf(moment):
    drf = serializers.DateTimeField().to_representation(moment) if moment else None
    assert drf_time(moment, timezone.get_current_timezone()) == drf
