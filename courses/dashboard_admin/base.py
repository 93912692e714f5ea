"""Who may see what on the force dashboard's screens, and the helpers they share."""

import datetime
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses import lead_permissions, selectors
from courses.models import LearnerRole, ProgressStatus

APP = "force_dashboard"
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
ROLE_LABELS = dict(LearnerRole.choices)
STATUS_LABELS = dict(ProgressStatus.choices)


def yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def uk_date(value: datetime.datetime | None) -> str:
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
                raise Http404(gettext("No force of yours has this code."))
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
    page_title = _("Force dashboard")
    header_icon = "table"

    def get(self, request, *args, **kwargs):
        if len(self.forces) == 1:
            return redirect(f"{APP}:force", self.forces[0].code)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(forces=self.forces, **kwargs)
