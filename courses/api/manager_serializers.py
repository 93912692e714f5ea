"""Output shapes for training managers. Read-only: managers never write through the API."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from courses import selectors
from courses.api.filters import STATUS_NAMES
from courses.api.representation import drf_time
from courses.models import Force, ModulePage, ModuleProgress, ProgressStatus


class ForceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Force
        fields = ["code", "name", "country"]


class ModuleSerializer(serializers.ModelSerializer):
    lessons = serializers.SerializerMethodField(
        help_text=(
            "Published lessons that count towards completing the module: a lesson behind a "
            "password or group restriction of its own is left out, as learners record no "
            "progress on it."
        )
    )

    estimated_minutes = serializers.SerializerMethodField(
        help_text="How long those lessons take, in minutes: the sum of their estimates."
    )

    class Meta:
        model = ModulePage
        fields = ["id", "slug", "title", "theme", "lessons", "pass_mark", "estimated_minutes"]

    def get_lessons(self, module) -> int:
        found = self.context["module_lessons"].get(module.pk)
        return found.count if found else 0

    def get_estimated_minutes(self, module) -> int:
        found = self.context["module_lessons"].get(module.pk)
        return found.minutes if found else 0


class ModuleSummarySerializer(serializers.Serializer):
    module = serializers.SlugField(source="module.slug", help_text="The module's slug.")
    title = serializers.CharField(source="module.title")
    learners = serializers.IntegerField(help_text="Learner profiles in the force.")
    not_started = serializers.IntegerField(
        help_text="Learners who have not started, including those with no progress at all."
    )
    in_progress = serializers.IntegerField()
    completed = serializers.IntegerField()
    completion_rate = serializers.FloatField(
        allow_null=True, help_text="Completed as a percentage of learners; null without learners."
    )
    average_score = serializers.FloatField(
        allow_null=True, help_text="Mean best knowledge-check score (percent) of scored learners."
    )
    required = serializers.IntegerField(
        help_text="Learners whose role's pathway requires the module, completed or not."
    )
    overdue = serializers.IntegerField(
        help_text="Of those, learners who have not completed it and are past its due date."
    )


class ForceTotalsSerializer(serializers.Serializer):
    learners = serializers.IntegerField()
    not_started = serializers.IntegerField(help_text="Summed over modules.")
    in_progress = serializers.IntegerField(help_text="Summed over modules.")
    completed = serializers.IntegerField(help_text="Module completions, summed over modules.")
    completion_rate = serializers.FloatField(
        allow_null=True, help_text="Completions as a percentage of learners × modules."
    )
    average_score = serializers.FloatField(allow_null=True)
    required = serializers.IntegerField(help_text="Required enrolments, summed over modules.")
    overdue = serializers.IntegerField(help_text="Overdue enrolments, summed over modules.")


class ForceSummarySerializer(serializers.Serializer):
    force = ForceSerializer()
    modules = ModuleSummarySerializer(many=True)
    totals = ForceTotalsSerializer(source="*")

    # The declared fields describe the output for the schema; to_representation() writes what
    # they would (a test compares the two), without DRF deep-copying and walking some 300
    # fields for 30 modules on every request.
    def to_representation(self, summary) -> dict:
        force = summary.force
        return {
            "force": {"code": force.code, "name": force.name, "country": force.country},
            "modules": [
                {
                    "module": row.module.slug,
                    "title": row.module.title,
                    **_counts(row),
                }
                for row in summary.modules
            ],
            "totals": _counts(summary),
        }


def _counts(row) -> dict:
    return {
        "learners": row.learners,
        "not_started": row.not_started,
        "in_progress": row.in_progress,
        "completed": row.completed,
        "completion_rate": _float(row.completion_rate),
        "average_score": _float(row.average_score),
        "required": row.required,
        "overdue": row.overdue,
    }


def _float(value) -> float | None:
    return None if value is None else float(value)


class CompletionSerializer(serializers.ModelSerializer):
    """One learner's progress in one module. Every source is joined by force_completions()."""

    # The declared fields describe the output for the schema; to_representation() builds it
    # straight from the selector's dict row, because DRF's per-field machinery costs more than
    # the query on a large page or a CSV export of a whole force.
    learner_id = serializers.IntegerField()
    name = serializers.SerializerMethodField()
    email = serializers.EmailField()
    staff_number = serializers.CharField()
    role = serializers.CharField()
    module = serializers.SlugField()
    status = serializers.SerializerMethodField()
    progress_percent = serializers.SerializerMethodField()
    required = serializers.BooleanField(
        help_text="Whether the learner's role's pathway requires the module."
    )
    due_at = serializers.DateTimeField(
        allow_null=True, help_text="When a required module is due; null when not required."
    )
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ModuleProgress
        fields = [
            "id",
            "learner_id",
            "name",
            "email",
            "staff_number",
            "role",
            "module",
            "status",
            "progress_percent",
            "score",
            "started_at",
            "completed_at",
            "required",
            "due_at",
            "overdue",
        ]

    def to_representation(self, row: dict) -> dict:
        try:
            zone, now = self._zone, self._now  # once per page or export, not per row
        except AttributeError:
            zone = self._zone = timezone.get_current_timezone()
            now = self._now = timezone.now()
        return {
            "id": row["id"],
            "learner_id": row["learner_id"],
            "name": self.get_name(row),
            "email": row["learner__email"],
            "staff_number": row["learner__learner_profile__staff_number"],
            "role": row["learner__learner_profile__role"],
            "module": self.module_slug(row["module_id"]),
            "status": self.get_status(row),
            "progress_percent": self.get_progress_percent(row),
            "score": row["score"],
            "started_at": drf_time(row["started_at"], zone),
            "completed_at": drf_time(row["completed_at"], zone),
            "required": row["required"],
            "due_at": drf_time(row["due_at"], zone),
            "overdue": self.is_overdue(row, now),
        }

    def module_slug(self, module_id: int) -> str:
        """From one query per page or CSV export (selectors.module_slugs), read again if a
        module was created while a long export streams."""
        try:
            return self._module_slugs[module_id]
        except (AttributeError, KeyError):
            self._module_slugs = selectors.module_slugs()
            return self._module_slugs[module_id]

    def get_name(self, row) -> str:
        return f"{row['learner__first_name']} {row['learner__last_name']}".strip()

    @extend_schema_field(
        {"type": "string", "enum": list(STATUS_NAMES.values()), "example": "completed"}
    )
    def get_status(self, row) -> str:
        return STATUS_NAMES[row["status"]]

    @staticmethod
    def is_overdue(row, now) -> bool:
        return (
            row["required"]
            and row["status"] < ProgressStatus.COMPLETED
            and row["due_at"] is not None
            and row["due_at"] < now
        )

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, row) -> bool:
        """Required, not completed, and past its due date."""
        return self.is_overdue(row, timezone.now())

    @extend_schema_field(OpenApiTypes.INT)
    def get_progress_percent(self, row) -> int:
        """Lessons completed as a whole percentage of the module's lessons."""
        if not row["lessons_total"]:
            return 100 if row["status"] == ProgressStatus.COMPLETED else 0
        return min(100, 100 * row["lessons_completed"] // row["lessons_total"])


class NationalBenchmarkSerializer(serializers.Serializer):
    """The national distribution of one figure across forces (selectors.Benchmark)."""

    forces = serializers.IntegerField(
        help_text="Forces whose figure meets k (enough people behind it) and is counted."
    )
    median = serializers.FloatField(
        allow_null=True, help_text="Null when fewer than 5 forces are counted."
    )
    lower_quartile = serializers.FloatField(allow_null=True, help_text="25th percentile.")
    upper_quartile = serializers.FloatField(allow_null=True, help_text="75th percentile.")


def national_benchmark_data(benchmark) -> dict:
    """A selectors.Benchmark as NationalBenchmarkSerializer's data."""
    return {
        "forces": benchmark.forces,
        "median": benchmark.median,
        "lower_quartile": benchmark.lower_quartile,
        "upper_quartile": benchmark.upper_quartile,
    }
