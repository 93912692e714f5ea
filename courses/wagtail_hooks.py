from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from courses.models import Force, SupportService, Testimony

# --- Forces -----------------------------------------------------------------------------------


class ForceViewSet(SnippetViewSet):
    model = Force
    icon = "group"
    menu_label = "Police forces"
    list_display = ["name", "code", "country", "is_active"]
    list_filter = ["country", "is_active"]
    search_fields = ["name", "code"]
    add_to_admin_menu = True
    menu_order = 300


register_snippet(ForceViewSet)


# --- Authoring: testimony, support services, consent report, workflow, editors group ----------
# The Editors and Reviewers groups and the "Module moderation" workflow are created by the data
# migration courses/0004, so they exist in every environment.


def consent_status(testimony: Testimony) -> str:
    today = timezone.localdate()
    if testimony.consent_withdrawn_on and testimony.consent_withdrawn_on <= today:
        return "Withdrawn: hidden"
    if testimony.is_shareable(today):
        return "Shown"
    return "Consent lapsed or not recorded: hidden"


class TestimonyViewSet(SnippetViewSet):
    model = Testimony
    icon = "openquote"
    menu_label = "Testimony"
    list_display = [
        "attribution",
        "is_fictional_composite",
        Column("consent_status", label="Consent", accessor=consent_status),
        DateColumn("consent_review_by", label="Review by"),
    ]
    list_filter = ["is_fictional_composite"]
    search_fields = ["attribution", "text"]


class SupportServiceViewSet(SnippetViewSet):
    model = SupportService
    icon = "help"
    menu_label = "Support services"
    list_display = ["name", "phone", "audience", "force"]
    list_filter = ["audience"]
    search_fields = ["name", "description"]

    def get_queryset(self, request):
        return SupportService.objects.select_related("force")


class TrainingContentGroup(SnippetViewSetGroup):
    items = (TestimonyViewSet, SupportServiceViewSet)
    menu_icon = "openquote"
    menu_label = "Training content"
    menu_name = "training-content"
    menu_order = 250


register_snippet(TrainingContentGroup)


class ConsentReviewReport(ReportView):
    """Testimony whose consent review falls due within 30 days or has passed."""

    page_title = "Testimony consent due for review"
    header_icon = "openquote"
    index_url_name = "courses_consent_review"
    index_results_url_name = "courses_consent_review_results"
    permission_policy = ModelPermissionPolicy(Testimony)
    any_permission_required = ["change", "view"]
    list_export = ["attribution", "consent_recorded_on", "consent_review_by"]
    columns = [
        TitleColumn(
            "attribution",
            label="Testimony",
            get_url=lambda obj: reverse("wagtailsnippets_courses_testimony:edit", args=[obj.pk]),
        ),
        DateColumn("consent_recorded_on", label="Consent recorded"),
        DateColumn("consent_review_by", label="Review by"),
        Column("consent_status", label="Status", accessor=consent_status),
    ]

    def get_queryset(self):
        return Testimony.objects.needing_review(within_days=30)


class ConsentReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return ConsentReviewReport.permission_policy.user_has_any_permission(
            request.user, ["change", "view"]
        )


@hooks.register("register_admin_urls")
def register_consent_review_urls():
    return [
        path(
            "reports/consent-review/", ConsentReviewReport.as_view(), name="courses_consent_review"
        ),
        path(
            "reports/consent-review/results/",
            ConsentReviewReport.as_view(results_only=True),
            name="courses_consent_review_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_consent_review_menu_item():
    return ConsentReviewMenuItem(
        "Testimony consent review",
        reverse("courses_consent_review"),
        name="consent-review",
        icon_name="openquote",
        order=650,
    )


# --- API keys and access log ------------------------------------------------------------------
