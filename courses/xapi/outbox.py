"""The outbox: what each force's LRS is owed, written with the events themselves.

`outbox_add()` is called by the progress engine inside the transaction that appends the
events, so an event and its outbox row are committed together or not at all; sending
happens later, outside any learner's request (courses.xapi.delivery).
"""

from collections.abc import Iterable

from django.utils import timezone

from courses.models import LrsConnection, OutboxState, ProgressEvent, XapiOutbox


def outbox_connection_id(force_id: int | None) -> int | None:
    """The id of the force's LRS connection, or None (one query). A paused connection still
    queues: what it is owed is sent once it is enabled again."""
    if force_id is None:
        return None
    return LrsConnection.objects.filter(force_id=force_id).values_list("id", flat=True).first()


def outbox_add(*, connection_id: int, events: Iterable[ProgressEvent]) -> None:
    """Queue new events for the connection's LRS (one INSERT, due at once)."""
    now = timezone.now()
    XapiOutbox.objects.bulk_create(
        [
            XapiOutbox(connection_id=connection_id, event=event, next_attempt_at=now)
            for event in events
        ]
    )


def outbox_cancel_for_learner(user) -> int:
    """Stop sending anything more for a learner (their data is being erased): their entries
    not yet sent are cancelled. Returns how many."""
    return XapiOutbox.objects.filter(
        event__learner=user, state__in=[OutboxState.PENDING, OutboxState.DEAD]
    ).update(state=OutboxState.CANCELLED, last_answer="Not sent: the learner's data was erased.")
