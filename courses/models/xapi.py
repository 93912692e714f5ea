"""xAPI delivery: a force's own Learning Record Store (LRS) and the outbox of what it is owed.

Statements are never stored here: they are built from the ledger (courses.xapi.statements)
when they are read or sent, so the outbox holds one small row per progress event to send.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

env_name_validator = RegexValidator(
    r"^[A-Z][A-Z0-9_]{0,99}$",
    "Enter the name of an environment variable: capital letters, digits and underscores, "
    "such as LRS_SECRET_MET.",
)


class XapiVersion(models.TextChoices):
    V1_0_3 = "1.0.3", "xAPI 1.0.3"
    V2_0_0 = "2.0.0", "xAPI 2.0.0 (IEEE 9274.1.1)"


class ActorFormat(models.TextChoices):
    # Short labels: a select is as wide as its longest label, and must fit a 360 px screen.
    # What each means is the field's help text.
    ACCOUNT = "account", _("Opaque account id")
    MBOX = "mbox", _("Work email address")


class LrsConnection(models.Model):
    """Where a force's statements are delivered, and how the platform signs in there."""

    force = models.OneToOneField(
        "courses.Force", on_delete=models.CASCADE, related_name="lrs_connection"
    )
    enabled = models.BooleanField(
        default=True,
        help_text=_("Untick to pause delivery. Progress is still queued and sent once ticked."),
    )
    endpoint = models.URLField(
        max_length=300,
        help_text=_(
            "The LRS's xAPI endpoint, the address that /statements and /about follow, "
            "such as https://lrs.example.police.uk/xAPI/."
        ),
    )
    xapi_version = models.CharField(
        max_length=5,
        choices=XapiVersion.choices,
        default=XapiVersion.V1_0_3,
        verbose_name=_("xAPI version"),
        help_text=_("Most stores speak 1.0.3; choose 2.0.0 only if the LRS says it supports it."),
    )
    actor_format = models.CharField(
        max_length=10,
        choices=ActorFormat.choices,
        default=ActorFormat.ACCOUNT,
        help_text=_(
            "How learners are named in statements sent to this LRS. Opaque account id "
            "(recommended): a random id per learner, so no email address leaves the platform. "
            "Work email address: each learner's email, as a mailto: address."
        ),
    )
    username = models.CharField(
        max_length=200, help_text=_("The LRS key or username (HTTP Basic authentication).")
    )
    # A Fernet token (courses.encryption); never shown again once saved.
    secret_encrypted = models.TextField(blank=True, editable=False)
    secret_env = models.CharField(
        max_length=100,
        blank=True,
        validators=[env_name_validator],
        verbose_name=_("secret from environment variable"),
        help_text=_(
            "Instead of storing the secret here, name the environment variable that "
            "holds it on the servers."
        ),
    )
    batch_size = models.PositiveSmallIntegerField(
        default=50, help_text=_("Statements sent per request (1 to 500).")
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("LRS connection")
        constraints = [
            models.CheckConstraint(
                condition=Q(batch_size__gte=1) & Q(batch_size__lte=500),
                name="lrsconnection_batch_size_range",
            )
        ]

    def __str__(self) -> str:
        return f"LRS for {self.force_id}"


class OutboxState(models.IntegerChoices):
    PENDING = 0, _("Waiting to be sent")
    SENT = 1, _("Sent")
    DEAD = 2, _("Failed: needs a retry")
    CANCELLED = 3, _("Not sent: the learner's data was erased")


class XapiOutbox(models.Model):
    """One progress event owed to a force's LRS (its statements are built when sent).

    Written in the same transaction as the event (courses.xapi.outbox), so an event is never
    recorded without its row, nor a row without its event; sent at least once by
    courses.xapi.delivery, which never holds a learner's request.
    """

    # Every progress POST of a connected force inserts a row here, so it carries as few
    # indexes as its readers need: the unique (event, connection) serves the event's foreign
    # key (a purge of old events), and the two partial indexes the sender and the dead
    # letters. Deleting a connection, rare, reads the table through none of them.
    connection = models.ForeignKey(
        LrsConnection, on_delete=models.CASCADE, related_name="outbox", db_index=False
    )
    event = models.ForeignKey(
        "courses.ProgressEvent", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    state = models.PositiveSmallIntegerField(
        choices=OutboxState.choices, default=OutboxState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_status = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("The LRS's last HTTP status (none: no answer).")
    )
    last_answer = models.TextField(
        blank=True, help_text=_("The LRS's last answer, or why there was none (shortened).")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("xAPI outbox entry")
        verbose_name_plural = _("xAPI outbox")
        constraints = [
            models.UniqueConstraint(fields=["event", "connection"], name="xapioutbox_unique"),
            models.CheckConstraint(condition=Q(state__lte=3), name="xapioutbox_state_valid"),
        ]
        indexes = [
            # The sender: WHERE state = pending AND next_attempt_at <= now ORDER BY id.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(state=0),
                name="xapioutbox_due_idx",
            ),
            # The admin's dead letters per connection.
            models.Index(
                fields=["connection", "id"], condition=Q(state=2), name="xapioutbox_dead_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"xAPI outbox entry {self.pk}"
