"""The force training lead's screens for critical mass in the Wagtail admin: the force's plan
(launch date, first-responder roles, targets) and its headcounts (history, and a form to set
one or several roles' figures for a date). Linked from the evidence page's critical-mass
panel; routed from courses.dashboard_admin.urls() (names `force_dashboard:evidence_plan` and
`force_dashboard:evidence_headcounts`).

Scope: only forces in `selectors.lead_forces(user)` (a lead's own forces; every force for a
superuser) may be changed. Anyone with none gets 403, programme evaluators who are not leads
included (they see the figures, never change them); another force's code is a 404. Writes go
through services, which refuse bad input without writing anything."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput

from courses import selectors, services
from courses.models import JOB_ROLES

APP = "force_dashboard"


class LeadForceEvidenceMixin:
    """`self.force`: the URL's force among the user's lead forces (one query), else 404; 403
    for an account that leads no force."""

    def dispatch(self, request, *args, **kwargs):
        forces = list(selectors.lead_forces(request.user))
        if not forces:
            raise PermissionDenied
        self.force = next((f for f in forces if f.code == kwargs["code"]), None)
        if self.force is None:
            raise Http404(gettext("No force of yours has this code."))
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(f"{APP}:evidence", args=[self.force.code]),
                "label": gettext("%(force)s: evidence") % {"force": self.force.name},
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def evidence_url(self) -> str:
        return reverse(f"{APP}:evidence", args=[self.force.code]) + "#critical-mass"

    def add_service_errors(self, form, invalid: ValidationError) -> None:
        for field, problems in invalid.message_dict.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)


# --- Plan ---------------------------------------------------------------------------------------


class PlanForm(forms.Form):
    launch_date = forms.DateField(
        required=False,
        widget=AdminDateInput,
        label=_("Launch date"),
        help_text=_("The day the force launched DA Matters. Leave empty until it is set."),
    )
    first_responder_roles = forms.MultipleChoiceField(
        choices=JOB_ROLES,
        widget=forms.CheckboxSelectMultiple,
        label=_("First-responder roles"),
        help_text=_("The roles whose people count towards critical mass."),
        error_messages={"required": _("Choose at least one role as first responders.")},
    )
    target_percent = forms.IntegerField(
        min_value=1,
        max_value=100,
        label=_("Target share (%)"),
        help_text=_("Share of first responders to train within the window."),
    )
    window_days = forms.IntegerField(
        min_value=1,
        max_value=730,
        label=_("Window (days)"),
        help_text=_("Days after launch by which the target share should be trained."),
    )
    champion_target_percent = forms.IntegerField(
        min_value=1,
        max_value=100,
        label=_("Champions target (%)"),
        help_text=_("Champions wanted, as a share of learners trained."),
    )


class PlanView(LeadForceEvidenceMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "courses/admin/evidence/plan.html"
    form_class = PlanForm
    header_icon = "date"

    def get_page_title(self):
        return gettext("%(force)s: critical-mass plan") % {"force": self.force.name}

    def get_initial(self):
        plan = selectors.critical_mass_plan(force=self.force)
        return {
            "launch_date": plan.launch_date,
            "first_responder_roles": list(plan.first_responder_roles),
            "target_percent": plan.target_percent,
            "window_days": plan.window_days,
            "champion_target_percent": plan.champion_target_percent,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(force=self.force, cancel_url=self.evidence_url(), **kwargs)

    def form_valid(self, form):
        try:
            services.critical_mass_plan_save(
                force=self.force,
                user=self.request.user,
                path=self.request.path,
                **form.cleaned_data,
            )
        except ValidationError as invalid:
            self.add_service_errors(form, invalid)
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext("%(force)s's critical-mass plan saved.") % {"force": self.force.name},
        )
        return redirect(self.evidence_url())


# --- Headcounts ---------------------------------------------------------------------------------


class HeadcountsForm(forms.Form):
    """A date and a count for any of the job roles (at least one)."""

    as_of = forms.DateField(
        widget=AdminDateInput,
        label=_("As of"),
        help_text=_(
            "The date these headcounts were true. A figure for a role on a date that "
            "already has one replaces it; earlier figures are kept."
        ),
        error_messages={"required": _("Give the date these headcounts were true.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for role, label in JOB_ROLES:
            self.fields[role] = forms.IntegerField(
                required=False,
                min_value=0,
                max_value=services.HEADCOUNT_MAX,
                label=label,
                help_text=_("People in this role; leave empty to keep its figure as it is."),
            )

    def role_fields(self):
        return [self[role] for role, _ in JOB_ROLES]

    def counts(self) -> dict[str, int]:
        return {
            role: self.cleaned_data[role]
            for role, _ in JOB_ROLES
            if self.cleaned_data.get(role) is not None
        }

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.counts():
            raise ValidationError(gettext("Give at least one role's headcount."))
        return cleaned


# The history shown: a force records a few figures a year, so this is years of them.
HISTORY_ROWS = 200


class HeadcountsView(LeadForceEvidenceMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "courses/admin/evidence/headcounts.html"
    form_class = HeadcountsForm
    header_icon = "group"

    def get_page_title(self):
        return gettext("%(force)s: headcounts") % {"force": self.force.name}

    def get_context_data(self, **kwargs):
        labels = dict(JOB_ROLES)
        history = [
            {
                "role": labels.get(h.role, h.role),
                "count": h.count,
                "as_of": h.as_of,
                "source": h.get_source_display(),
                "set_by": (
                    h.recorded_by.get_full_name() or h.recorded_by.email
                    if h.recorded_by is not None
                    else (
                        gettext("API key “%(name)s”") % {"name": h.api_key.name}
                        if h.api_key is not None
                        else ""
                    )
                ),
                "recorded_at": h.recorded_at,
            }
            for h in selectors.headcount_history(force=self.force, limit=HISTORY_ROWS)
        ]
        return super().get_context_data(
            force=self.force, history=history, cancel_url=self.evidence_url(), **kwargs
        )

    def form_valid(self, form):
        try:
            stored = services.headcounts_set(
                force=self.force,
                as_of=form.cleaned_data["as_of"],
                counts=form.counts(),
                user=self.request.user,
                path=self.request.path,
            )
        except ValidationError as invalid:
            self.add_service_errors(form, invalid)
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext(
                "%(count)s headcount for %(date)s saved.",
                "%(count)s headcounts for %(date)s saved.",
                len(stored),
            )
            % {"count": len(stored), "date": date_format(form.cleaned_data["as_of"], "j M Y")},
        )
        return redirect(reverse(f"{APP}:evidence_headcounts", args=[self.force.code]))
