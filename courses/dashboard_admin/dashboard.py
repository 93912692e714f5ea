"""One force's figures (selectors.force_dashboard) with accessible SVG charts and tables."""

from dataclasses import dataclass

from django import forms
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses import selectors
from courses.dashboard_admin.base import ROLE_LABELS, LeadForceMixin, TitledPageMixin
from courses.models import LearnerRole, ProgressStatus
from courses.selectors import dashboard as figures

# --- The dashboard ------------------------------------------------------------------------------


class DashboardFilterForm(forms.Form):
    role = forms.ChoiceField(
        required=False,
        label=_("Role"),
        choices=[("", _("All roles")), *LearnerRole.choices],
        error_messages={"invalid_choice": _("Choose a role from the list (or All roles).")},
    )
    module = forms.TypedChoiceField(
        required=False,
        label=_("Module"),
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": _("Choose a published module from the list (or All modules).")
        },
    )

    def __init__(self, *args, modules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [("", gettext("All modules"))] + [
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
                text=f"{rate:g}%" if m.completion_rate is not None else gettext("no learners"),
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
        return gettext("%(force)s: training dashboard") % {"force": self.force.name}

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
