"""The lists behind the dashboard's figures (progress rows and learners), each with a CSV
download."""

import datetime

import django_filters
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import HeaderButton

from courses import selectors
from courses.api.csv import csv_streaming_response
from courses.dashboard_admin.base import (
    APP,
    ROLE_LABELS,
    STATUS_LABELS,
    YES_NO,
    LeadForceMixin,
    uk_date,
    yes_no,
)
from courses.models import LearnerProfile, LearnerRole, ModuleProgress, ProgressStatus
from courses.selectors import dashboard as figures

ACTIVE_LABEL = format_lazy(_("Active in the last {days} days"), days=figures.ACTIVE_DAYS)

# --- The lists behind the figures ---------------------------------------------------------------


class MonthInput(forms.DateInput):
    input_type = "month"  # browsers offer a month picker; the value is YYYY-MM

    def __init__(self):
        super().__init__(format="%Y-%m")


class ProgressFilterSet(WagtailFilterSet):
    role = django_filters.ChoiceFilter(
        choices=LearnerRole.choices, label=_("Role"), empty_label=_("All roles")
    )
    module = django_filters.ChoiceFilter(
        choices=[], label=_("Module"), empty_label=_("All modules")
    )
    status = django_filters.ChoiceFilter(
        choices=ProgressStatus.choices, label=_("Status"), empty_label=_("Any status")
    )
    required = django_filters.ChoiceFilter(
        choices=YES_NO, label=_("Required by the role's pathway"), empty_label=_("Either")
    )
    overdue = django_filters.ChoiceFilter(
        choices=YES_NO, label=_("Overdue"), empty_label=_("Either")
    )
    month = django_filters.DateFilter(
        label=_("Completed in month (YYYY-MM)"),
        input_formats=["%Y-%m"],
        widget=MonthInput(),
        error_messages={"invalid": _("Enter a month as YYYY-MM, for example 2026-11.")},
    )
    active = django_filters.ChoiceFilter(
        choices=YES_NO, label=ACTIVE_LABEL, empty_label=_("Either")
    )

    class Meta:
        model = ModuleProgress
        fields = []

    def __init__(self, *args, modules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["module"].extra["choices"] = [(str(m.pk), m.title) for m in modules]

    def filter_queryset(self, queryset):
        return queryset  # the selector applies the filters (see DashboardListView)


class LearnerFilterSet(WagtailFilterSet):
    role = django_filters.ChoiceFilter(
        choices=LearnerRole.choices, label=_("Role"), empty_label=_("All roles")
    )
    active = django_filters.ChoiceFilter(
        choices=YES_NO, label=ACTIVE_LABEL, empty_label=_("Either")
    )
    overdue = django_filters.ChoiceFilter(
        choices=YES_NO, label=_("Has an overdue module"), empty_label=_("Either")
    )

    class Meta:
        model = LearnerProfile
        fields = []

    def __init__(self, *args, modules=(), **kwargs):
        super().__init__(*args, **kwargs)

    def filter_queryset(self, queryset):
        return queryset


def _name(row: dict) -> str:
    return f"{row['first_name']} {row['last_name']}".strip() or row["email"]


def _edit_url(key: str):
    """The learner's edit screen (courses.lead_admin), from the row's learner profile id."""
    return lambda row: reverse("force_learners:edit", args=[row[key]])


class DashboardListView(LeadForceMixin, ReportView):
    """A lead-scoped list behind a dashboard figure. The filters' form only validates; the
    selector builds the scoped, filtered queryset. Bad filter values: 400 and the form's
    errors, no rows. CSV: every matching row, streamed (constant memory, formula-safe cells)."""

    header_icon = "table"
    results_template_name = "courses/admin/dashboard/list_results.html"
    paginate_by = 50
    csv_columns: list[tuple[str, str]] = []  # (heading, key in the row dict)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{APP}:force", args=[self.force.code]), "label": self.force.name},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_index_url(self):
        return reverse(self.index_url_name, args=[self.force.code])

    def get_index_results_url(self):
        return reverse(self.index_results_url_name, args=[self.force.code])

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "modules": self.modules}

    def get_base_queryset(self):
        if not self.filters.is_valid():
            return self.rows({}).none()
        return self.rows(self.filters.form.cleaned_data)

    def rows(self, values: dict):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        if not self.filters.is_valid():
            self.is_export = False  # the page with the form's errors, not an empty file
            response = super().get(request, *args, **kwargs)
            response.status_code = 400
            return response
        if self.is_export:
            # Straight to the stream: the listing's context would count and load every row.
            return self.as_spreadsheet(self.get_filtered_queryset(), self.FORMAT_CSV)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["filter_errors"] = [
            f"{self.filters.form[name].label}: {error}"
            for name, errors in self.filters.form.errors.items()
            for error in errors
        ]
        return context

    def get_header_buttons(self):
        return [
            HeaderButton(gettext("Download CSV"), url=self.csv_export_url, icon_name="download"),
            *super().get_header_buttons(),
        ]

    show_export_buttons = False  # the CSV button above; no XLSX (built in memory)
    FORMATS = (ReportView.FORMAT_CSV,)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        return csv_streaming_response(
            header=[heading for heading, _ in self.csv_columns],
            rows=(
                {heading: self.csv_value(key, row) for heading, key in self.csv_columns}
                for row in queryset.iterator(chunk_size=2000)
            ),
            filename=f"{self.force.code}-{self.export_filename}.csv",
        )

    def csv_value(self, key: str, row: dict):
        return row.get(key)


