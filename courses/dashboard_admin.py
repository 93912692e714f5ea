"""The force dashboard in the Wagtail admin, for force training leads (and superusers): one
force's figures (selectors.force_dashboard) with accessible SVG charts, and the two lists behind
the figures (progress rows and learners), each with a CSV download.

Scope: every view takes its force from `selectors.lead_forces(request.user)` (the URL's force
code is only looked up in that list: 404 otherwise); anyone who may see no force gets 403.
Registered from courses/wagtail_hooks.py (urls() and menu_item())."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import HeaderButton

from courses import lead_permissions, selectors
from courses.api.csv import csv_streaming_response
from courses.models import LearnerProfile, LearnerRole, ModuleProgress, ProgressStatus
from courses.selectors import dashboard as figures

APP = "force_dashboard"
YES_NO = [("yes", "Yes"), ("no", "No")]
ROLE_LABELS = dict(LearnerRole.choices)
STATUS_LABELS = dict(ProgressStatus.choices)


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def _uk_date(value: datetime.datetime | None) -> str:
    return date_format(timezone.localtime(value), "j M Y") if value else ""


# --- Who may see what ---------------------------------------------------------------------------


class LeadForceMixin:
    """Leads and superusers only (403 for anyone else). `self.forces` are the forces the user
    may see (one query); `self.force` is the URL's force among them (404 if not one)."""

    def dispatch(self, request, *args, **kwargs):
        self.forces = list(selectors.lead_forces(request.user))
        if not self.forces:
            raise PermissionDenied
        code = kwargs.get("code")
        if code is not None:
            self.force = next((f for f in self.forces if f.code == code), None)
            if self.force is None:
                raise Http404("No force of yours has this code.")
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def modules(self):
        """The published modules, which every figure and list is about (one query)."""
        return list(selectors.published_modules().only("id", "title", "path"))

    def list_url(self, name: str, **params) -> str:
        query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
        url = reverse(f"{APP}:{name}", args=[self.force.code])
        return f"{url}?{query}" if query else url


class TitledPageMixin:
    """The page's title as the last breadcrumb: what Wagtail's slim header shows as its title."""

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        # The lead's force ids, read once per request for every lead screen's menu item.
        return bool(lead_permissions.lead_force_ids(request.user))


class ForcePickView(LeadForceMixin, TitledPageMixin, WagtailAdminTemplateMixin, TemplateView):
    """A lead of one force goes straight to its dashboard; a lead of several picks one."""

    template_name = "courses/admin/dashboard/pick.html"
    page_title = "Force dashboard"
    header_icon = "table"

    def get(self, request, *args, **kwargs):
        if len(self.forces) == 1:
            return redirect(f"{APP}:force", self.forces[0].code)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(forces=self.forces, **kwargs)


# --- The dashboard ------------------------------------------------------------------------------


