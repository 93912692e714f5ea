from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    EXPERIENCED = "experienced", "Experienced"
    COMPLETED = "completed", "Completed"
    ANSWERED = "answered", "Answered"


class ProgressStatus(models.IntegerChoices):
    """Ordered so that progress can only move forward: GREATEST(old, new)."""

    NOT_STARTED = 0, _("Not started")
    IN_PROGRESS = 1, _("In progress")
    COMPLETED = 2, _("Completed")


class ProgressEvent(models.Model):
    """Append-only ledger of what a learner did. The client's UUID is the idempotency key."""

    id = models.UUIDField(primary_key=True, editable=False)
    # No index of its own on learner: event_learner_recorded_idx starts with it (see Meta).
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="progress_events",
        db_index=False,
    )
    # Indexed by event_force_recorded_idx, which starts with it (see Meta).
    force = models.ForeignKey(
        "courses.Force",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        help_text=_("The learner's force when the event happened."),
    )
    module = models.ForeignKey("courses.ModulePage", on_delete=models.PROTECT, related_name="+")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.PROTECT, related_name="+")
    verb = models.CharField(max_length=20, choices=Verb.choices)
    result = models.JSONField(default=dict, blank=True)
    body_hash = models.CharField(
        max_length=64, help_text=_("SHA-256 of the canonical request body, to tell replays apart.")
    )
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Set on the event that completed its module: the id of the module's own xAPI statement
    # (passed, or completed for a module without checks), sent after the event's statement.
    module_statement_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # With it, the module's score at that moment (none for a module without checks): a
    # statement must say the same thing each time it is built.
    module_score = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["learner", "recorded_at"], name="event_learner_recorded_idx"),
            models.Index(fields=["recorded_at"], name="event_recorded_idx"),
            # A force's statements in stored order (the xAPI Statement Resource's pages):
            # WHERE force = ? ORDER BY recorded_at, id. It replaces the foreign key's own index.
            models.Index(fields=["force", "recorded_at"], name="event_force_recorded_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.verb} {self.id}"


class LessonProgress(models.Model):
    """One row per (learner, lesson): where a learner is in a lesson and their best score."""

    learner = models.ForeignKey(  # indexed by lessonprogress_unique, which starts with it
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="lesson_progress",
        db_index=False,
    )
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.PROTECT, related_name="+")
    module = models.ForeignKey("courses.ModulePage", on_delete=models.PROTECT, related_name="+")
    force = models.ForeignKey(
        "courses.Force", null=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.PositiveSmallIntegerField(
        choices=ProgressStatus.choices, default=ProgressStatus.NOT_STARTED
    )
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "lesson"], name="lessonprogress_unique"),
            models.CheckConstraint(condition=Q(status__lte=2), name="lessonprogress_status_valid"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100),
                name="lessonprogress_score_range",
            ),
        ]
        indexes = [models.Index(fields=["learner", "module"], name="lessonprogress_learner_mod")]

    def __str__(self) -> str:
        return f"Lesson progress {self.pk}"