class ProgressListView(DashboardListView):
    page_title = _("Module progress")
    verbose_name = _("module row")
    verbose_name_plural = _("module rows")
    index_url_name = f"{APP}:progress"
    index_results_url_name = f"{APP}:progress_results"
    filterset_class = ProgressFilterSet
    export_filename = "module-progress"
    list_export = ["csv"]  # any value: the rows are written by as_spreadsheet()
    columns = [
        TitleColumn("name", label=_("Learner"), accessor=_name, get_url=_edit_url("profile_id")),
        Column("email", label=_("Email")),
        Column("role", label=_("Role"), accessor=lambda r: ROLE_LABELS.get(r["role"], "")),
        Column("team", label=_("Team")),
        Column("module_title", label=_("Module")),
        Column("status", label=_("Status"), accessor=lambda r: STATUS_LABELS[r["status"]]),
        Column(
            "required",
            label=_("Required"),
            accessor=lambda r: gettext("Required") if r["required"] else "",
        ),
        Column("due_at", label=_("Due"), accessor=lambda r: uk_date(r["due_at"])),
        Column("completed_at", label=_("Completed"), accessor=lambda r: uk_date(r["completed_at"])),
    ]
    csv_columns = [
        ("first_name", "first_name"),
        ("last_name", "last_name"),
        ("email", "email"),
        ("role", "role"),
        ("team", "team"),
        ("module", "module_title"),
        ("status", "status"),
        ("required", "required"),
        ("due_at", "due_at"),
        ("completed_at", "completed_at"),
    ]

    def csv_value(self, key, row):
        value = row.get(key)
        if key == "status":
            return ProgressStatus(value).name.lower()
        if key == "required":
            return "true" if value else "false"
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).isoformat()
        return value

    def rows(self, values):
        module = values.get("module")
        month = values.get("month")
        return selectors.dashboard_progress_rows(
            force=self.force,
            module_ids=[m.pk for m in self.modules],
            role=values.get("role") or None,
            module_id=int(module) if module else None,
            status=int(values["status"]) if values.get("status") else None,
            required=yes_no(values.get("required")),
            overdue=yes_no(values.get("overdue")),
            month=month,
            active=yes_no(values.get("active")),
        )


class LearnerListView(DashboardListView):
    page_title = _("Learners")
    verbose_name = _("learner")
    verbose_name_plural = _("learners")
    index_url_name = f"{APP}:learners"
    index_results_url_name = f"{APP}:learners_results"
    filterset_class = LearnerFilterSet
    export_filename = "learners"
    list_export = ["csv"]
    columns = [
        TitleColumn("name", label=_("Learner"), accessor=_name, get_url=_edit_url("id")),
        Column("email", label=_("Email")),
        Column("role", label=_("Role"), accessor=lambda r: ROLE_LABELS.get(r["role"], "")),
        Column("team", label=_("Team")),
        Column("staff_number", label=_("Staff number")),
    ]
    csv_columns = [
        ("first_name", "first_name"),
        ("last_name", "last_name"),
        ("email", "email"),
        ("role", "role"),
        ("team", "team"),
        ("staff_number", "staff_number"),
    ]

    def rows(self, values):
        return selectors.dashboard_learners(
            force=self.force,
            module_ids=[m.pk for m in self.modules],
            role=values.get("role") or None,
            active=yes_no(values.get("active")),
            overdue=yes_no(values.get("overdue")),
        )
