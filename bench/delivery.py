"""The progress POST with xAPI delivery on: what queueing an event for a force's LRS costs.

While the scenario runs, every force of the bench's signed-in learners has an enabled
LrsConnection, so each new event also writes its outbox row in the progress transaction
(courses.xapi.outbox). The connection points at the discard port on loopback, where nothing
listens, and no deliverer runs: the scenario measures the learner's request, never the
sending, which happens later in its own process (`manage.py deliver_xapi`).
"""

from contextlib import contextmanager

# Nothing listens there, and nothing is sent during the bench.
UNUSED_ENDPOINT = "http://127.0.0.1:9/xAPI/"
USERNAME = "bench"


def learners_forces(user_ids: list[int]) -> list[int]:
    """The ids of the forces the given learners belong to."""
    from courses.models import LearnerProfile

    forces = LearnerProfile.objects.filter(user_id__in=user_ids, force__isnull=False)
    return sorted(set(forces.values_list("force_id", flat=True)))


@contextmanager
def lrs_delivery(user_ids: list[int]):
    """Give the learners' forces an enabled LRS connection for the duration of the block;
    afterwards remove the connections made here, with the outbox rows queued for them (a
    force that already had a connection keeps it, untouched). Yields the connections' ids."""
    from courses.models import LrsConnection
    from courses.xapi.secrets import encrypt

    existing = set(LrsConnection.objects.values_list("force_id", flat=True))
    made = LrsConnection.objects.bulk_create(
        [
            LrsConnection(
                force_id=force_id,
                enabled=True,
                endpoint=UNUSED_ENDPOINT,
                username=USERNAME,
                secret_encrypted=encrypt("bench-secret-never-sent"),
            )
            for force_id in learners_forces(user_ids)
            if force_id not in existing
        ]
    )
    ids = [connection.pk for connection in made]
    try:
        yield ids
    finally:
        # Deleting a connection deletes its outbox rows (on_delete=CASCADE).
        LrsConnection.objects.filter(pk__in=ids).delete()