class DashboardFilterForm(forms.Form):
    role = forms.ChoiceField(
        required=False,
        choices=[("", "All roles"), *LearnerRole.choices],
        error_messages={"invalid_choice": "Choose a role from the list (or All roles)."},
    )
    module = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": "Choose a published module from the list (or All modules)."
        },
    )

    def __init__(self, *args, modules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [("", "All modules")] + [
            (str(m.pk), m.title) for m in modules
        ]


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | float
    text: str  # the value as printed beside the bar
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    text_x: float
    text_y: float


def month_bars(months: list[figures.MonthFigures]) -> list[Bar]:
    """Vertical bars in a 640 x 240 view box: 12 slots, bars up to 160 high, the count
    printed above each bar and the month below it."""
    top = max((m.completed for m in months), default=0) or 1
    slot = 600 / max(len(months), 1)
    bars = []
    for i, m in enumerate(months):
        height = 160 * m.completed / top
        x = 30 + i * slot + slot * 0.15
        bars.append(
            Bar(
                label=date_format(m.month, "M"),
                value=m.completed,
                text=str(m.completed),
                x=round(x, 1),
                y=round(200 - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label_x=round(x + slot * 0.35, 1),
                label_y=222,
                text_x=round(x + slot * 0.35, 1),
                text_y=round(200 - height - 6, 1),
            )
        )
    return bars


def module_bars(modules: list[figures.ModuleFigures]) -> list[Bar]:
    """Horizontal bars in a 640-wide view box, 48 high per module: the title above its bar,
    the bar's length the completion percentage of 480, the percentage printed after it."""
    bars = []
    for i, m in enumerate(modules):
        rate = m.completion_rate or 0
        width = 480 * min(rate, 100) / 100
        y = 10 + i * 48
        bars.append(
            Bar(
                label=m.module.title,
                value=rate,
                text=f"{rate:g}%" if m.completion_rate is not None else "no learners",
                x=10,
                y=y + 16,
                width=round(width, 1),
                height=18,
                label_x=10,
                label_y=y + 11,
                text_x=round(10 + width + 8, 1),
                text_y=y + 30,
            )
        )
    return bars


class ForceDashboardView(LeadForceMixin, TitledPageMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "courses/admin/dashboard/dashboard.html"
    header_icon = "table"

    def get_page_title(self):
        return f"{self.force.name}: training dashboard"

    def get(self, request, *args, **kwargs):
        form = DashboardFilterForm(request.GET or None, modules=self.modules)
        if form.is_bound and not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        role = form.cleaned_data["role"] if form.is_bound else None
        module_id = form.cleaned_data["module"] if form.is_bound else None
        module = next((m for m in self.modules if m.pk == module_id), None)
        dashboard = selectors.force_dashboard(
            force=self.force, modules=self.modules, role=role or None, module=module
        )
        return self.render_to_response(
            self.get_context_data(
                form=form,
                dashboard=dashboard,
                role_label=ROLE_LABELS.get(role, ""),
                **self.links(dashboard),
            )
        )

    def links(self, dashboard: figures.ForceDashboard) -> dict:
        """Every figure's link to the list behind it, keeping the dashboard's filters."""
        role = dashboard.role
        module = dashboard.module.pk if dashboard.module else None
        rows = lambda **p: self.list_url("progress", role=role, module=module, **p)  # noqa: E731
        people = lambda **p: self.list_url("learners", role=role, **p)  # noqa: E731
        done = ProgressStatus.COMPLETED
        return {
            "links": {
                "learners": people(),
                "active": people(active="yes"),
                "overdue": rows(overdue="yes"),
                "overdue_learners": people(overdue="yes"),
                "completed": rows(status=done),
            },
            "module_rows": [
                {
                    "figures": m,
                    "completed_url": self.list_url(
                        "progress", role=role, module=m.module.pk, status=done
                    ),
                    "in_progress_url": self.list_url(
                        "progress",
                        role=role,
                        module=m.module.pk,
                        status=ProgressStatus.IN_PROGRESS,
                    ),
                    "required_url": self.list_url(
                        "progress", role=role, module=m.module.pk, required="yes"
                    ),
                    "overdue_url": self.list_url(
                        "progress", role=role, module=m.module.pk, overdue="yes"
                    ),
                }
                for m in dashboard.modules
            ],
            "role_rows": [
                {
                    "figures": r,
                    "learners_url": self.list_url("learners", role=r.role),
                    "completed_url": self.list_url(
                        "progress", role=r.role, module=module, status=done
                    ),
                    "overdue_url": self.list_url(
                        "progress", role=r.role, module=module, overdue="yes"
                    ),
                }
                for r in dashboard.roles
            ],
            "month_rows": [
                {
                    "figures": m,
                    "url": rows(month=m.month.strftime("%Y-%m")),
                }
                for m in dashboard.months
            ],
            "month_bars": month_bars(dashboard.months),
            "module_bars": module_bars(dashboard.modules),
            "module_chart_height": 20 + 48 * len(dashboard.modules),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            force=self.force,
            forces=self.forces,
            active_days=figures.ACTIVE_DAYS,
            **kwargs,
        )


# --- The lists behind the figures ---------------------------------------------------------------


class MonthInput(forms.DateInput):
    input_type = "month"  # browsers offer a month picker; the value is YYYY-MM

    def __init__(self):
        super().__init__(format="%Y-%m")


class ProgressFilterSet(WagtailFilterSet):
    role = django_filters.ChoiceFilter(
        choices=LearnerRole.choices, label="Role", empty_label="All roles"
    )
    module = django_filters.ChoiceFilter(choices=[], label="Module", empty_label="All modules")
    status = django_filters.ChoiceFilter(
        choices=ProgressStatus.choices, label="Status", empty_label="Any status"
    )
    required = django_filters.ChoiceFilter(
        choices=YES_NO, label="Required by the role's pathway", empty_label="Either"
    )
    overdue = django_filters.ChoiceFilter(choices=YES_NO, label="Overdue", empty_label="Either")
    month = django_filters.DateFilter(
        label="Completed in month (YYYY-MM)",
        input_formats=["%Y-%m"],
        widget=MonthInput(),
        error_messages={"invalid": "Enter a month as YYYY-MM, for example 2026-11."},
    )
    active = django_filters.ChoiceFilter(
        choices=YES_NO, label=f"Active in the last {figures.ACTIVE_DAYS} days", empty_label="Either"
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
        choices=LearnerRole.choices, label="Role", empty_label="All roles"
    )
    active = django_filters.ChoiceFilter(
        choices=YES_NO, label=f"Active in the last {figures.ACTIVE_DAYS} days", empty_label="Either"
    )
    overdue = django_filters.ChoiceFilter(
        choices=YES_NO, label="Has an overdue module", empty_label="Either"
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
            HeaderButton("Download CSV", url=self.csv_export_url, icon_name="download"),
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
    page_title = "Module progress"
    verbose_name = "module row"
    verbose_name_plural = "module rows"
    index_url_name = f"{APP}:progress"
    index_results_url_name = f"{APP}:progress_results"
    filterset_class = ProgressFilterSet
    export_filename = "module-progress"
    list_export = ["csv"]  # any value: the rows are written by as_spreadsheet()
    columns = [
        TitleColumn("name", label="Learner", accessor=_name, get_url=_edit_url("profile_id")),
        Column("email", label="Email"),
        Column("role", label="Role", accessor=lambda r: ROLE_LABELS.get(r["role"], "")),
        Column("team", label="Team"),
        Column("module_title", label="Module"),
        Column("status", label="Status", accessor=lambda r: STATUS_LABELS[r["status"]]),
        Column(
            "required", label="Required", accessor=lambda r: "Required" if r["required"] else ""
        ),
        Column("due_at", label="Due", accessor=lambda r: _uk_date(r["due_at"])),
        Column("completed_at", label="Completed", accessor=lambda r: _uk_date(r["completed_at"])),
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
            required=_yes_no(values.get("required")),
            overdue=_yes_no(values.get("overdue")),
            month=month,
            active=_yes_no(values.get("active")),
        )


class LearnerListView(DashboardListView):
    page_title = "Learners"
    verbose_name = "learner"
    verbose_name_plural = "learners"
    index_url_name = f"{APP}:learners"
    index_results_url_name = f"{APP}:learners_results"
    filterset_class = LearnerFilterSet
    export_filename = "learners"
    list_export = ["csv"]
    columns = [
        TitleColumn("name", label="Learner", accessor=_name, get_url=_edit_url("id")),
        Column("email", label="Email"),
        Column("role", label="Role", accessor=lambda r: ROLE_LABELS.get(r["role"], "")),
        Column("team", label="Team"),
        Column("staff_number", label="Staff number"),
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
            active=_yes_no(values.get("active")),
            overdue=_yes_no(values.get("overdue")),
        )


# --- Registration (from courses/wagtail_hooks.py) ----------------------------------------------


def urls():
    patterns = [
        path("", ForcePickView.as_view(), name="pick"),
        path("<slug:code>/", ForceDashboardView.as_view(), name="force"),
        path("<slug:code>/progress/", ProgressListView.as_view(), name="progress"),
        path(
            "<slug:code>/progress/results/",
            ProgressListView.as_view(results_only=True),
            name="progress_results",
        ),
        path("<slug:code>/learners/", LearnerListView.as_view(), name="learners"),
        path(
            "<slug:code>/learners/results/",
            LearnerListView.as_view(results_only=True),
            name="learners_results",
        ),
    ]
    return [path("force-dashboard/", include((patterns, APP), namespace=APP))]


def menu_item():
    return DashboardMenuItem(
        "Force dashboard",
        reverse(f"{APP}:pick"),
        name="force-dashboard",
        icon_name="table",
        order=150,
    )