class ModuleProgress(models.Model):
    """One row per (learner, module): what reports read. Never moves backwards."""

    learner = models.ForeignKey(  # indexed by moduleprogress_unique, which starts with it
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="module_progress",
        db_index=False,
    )
    module = models.ForeignKey("courses.ModulePage", on_delete=models.PROTECT, related_name="+")
    force = models.ForeignKey(  # indexed by the three force indexes in Meta, which start with it
        "courses.Force",
        null=True,
        on_delete=models.PROTECT,
        related_name="module_progress",
        db_index=False,
    )
    status = models.PositiveSmallIntegerField(
        choices=ProgressStatus.choices, default=ProgressStatus.NOT_STARTED
    )
    lessons_completed = models.PositiveSmallIntegerField(default=0)
    lessons_total = models.PositiveSmallIntegerField(default=0)
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Best knowledge-check score, percent.")
    )
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The module revision the learner completed."),
    )
    # Unique among issued codes (moduleprogress_certificate_unique): a partial index over the
    # completed rows only, not one entry (twice, with the pattern index) for every row.
    certificate_code = models.CharField(max_length=32, null=True, blank=True)
    # The enrolment: a required module (from the learner's role pathway) has a row from the
    # moment the learner is enrolled, not started until they open it.
    required = models.BooleanField(
        default=False, help_text=_("Required by the pathway of the learner's role.")
    )
    enrolled_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "module"], name="moduleprogress_unique"),
            models.CheckConstraint(condition=Q(status__lte=2), name="moduleprogress_status_valid"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100),
                name="moduleprogress_score_range",
            ),
            models.CheckConstraint(
                condition=Q(status__lt=2) | Q(completed_at__isnull=False),
                name="moduleprogress_completed_has_time",
            ),
            models.UniqueConstraint(
                fields=["certificate_code"],
                condition=Q(certificate_code__isnull=False),
                name="moduleprogress_certificate_unique",
                violation_error_message="This certificate code is already in use.",
            ),
        ]
        indexes = [
            # Summary: GROUP BY module, status WHERE force = ?
            models.Index(fields=["force", "module", "status"], name="moduleprogress_summary_idx"),
            # Completions list: WHERE force = ? ORDER BY id (cursor pagination).
            models.Index(fields=["force", "id"], name="moduleprogress_force_id_idx"),
            models.Index(fields=["force", "completed_at"], name="moduleprogress_force_done_idx"),
            # The lead's dashboard, "active in the last 30 days": WHERE force = ? AND
            # updated_at >= ? AND status >= 1 (enrolled but not started rows are not activity).
            models.Index(
                fields=["force", "updated_at"],
                condition=Q(status__gte=1),
                name="moduleprogress_force_upd_idx",
            ),
            # Overdue and due-soon: WHERE force = ? AND required AND status < 2 AND due_at < ?
            models.Index(
                fields=["force", "due_at"],
                condition=Q(required=True, status__lt=2),
                name="moduleprogress_due_idx",
            ),
            # Required and overdue per module: WHERE force = ? AND required GROUP BY module,
            # read from the index alone (status and due_at decide overdue).
            models.Index(
                fields=["force", "module", "due_at", "status"],
                condition=Q(required=True),
                name="moduleprogress_required_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Module progress {self.pk}"


class KnowledgeCheckResult(models.Model):
    """Best result per (learner, lesson, knowledge-check block): retries keep the best."""

    learner = models.ForeignKey(  # indexed by checkresult_unique, which starts with it
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="check_results",
        db_index=False,
    )
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.PROTECT, related_name="+")
    module = models.ForeignKey("courses.ModulePage", on_delete=models.PROTECT, related_name="+")
    block_id = models.CharField(max_length=64)
    best_score = models.PositiveSmallIntegerField(default=0)
    last_score = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "lesson", "block_id"], name="checkresult_unique"
            ),
            models.CheckConstraint(condition=Q(best_score__lte=100), name="checkresult_best_range"),
        ]
        indexes = [models.Index(fields=["learner", "module"], name="checkresult_learner_mod")]

    def __str__(self) -> str:
        return f"Check result {self.pk}"


class ForceModuleSummary(models.Model):
    """Running totals of ModuleProgress rows per (force, module), for the force summary report.

    Written only by courses.progress.totals, which every writer of ModuleProgress rows (the
    progress engine, moving a learner, bulk loads) calls in its own transaction, so the
    totals stay exact. The largest force's summary then reads 30 rows instead of counting
    600,000.
    """

    # Indexed by forcemodulesummary_unique, which starts with it.
    force = models.ForeignKey(
        "courses.Force", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    module = models.ForeignKey("courses.ModulePage", on_delete=models.CASCADE, related_name="+")
    in_progress = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    scored = models.PositiveIntegerField(default=0, help_text=_("Rows with a score."))
    score_total = models.PositiveBigIntegerField(default=0, help_text=_("Sum of those scores."))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["force", "module"], name="forcemodulesummary_unique")
        ]

    def __str__(self) -> str:
        return f"Force module summary {self.pk}"
