"""The "Evidence" admin menu item, the national overview of every force's evidence and the
evaluator's file. Aggregates only: no screen here names a learner.

Scope: programme evaluators and superusers see every force (selectors.evidence_forces); a lead
of one force is sent to its evidence page, a lead of several sees their forces only; anyone else
gets 403. The evaluator's file is for programme evaluators and superusers alone (403 for a lead
who is neither), and every download is recorded in the audit log."""

import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses import audit, lead_permissions, selectors
from courses.api.csv import csv_streaming_response
from courses.dashboard_admin.base import APP, TitledPageMixin
from courses.dashboard_admin.evidence import EvidenceForceMixin
from courses.models import BENCHMARK_MIN_FORCES, K_ANONYMITY, AuditAction
from courses.selectors import evaluation


class EvidenceMenuItem(MenuItem):
    def is_shown(self, request):
        # A lead's force ids are read once per request (shared with the dashboard's item); the
        # evaluators' group is one more query, for accounts that lead no force.
        return bool(lead_permissions.lead_force_ids(request.user)) or (
            selectors.is_programme_evaluator(request.user)
        )


class EvidenceOverviewView(
    EvidenceForceMixin, TitledPageMixin, WagtailAdminTemplateMixin, TemplateView
):
    """Every force's critical-mass and Champions shares against the national benchmark, for
    evaluators; a lead's own forces for a lead of several. Five queries for the figures
    (the forces the user may see, then selectors.national_shares' four), whatever the
    number of forces."""

    template_name = "courses/admin/dashboard/evidence_overview.html"
    page_title = _("Evidence of cultural change")
    header_icon = "view"

    def get(self, request, *args, **kwargs):
        self.is_evaluator = selectors.is_programme_evaluator(request.user)
        if not self.is_evaluator and len(self.forces) == 1:
            return redirect(f"{APP}:evidence", self.forces[0].code)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        overview = evaluation.national_overview(day=timezone.localdate(), forces=self.forces)
        return super().get_context_data(
            overview=overview,
            benchmarks=[
                (gettext("Critical mass"), overview.critical_mass),
                (gettext("Champions"), overview.champions),
            ],
            is_evaluator=self.is_evaluator,
            k=K_ANONYMITY,
            min_forces=BENCHMARK_MIN_FORCES,
            **kwargs,
        )


class EvaluatorFileView(View):
    """The evaluator's file as CSV (selectors.evaluation.evaluator_file), streamed with
    formula-safe cells; 403 for anyone who is not a programme evaluator or a superuser."""

    def dispatch(self, request, *args, **kwargs):
        if not selectors.is_programme_evaluator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, today: datetime.date | None = None):
        today = today or timezone.localdate()
        file = evaluation.evaluator_file(today=today)
        audit.audit_record(
            action=AuditAction.EVALUATOR_FILE,
            user_id=request.user.pk,
            path=request.path,
            status_code=200,
        )
        return csv_streaming_response(
            header=file.header,
            rows=iter(file.rows),
            filename=f"da-matters-evaluator-file-{today.isoformat()}.csv",
        )
