from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus import MenuItem as ListingButton
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from courses import (
    dashboard_admin,
    import_admin,
    lead_admin,
    pathway_admin,
    services,
    sso_admin,
    survey_admin,
    testimony_media,
    translation_admin,
    xapi_admin,
)
from courses.api_key_admin import ManagerApiViewSetGroup
from courses.learner_admin_views import LearnerEraseView, LearnerMoveView
from courses.models import AuditEvent, Force, SupportService, Testimony, default_language_code
from courses.testimony_admin import DateOnlyColumn, TestimonyViewSet, consent_column
from courses.views import serve_lesson_on_journey

# --- Forces -----------------------------------------------------------------------------------


class ForceViewSet(SnippetViewSet):
    model = Force
    icon = "group"
    menu_label = _("Police forces")
    list_display = ["name", "code", "country", "is_active"]
    list_filter = ["country", "is_active"]
    search_fields = ["name", "code"]
    add_to_admin_menu = True
    menu_order = 300


register_snippet(ForceViewSet)


# --- Authoring: testimony, support services, consent report, workflow, editors group ----------
# The Editors and Reviewers groups and the "Module moderation" workflow are created by the data
# migration courses/0004, so they exist in every environment.


class SupportServiceViewSet(SnippetViewSet):
    model = SupportService
    icon = "help"
    menu_label = _("Support services")
    list_display = ["name", "phone", "audience", "force"]
    list_filter = ["audience"]
    search_fields = ["name", "description"]

    def get_queryset(self, request):
        return SupportService.objects.select_related("force")


class TrainingContentGroup(SnippetViewSetGroup):
    items = (TestimonyViewSet, SupportServiceViewSet)
    menu_icon = "openquote"
    menu_label = _("Training content")
    menu_name = "training-content"
    menu_order = 250


register_snippet(TrainingContentGroup)


class ConsentReviewReport(ReportView):
    """Testimony whose consent review falls due within 30 days or has passed."""

    page_title = _("Testimony consent due for review")
    header_icon = "openquote"
    index_url_name = "courses_consent_review"
    index_results_url_name = "courses_consent_review_results"
    permission_policy = ModelPermissionPolicy(Testimony)
    any_permission_required = ["change", "view"]
    list_export = ["attribution", "consent_recorded_on", "consent_review_by"]
    columns = [
        TitleColumn(
            "attribution",
            label=_("Testimony"),
            get_url=lambda obj: reverse("wagtailsnippets_courses_testimony:edit", args=[obj.pk]),
        ),
        DateOnlyColumn("consent_recorded_on", label=_("Consent recorded")),
        DateOnlyColumn("consent_review_by", label=_("Review by")),
        consent_column(_("Status")),
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
        _("Testimony consent review"),
        reverse("courses_consent_review"),
        name="consent-review",
        icon_name="openquote",
        order=650,
    )


# --- API keys and access log ------------------------------------------------------------------


@hooks.register("register_log_actions")
def register_api_key_log_actions(actions):
    actions.register_action("courses.api_key_revoke", _("Revoke API key"), _("API key revoked"))


@hooks.register("register_admin_viewset")
def register_manager_api_viewsets():
    return ManagerApiViewSetGroup()


# --- Privacy: erasure and the audit log (administrators only) ---------------------------------


@hooks.register("register_admin_urls")
def register_learner_erase_url():
    return [
        path(
            "learners/<int:user_id>/erase/",
            LearnerEraseView.as_view(),
            name="courses_learner_erase",
        ),
        path(
            "learners/<int:user_id>/move/",
            LearnerMoveView.as_view(),
            name="courses_learner_move",
        ),
    ]


@hooks.register("register_user_listing_buttons")
def learner_erase_button(user, request_user):
    if request_user.is_superuser and not user.is_superuser:  # no query per listed user
        yield ListingButton(
            _("Erase personal data"),
            url=reverse("courses_learner_erase", args=[user.pk]),
            icon_name="warning",
            priority=90,
        )
        yield ListingButton(
            _("Move to another force"),
            url=reverse("courses_learner_move", args=[user.pk]),
            icon_name="user",
            priority=80,
        )


class AuditEventViewSet(ModelViewSet):
    """Read-only security audit trail; administrators only (no group is given its permission)."""

    model = AuditEvent
    icon = "list-ul"
    menu_label = _("Audit log")
    add_to_admin_menu = True
    menu_order = 320
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    list_display = [
        "created_at",
        "action",
        "user_id",
        "subject_user_id",
        "api_key_prefix",
        "force_code",
        "path",
        "status_code",
    ]
    list_filter = ["action"]
    search_fields = ["path", "api_key_prefix", "force_code"]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            add_url_name=None, edit_url_name=None, delete_url_name=None, **kwargs
        )

    def get_urlpatterns(self):
        # Written only by courses.audit: no add, edit, delete, copy or history routes.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{self.pk_path_converter}:pk>/", self.inspect_view, name="inspect"),
        ]


