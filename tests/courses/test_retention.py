"""The retention command removes old ledger events and leaves every aggregate as it was."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from courses import selectors, services
from courses.models import KnowledgeCheckResult, LessonProgress, ModuleProgress, ProgressEvent, Verb
from tests.conftest import complete_module
from tests.factories import force, learner


@pytest.fixture
def old_and_new_events(module_tree):
    user = learner("met")
    complete_module(user, module_tree)
    # The lesson events are "old": recorded 400 days ago; the answer is recent.
    ProgressEvent.objects.exclude(verb=Verb.ANSWERED).update(
        recorded_at=timezone.now() - timedelta(days=400)
    )
    return user


def aggregates():
    return (
        list(ModuleProgress.objects.values().order_by("pk")),
        list(LessonProgress.objects.values().order_by("pk")),
        list(KnowledgeCheckResult.objects.values().order_by("pk")),
        selectors.force_summary(force=force("met")),
    )


@override_settings(PROGRESS_EVENT_RETENTION_DAYS=365)
def test_old_events_go_and_aggregates_stay(old_and_new_events, capsys):
    before = aggregates()
    call_command("purge_progress_events")
    assert "Deleted 3 progress event(s)" in capsys.readouterr().out
    assert list(ProgressEvent.objects.values_list("verb", flat=True)) == [Verb.ANSWERED]
    assert aggregates() == before


@override_settings(PROGRESS_EVENT_RETENTION_DAYS=365)
def test_dry_run_counts_and_deletes_nothing(old_and_new_events, capsys):
    call_command("purge_progress_events", "--dry-run")
    assert "Would delete 3 progress event(s)" in capsys.readouterr().out
    assert ProgressEvent.objects.count() == 4


def test_days_option_overrides_the_setting(old_and_new_events, capsys):
    call_command("purge_progress_events", "--days", "500")
    assert "Deleted 0 progress event(s)" in capsys.readouterr().out
    assert ProgressEvent.objects.count() == 4


def test_running_twice_is_harmless(old_and_new_events, capsys):
    call_command("purge_progress_events", "--days", "30")
    call_command("purge_progress_events", "--days", "30")
    assert "Deleted 0 progress event(s)" in capsys.readouterr().out.splitlines()[-1]
    assert ProgressEvent.objects.count() == 1


def test_purges_in_batches(old_and_new_events, monkeypatch):
    monkeypatch.setattr(services.learners, "PURGE_BATCH_SIZE", 2)
    deleted = services.progress_events_purge(older_than=timezone.now() - timedelta(days=30))
    assert deleted == 3
    assert ProgressEvent.objects.count() == 1


def test_a_retention_period_under_a_day_is_refused(db):
    with pytest.raises(CommandError, match="at least 1 day"):
        call_command("purge_progress_events", "--days", "0")
