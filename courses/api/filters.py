"""Filters for a force's completions. Bad values give 400 with a message per parameter."""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend

from courses import selectors
from courses.models import LearnerRole, ModulePage, ProgressStatus, in_default_locale

# The API speaks status as text; the database stores an ordered integer.
STATUS_BY_NAME = {
    "not_started": ProgressStatus.NOT_STARTED,
    "in_progress": ProgressStatus.IN_PROGRESS,
    "completed": ProgressStatus.COMPLETED,
}
STATUS_NAMES = {value: name for name, value in STATUS_BY_NAME.items()}
DATETIME_ERROR = _("Use an ISO 8601 date and time, e.g. 2026-01-01T00:00:00Z or 2026-01-01.")
# Real UTC offsets run from -12:00 to +14:00; PostgreSQL refuses anything beyond 15:59.
MAX_UTC_OFFSET = datetime.timedelta(hours=14)
OFFSET_ERROR = _("Use a UTC offset between -14:00 and +14:00, e.g. 2026-01-01T00:00:00+01:00.")
EMPTY_ERROR = _("Give a value, or leave the parameter out.")


def _with_names(message: str, **names: str) -> str:
    """The translated `message` with the %(name)s placeholders of `names` filled in and
    %(value)s left for the form field, which fills it when it refuses a value."""
    translated = gettext(message)
    for name, text in names.items():
        translated = translated.replace(f"%({name})s", text)
    return translated


# A field's error message, translated when it is shown (error messages are made at import).
with_names_lazy = lazy(_with_names, str)
BOOLEAN_CHOICES = [("true", "true"), ("false", "false")]


def boolean_filter(name: str, help_text: str, method: str) -> django_filters.ChoiceFilter:
    """`true` or `false`, and nothing else: django-filter's BooleanFilter would read an
    unknown value as no filter at all, silently."""
    return django_filters.ChoiceFilter(
        choices=BOOLEAN_CHOICES,
        method=method,
        help_text=help_text,
        error_messages={
            "invalid_choice": with_names_lazy(
                gettext_noop("Unknown %(parameter)s %(value)s; use true or false."), parameter=name
            )
        },
    )


class BoundedIsoDateTimeField(IsoDateTimeField):
    """django-filter's ISO 8601 field, limited to offsets that exist and to times that stay
    within the calendar once moved to UTC; the value it gives is in UTC."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        if abs(moment.utcoffset()) > MAX_UTC_OFFSET:
            raise ValidationError(OFFSET_ERROR, code="offset")
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class BoundedIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = BoundedIsoDateTimeField


class CompletionFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        # An empty value would otherwise filter nothing, silently: a report of every row when
        # the caller meant to narrow it.
        for name in self.fields:
            if name in self.data and not self.data[name].strip() and name not in self.errors:
                self.add_error(name, ValidationError(EMPTY_ERROR, code="empty"))
        after, before = cleaned.get("completed_after"), cleaned.get("completed_before")
        if after and before and after >= before:
            raise ValidationError(
                {
                    "completed_before": gettext(
                        "completed_before must be later than completed_after."
                    )
                }
            )
        return cleaned


class CompletionFilter(django_filters.FilterSet):
    module = django_filters.ModelChoiceFilter(
        # The source modules: a translation shares its slug, and progress is kept against these.
        queryset=in_default_locale(ModulePage.objects.live()),
        to_field_name="slug",
        help_text="A published module's slug, as listed by /api/v1/modules/.",
        error_messages={
            "invalid_choice": _(
                "No published module has the slug %(value)s; see /api/v1/modules/ for the slugs."
            )
        },
    )
    status = django_filters.ChoiceFilter(
        choices=[(name, name) for name in STATUS_BY_NAME],
        method="filter_status",
        help_text="not_started, in_progress or completed.",
        error_messages={
            "invalid_choice": _(
                "Unknown status %(value)s; use not_started, in_progress or completed."
            )
        },
    )
    role = django_filters.ChoiceFilter(
        field_name="learner__learner_profile__role",
        choices=LearnerRole.choices,
        help_text="The learner's role: " + ", ".join(LearnerRole.values) + ".",
        error_messages={
            "invalid_choice": with_names_lazy(
                gettext_noop("Unknown role %(value)s; use one of %(roles)s."),
                roles=", ".join(LearnerRole.values),
            )
        },
    )
    required = boolean_filter(
        "required",
        "true: only modules the learner's role's pathway requires; false: only the others.",
        "filter_required",
    )
    overdue = boolean_filter(
        "overdue",
        "true: only required modules not completed and past their due date; false: the rest.",
        "filter_overdue",
    )
    completed_after = BoundedIsoDateTimeFilter(
        field_name="completed_at",
        lookup_expr="gte",
        help_text="Completed at or after this ISO 8601 time, e.g. 2026-01-01T00:00:00Z; "
        "a date alone means midnight UK time; a UTC offset must be within ±14:00.",
        error_messages={"invalid": DATETIME_ERROR},
    )
    completed_before = BoundedIsoDateTimeFilter(
        field_name="completed_at",
        lookup_expr="lt",
        help_text="Completed before this ISO 8601 time, e.g. 2026-04-01T00:00:00Z; "
        "a date alone means midnight UK time; a UTC offset must be within ±14:00.",
        error_messages={"invalid": DATETIME_ERROR},
    )

    class Meta:
        form = CompletionFilterForm
        fields: list[str] = []

    def filter_status(self, queryset, name, value):
        return queryset.filter(status=STATUS_BY_NAME[value])

    def filter_required(self, queryset, name, value):
        return queryset.filter(required=value == "true")

    def filter_overdue(self, queryset, name, value):
        overdue = selectors.overdue_q()
        return queryset.filter(overdue if value == "true" else ~overdue)


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, skipped when the request names none of the view's filters: a
    FilterSet with no data filters nothing, and making one (copying its filters, building its
    form) was up to a fifth of a completions page's CPU in a profile. Any filter parameter,
    even empty, goes through django-filter (an empty one is a 400)."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and request.query_params.keys().isdisjoint(
            filterset_class.base_filters
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)
