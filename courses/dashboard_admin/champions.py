"""A force's DA Matters Champions for its lead: the list (name, team, role, Champion since,
email), filtered by team, with a CSV download; and the POST that clears one learner's
Champion status (from the list or the learner's edit screen).

Names are learner data: only leads of the force and superusers (LeadForceMixin); a programme
evaluator who is not a lead gets 403, as they do for every learner list."""

import datetime

import django_filters
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn

from courses import selectors, services
from courses.dashboard_admin.base import APP, ROLE_LABELS, LeadForceMixin, uk_date
from courses.dashboard_admin.lists import DashboardListView
from courses.models import LearnerProfile, display_name


class ChampionFilterSet(WagtailFilterSet):
    team = django_filters.ChoiceFilter(choices=[], label=_("Team"), empty_label=_("All teams"))

    class Meta:
        model = LearnerProfile
        fields = []

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["team"].extra["choices"] = [(team, team) for team in teams]

    def filter_queryset(self, queryset):
        return queryset  # the selector applies the filter (see DashboardListView)


def _name(row: dict) -> str:
    return f"{row['first_name']} {row['last_name']}".strip() or row["email"]


class ChampionListView(DashboardListView):
    page_title = _("Champions")
    verbose_name = _("Champion")
    verbose_name_plural = _("Champions")
    index_url_name = f"{APP}:champions"
    index_results_url_name = f"{APP}:champions_results"
    filterset_class = ChampionFilterSet
    export_filename = "champions"
    list_export = ["csv"]  # any value: the rows are written by as_spreadsheet()
    columns = [
        TitleColumn(
            "name",
            label=_("Champion"),
            accessor=_name,
            get_url=lambda row: reverse("force_learners:edit", args=[row["id"]]),
        ),
        Column("team", label=_("Team")),
        Column("role", label=_("Role"), accessor=lambda r: ROLE_LABELS.get(r["role"], "")),
        Column(
            "champion_since",
            label=_("Champion since"),
            accessor=lambda r: uk_date(r["champion_since"]),
        ),
        Column("email", label=_("Email")),
    ]
    csv_columns = [
        ("first_name", "first_name"),
        ("last_name", "last_name"),
        ("email", "email"),
        ("role", "role"),
        ("team", "team"),
        ("champion_since", "champion_since"),
    ]

    def get_filterset_kwargs(self):
        # The teams of the force's Champions, not the modules the other lists filter by.
        kwargs = super(DashboardListView, self).get_filterset_kwargs()
        return {**kwargs, "teams": selectors.force_champion_teams(force=self.force)}

    def csv_value(self, key, row):
        value = row.get(key)
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).isoformat()
        return value

    def rows(self, values):
        return selectors.force_champions(force=self.force, team=values.get("team") or None)


class ChampionRemoveView(LeadForceMixin, View):
    """POST: clear the Champion status of a learner of the lead's force (404 for anyone else's
    learner), then back to where the lead came from: the learner's edit screen (`from=edit`)
    or the Champions list."""

    http_method_names = ["post"]

    def post(self, request, code, profile_id):
        profile = selectors.force_champion(force=self.force, profile_id=profile_id)
        if profile is None:
            raise Http404(gettext("No learner of this force has this id."))
        removed = services.champion_remove(
            profile=profile, removed_by=request.user, path=request.path
        )
        name = display_name(profile.user)
        if removed:
            messages.success(
                request, gettext("%(name)s is no longer a DA Matters Champion.") % {"name": name}
            )
        else:
            messages.info(
                request, gettext("%(name)s was not a DA Matters Champion.") % {"name": name}
            )
        if request.POST.get("from") == "edit":
            return redirect("force_learners:edit", profile.pk)
        return redirect(f"{APP}:champions", self.force.code)
