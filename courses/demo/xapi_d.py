"""Demo xAPI delivery, for seed_demo: a paused LRS connection for the first demo force.

The connection points at a Ralph LRS on this machine (docs/xapi.md says how to start one with
these credentials) and is paused, so nothing is sent until an administrator ticks "enabled";
meanwhile the outbox fills as the force's demo learners progress, and the admin's xAPI
delivery screens have a connection and a queue to show. Idempotent: a connection the force
already has (perhaps edited since) is left as it is.
"""

from courses.models import ActorFormat, LrsConnection, XapiVersion
from courses.xapi.secrets import encrypt

ENDPOINT = "http://127.0.0.1:8765/xAPI/"
USERNAME = "damatters-demo"
# A demo credential, for a local Ralph only (seed_demo refuses to run in production); stored
# encrypted like any other secret.
SECRET = "demo-lrs-secret"  # noqa: S105


def seed(*, forces, admin) -> LrsConnection | None:
    """The first demo force's LRS connection (none without a demo force): made paused on
    the first run, found on later ones."""
    if not forces:
        return None
    connection, _ = LrsConnection.objects.get_or_create(
        force=forces[0],
        defaults={
            "enabled": False,
            "endpoint": ENDPOINT,
            "xapi_version": XapiVersion.V1_0_3,
            "actor_format": ActorFormat.ACCOUNT,
            "username": USERNAME,
            "secret_encrypted": encrypt(SECRET),
            "batch_size": 50,
            "updated_by": admin,
        },
    )
    return connection
