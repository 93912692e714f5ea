"""Training managers' critical-mass endpoints: a force's figures with the national benchmark,
and its headcounts (read with any key; set with a key that has the write scope). Force-scoped
like every manager endpoint (ForceScopedAPIView): another force's code is a 404."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from courses import selectors, services
from courses.api import critical_mass_schema as schema
from courses.api.csv import CSVRenderer, csv_streaming_response
from courses.api.manager_serializers import national_benchmark_data
from courses.api.manager_views import ForceScopedAPIView
from courses.api.permissions import HasWriteScope
from courses.api.query import parse_date
from courses.models import Force, Headcount


def critical_mass_data(cm: selectors.CriticalMass, *, force: Force, benchmark) -> dict:
    return {
        "force": force.code,
        "day": cm.day.isoformat(),
        "state": cm.state,
        "launch_date": cm.launch_date.isoformat() if cm.launch_date else None,
        "deadline": cm.deadline.isoformat() if cm.deadline else None,
        "window_days": cm.plan.window_days,
        "target_percent": cm.target_percent,
        "first_responder_roles": [figures.role for figures in cm.roles],
        "trained": cm.trained,
        "headcount": cm.headcount,
        "share": cm.share,
        "target_count": cm.target_count,
        "still_needed": cm.still_needed,
        "target_reached": cm.target_reached,
        "days_left": cm.days_left,
        "pace_needed_per_week": cm.pace_needed,
        "trained_since_launch": cm.trained_since_launch,
        "current_pace_per_week": cm.current_pace,
        "projected_date": cm.projected_date.isoformat() if cm.projected_date else None,
        "roles": [role_row(figures) for figures in cm.roles],
        "benchmark": national_benchmark_data(benchmark),
    }


def role_row(figures: selectors.RoleFigures) -> dict:
    return {
        "role": figures.role,
        "label": figures.label,
        "trained": figures.trained,
        "headcount": figures.headcount,
        "share": figures.share,
    }


@extend_schema(**schema.CRITICAL_MASS)
class ForceCriticalMassView(ForceScopedAPIView):
    renderer_classes = [JSONRenderer, CSVRenderer]
    queryset = Headcount.objects.none()  # for the schema only; nothing is listed from it
    allowed_query_parameters = frozenset({"format", "day"})

    def force_queryset(self, *, force: Force):
        return Headcount.objects.filter(force=force)

    def get(self, request, code):
        raw = request.query_params.get("day")
        day = parse_date(raw, field="day") if raw is not None else None
        cm = selectors.critical_mass(force=self.force, day=day)
        if request.accepted_renderer.format == "csv":
            rows = [role_row(figures) for figures in cm.roles]
            self.log_access(row_count=len(rows))
            return csv_streaming_response(
                header=schema.ROLE_CSV_HEADER,
                rows=rows,
                filename=f"{self.force.code}-critical-mass-{cm.day.isoformat()}.csv",
            )
        benchmark = selectors.critical_mass_benchmark(day=cm.day)
        self.log_access(row_count=len(cm.roles))
        return Response(critical_mass_data(cm, force=self.force, benchmark=benchmark))


def headcount_row(headcount: Headcount) -> dict:
    return {
        "role": headcount.role,
        "count": headcount.count,
        "as_of": headcount.as_of.isoformat(),
        "source": headcount.source,
        "recorded_at": headcount.recorded_at.isoformat().replace("+00:00", "Z"),
    }


@extend_schema_view(
    get=extend_schema(**schema.HEADCOUNT_GET), put=extend_schema(**schema.HEADCOUNT_PUT)
)
class ForceHeadcountView(ForceScopedAPIView):
    """GET: the force's headcount history. PUT: set one or more roles' headcounts for a date,
    all or nothing (services.headcounts_set); a read-only key gets 403."""

    renderer_classes = [JSONRenderer, CSVRenderer]
    queryset = Headcount.objects.none()  # for the schema only; see get_queryset()

    def get_permissions(self):
        # The class's permission_classes stay the manager base's (tests pin them); writing
        # needs the write scope on top.
        return [*super().get_permissions(), HasWriteScope()]

    def force_queryset(self, *, force: Force):
        return Headcount.objects.filter(force=force).order_by("-as_of", "role")

    def get(self, request, code):
        rows = [headcount_row(headcount) for headcount in self.get_queryset()]
        self.log_access(row_count=len(rows))
        if request.accepted_renderer.format == "csv":
            return csv_streaming_response(
                header=schema.HEADCOUNT_CSV_HEADER,
                rows=rows,
                filename=f"{self.force.code}-headcounts.csv",
            )
        return Response({"force": self.force.code, "headcounts": rows})

    def put(self, request, code):
        body = request.data
        if not isinstance(body, dict):
            raise ValidationError(
                {
                    "detail": gettext(
                        'Send a JSON object: {"as_of": "YYYY-MM-DD", "headcounts": {...}}.'
                    )
                }
            )
        unknown = sorted(set(body) - {"as_of", "headcounts"})
        if unknown:
            raise ValidationError(
                {
                    "detail": gettext(
                        "Unknown field(s): %(fields)s. Send only as_of and headcounts."
                    )
                    % {"fields": ", ".join(unknown)}
                }
            )
        errors = {}
        if "as_of" not in body:
            errors["as_of"] = [gettext("Give the date the headcounts were true, as YYYY-MM-DD.")]
        counts = body.get("headcounts")
        if not isinstance(counts, dict) or not counts:
            errors["headcounts"] = [
                gettext('Give at least one role\'s headcount as an object, e.g. {"pcso": 300}.')
            ]
        if errors:
            raise ValidationError(errors)
        as_of = parse_date(body["as_of"], field="as_of")
        try:
            stored = services.headcounts_set(
                force=self.force,
                as_of=as_of,
                counts=counts,
                api_key=self.api_key,
                path=request.path,
            )
        except DjangoValidationError as invalid:
            problems = invalid.message_dict
            by_field = {k: v for k, v in problems.items() if k in ("as_of", "headcounts")}
            by_role = {k: v for k, v in problems.items() if k not in by_field}
            raise ValidationError(
                {**by_field, **({"headcounts": by_role} if by_role else {})}
            ) from invalid
        services.api_access_log_record(
            api_key=self.api_key,
            force=self.force,
            endpoint=request.path,
            filters={"method": "PUT", "as_of": as_of.isoformat()},
            row_count=len(stored),
        )
        return Response(
            {
                "force": self.force.code,
                "as_of": as_of.isoformat(),
                "headcounts": {headcount.role: headcount.count for headcount in stored},
            }
        )
