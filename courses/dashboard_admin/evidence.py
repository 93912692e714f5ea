"""A force's evidence of cultural change in the admin: critical mass, Champions and attitude
survey results, each beside the national benchmark. Aggregates only: no learner is named here.

Scope: superusers and programme evaluators see every force; a training lead sees their own
forces (selectors.evidence_forces); anyone else gets 403, a force outside the list 404. Each
panel is built by its own module in courses/dashboard_admin/panels/, which returns the panel's
template and context."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses import selectors
from courses.dashboard_admin.base import TitledPageMixin
from courses.dashboard_admin.panels import champions, critical_mass, surveys


class EvidenceForceMixin:
    """`self.forces`: the forces whose evidence the user may see (one query); `self.force`:
    the URL's force among them (404 if not one)."""

    def dispatch(self, request, *args, **kwargs):
        self.forces = list(selectors.evidence_forces(request.user))
        if not self.forces:
            raise PermissionDenied
        code = kwargs.get("code")
        if code is not None:
            self.force = next((f for f in self.forces if f.code == code), None)
            if self.force is None:
                raise Http404(gettext("No force of yours has this code."))
        return super().dispatch(request, *args, **kwargs)


class ForceEvidenceView(
    EvidenceForceMixin, TitledPageMixin, WagtailAdminTemplateMixin, TemplateView
):
    template_name = "courses/admin/dashboard/evidence.html"
    header_icon = "view"

    def get_page_title(self):
        return gettext("%(force)s: evidence of cultural change") % {"force": self.force.name}

    def get_context_data(self, **kwargs):
        now = timezone.now()
        panels = [
            module.panel(force=self.force, now=now, request=self.request)
            for module in (critical_mass, champions, surveys)
        ]
        return super().get_context_data(
            force=self.force,
            forces=self.forces,
            is_lead=any(f.pk == self.force.pk for f in selectors.lead_forces(self.request.user)),
            panels=[p for p in panels if p is not None],
            **kwargs,
        )