@hooks.register("register_admin_viewset")
def register_audit_viewset():
    return AuditEventViewSet("audit_log")


@hooks.register("before_serve_page", order=-1)
def remember_served_page(page, request, serve_args, serve_kwargs):
    """The page Wagtail is serving, for courses.context_processors.translation_notice (the
    notice above a page not yet in the learner's language). Runs before any hook that may
    answer instead of the page."""
    request.served_page = page


hooks.register("register_admin_urls", translation_admin.admin_urls)
hooks.register("register_admin_urls", translation_admin.localize_admin_urls, order=-1)


@hooks.register("register_page_listing_more_buttons")
def submit_translation_button(page, user, next_url=None):
    """ "Submit translation for moderation" on a translated page an editor may edit."""
    if page.alias_of_id or page.locale.language_code == default_language_code():
        return
    if translation_admin.may_submit(page, user):
        yield Button(
            _("Submit translation for moderation"),
            reverse(translation_admin.SUBMIT_URL_NAME, args=[page.pk]),
            priority=60,
        )


# Learners' lesson pages: the journey (progress, forms, feedback) is added by the view layer.
# Order 1: inside Wagtail's own view-restriction check (order 0), which still runs first.
hooks.register("on_serve_page", serve_lesson_on_journey, order=1)


# --- Private recordings ---------------------------------------------------------------------


@hooks.register("before_serve_document")
def serve_private_recordings_by_consent(document, request):
    """Runs before Wagtail's own collection check (courses is listed first in INSTALLED_APPS):
    see courses.testimony_media for the rule."""
    access = testimony_media.testimony_media_access(document=document, request=request)
    if access is testimony_media.MediaAccess.SIGN_IN:
        return redirect_to_login(request.get_full_path())
    if access is testimony_media.MediaAccess.DENY:
        raise Http404("No document matches the given query.")
    return None


# --- Force training leads: their learners, and granting the role (courses.lead_admin) --------
# The permission policies these screens use are registered in CoursesConfig.ready().


@hooks.register("register_admin_viewset")
def register_force_learners_viewset():
    return lead_admin.ForceLearnerViewSet("force_learners")


@hooks.register("register_admin_viewset")
def register_training_leads_viewset():
    return lead_admin.TrainingLeadViewSet("training_leads")


@hooks.register("register_log_actions")
def register_training_lead_log_actions(actions):
    actions.register_action(
        services.LEAD_GRANT_ACTION,
        _("Change a training lead's forces"),
        _("Training lead's forces changed"),
    )
    actions.register_action(
        services.LEAD_REVOKE_ACTION,
        _("Revoke the training lead role"),
        _("Training lead role revoked"),
    )


# --- Force dashboard (force training leads and superusers; courses.dashboard_admin) -----------


@hooks.register("register_admin_urls")
def register_force_dashboard_urls():
    return dashboard_admin.urls()


@hooks.register("register_admin_menu_item")
def register_force_dashboard_menu_item():
    return dashboard_admin.menu_item()


# --- Pathways by role (courses.pathway_admin) ---------------------------------------------------

register_snippet(pathway_admin.PathwayViewSet)
hooks.register("after_create_snippet", pathway_admin.after_pathway_saved)
hooks.register("after_edit_snippet", pathway_admin.after_pathway_saved)
hooks.register("after_delete_snippet", pathway_admin.after_pathways_deleted)


# --- Enrolment from an HR file (force training leads) ---------------------------------------


@hooks.register("register_admin_urls")
def register_enrolment_import_urls():
    return import_admin.admin_urls()


@hooks.register("register_admin_menu_item")
def register_enrolment_import_menu_item():
    return import_admin.menu_item()


# --- Attitude surveys (courses.survey_admin) -----------------------------------------------

register_snippet(survey_admin.AttitudeSurveyViewSet)
hooks.register("before_delete_snippet", survey_admin.refuse_deleting_answered_surveys)
hooks.register("register_admin_urls", survey_admin.admin_urls)
hooks.register("register_snippet_listing_buttons", survey_admin.free_text_listing_button)
# --- The evidence overview for leads and programme evaluators (courses.dashboard_admin)


@hooks.register("register_admin_menu_item")
def register_evidence_menu_item():
    return dashboard_admin.evidence_menu_item()


# --- xAPI delivery to the forces' LRSs (administrators only; courses.xapi_admin) ---------------


@hooks.register("register_admin_urls")
def register_xapi_delivery_urls():
    return xapi_admin.admin_urls()


@hooks.register("register_settings_menu_item")
def register_xapi_delivery_menu_item():
    return xapi_admin.menu_item()


# --- Signing in through a force's identity provider (administrators only; courses.sso_admin) ---


@hooks.register("register_admin_urls")
def register_sso_provider_urls():
    return sso_admin.admin_urls()


@hooks.register("register_settings_menu_item")
def register_sso_provider_menu_item():
    return sso_admin.menu_item()
