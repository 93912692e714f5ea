"""The Wagtail admin's screens for enrolment from an HR file, for force training leads (and
superusers): upload a file for one of their forces, read the preview, apply it. Registered by
courses.wagtail_hooks.

Scope: the force comes only from `selectors.lead_forces(user)`; an import is seen only by the
account that uploaded it, for a force it may still act for (404 otherwise). Editors and
reviewers get 403."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses import enrolment_import, lead_permissions, selectors, services
from courses.models import EnrolmentImport, EnrolmentImportStatus

RECENT_IMPORTS = 10


class LeadOnlyMixin:
    """Force training leads and superusers only (403 for everyone else in the admin)."""

    def dispatch(self, request, *args, **kwargs):
        if not selectors.is_training_lead(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class BreadcrumbsMixin:
    """Home > Enrol from HR file [> this page], so the header names the page."""

    def get_breadcrumbs_items(self):
        items = [
            *self.breadcrumbs_items,
            {"url": reverse("courses_enrolment_upload"), "label": gettext("Enrol from HR file")},
        ]
        if self.request.resolver_match.url_name != "courses_enrolment_upload":
            items.append({"url": "", "label": self.get_page_title()})
        else:
            items[-1]["url"] = ""
        return items


class EnrolmentUploadForm(forms.Form):
    force = forms.ModelChoiceField(
        queryset=None,
        label=_("Force"),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of your forces.")},
    )
    file = forms.FileField(
        label=_("HR file (CSV or XLSX)"),
        help_text=format_lazy(
            _(
                "Up to {megabytes} MB and {rows} rows. Columns: email, name, role, and "
                "optionally staff_number, team, start_date, left."
            ),
            megabytes=enrolment_import.MAX_FILE_BYTES // (1024 * 1024),
            rows=f"{enrolment_import.MAX_ROWS:,}",
        ),
        error_messages={
            "required": _("Choose the file exported from your HR system."),
            "empty": _("The file is empty. Its first row must name the columns."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    deactivate_missing = forms.BooleanField(
        required=False,
        label=_("Deactivate everyone not in this file"),
        help_text=_(
            "For a full list of your force's staff: learners missing from it are treated as "
            "having left. The preview shows how many, before anything changes."
        ),
    )

    def __init__(self, *args, forces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["force"].queryset = forces


class EnrolmentUploadView(LeadOnlyMixin, BreadcrumbsMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "courses/admin/import/upload.html"
    form_class = EnrolmentUploadForm
    page_title = _("Enrol learners from an HR file")
    header_icon = "upload"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "forces": selectors.lead_forces(self.request.user)}

    def get_context_data(self, **kwargs):
        recent = (
            EnrolmentImport.objects.filter(
                created_by=self.request.user,
                force__in=selectors.lead_forces(self.request.user),
            )
            .select_related("force")
            .order_by("-created_at")[:RECENT_IMPORTS]
        )
        return super().get_context_data(
            recent=recent,
            columns=enrolment_import.COLUMNS,
            roles=enrolment_import.role_names(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            imported = services.enrolment_import_create(
                force=form.cleaned_data["force"],
                user=self.request.user,
                upload=form.cleaned_data["file"],
                deactivate_missing=form.cleaned_data["deactivate_missing"],
            )
        except enrolment_import.FileProblem as problem:
            form.add_error("file", str(problem))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return redirect("courses_enrolment_import", pk=imported.pk)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


def lead_import(request, pk) -> EnrolmentImport:
    """The import, if this account uploaded it for a force it may still act for; else 404."""
    return get_object_or_404(
        EnrolmentImport.objects.select_related("force"),
        pk=pk,
        created_by=request.user,
        force__in=selectors.lead_forces(request.user),
    )


class EnrolmentPreviewView(
    LeadOnlyMixin, BreadcrumbsMixin, WagtailAdminTemplateMixin, TemplateView
):
    """The preview (before applying) or the result (after)."""

    template_name = "courses/admin/import/preview.html"
    header_icon = "upload"

    def get_page_title(self):
        applied = self.enrolment_import.status == EnrolmentImportStatus.APPLIED
        return (
            gettext("Import applied") if applied else gettext("Check the import before applying it")
        )

    def get(self, request, *args, **kwargs):
        self.enrolment_import = lead_import(request, kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        imported = self.enrolment_import
        applied = imported.status == EnrolmentImportStatus.APPLIED
        report = imported.result if applied else imported.preview
        return super().get_context_data(
            enrolment_import=imported,
            applied=applied,
            report=report,
            can_apply=imported.status == EnrolmentImportStatus.PREVIEWED and bool(imported.file),
            upload_url=reverse("courses_enrolment_upload"),
            **kwargs,
        )


class EnrolmentApplyView(LeadOnlyMixin, View):
    """POST only: apply the previewed file, then show its result."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        imported = lead_import(request, kwargs["pk"])
        already = imported.status == EnrolmentImportStatus.APPLIED
        try:
            services.enrolment_import_apply(
                enrolment_import=imported, user=request.user, path=request.path
            )
        except (services.ImportStopped, enrolment_import.FileProblem) as error:
            messages.error(request, str(error))
            return redirect("courses_enrolment_import", pk=imported.pk)
        if already:
            messages.info(request, gettext("This file was already applied; nothing changed."))
        else:
            messages.success(
                request, gettext("The file was applied. New learners will get an email.")
            )
        return redirect("courses_enrolment_import", pk=imported.pk)


class EnrolmentImportMenuItem(MenuItem):
    def is_shown(self, request):
        # The lead's force ids, read once per request for every lead screen's menu item.
        return bool(lead_permissions.lead_force_ids(request.user))


def admin_urls():
    return [
        path("enrolment-imports/", EnrolmentUploadView.as_view(), name="courses_enrolment_upload"),
        path(
            "enrolment-imports/<int:pk>/",
            EnrolmentPreviewView.as_view(),
            name="courses_enrolment_import",
        ),
        path(
            "enrolment-imports/<int:pk>/apply/",
            EnrolmentApplyView.as_view(),
            name="courses_enrolment_import_apply",
        ),
    ]


def menu_item():
    return EnrolmentImportMenuItem(
        _("Enrol from HR file"),
        reverse("courses_enrolment_upload"),
        name="enrolment-import",
        icon_name="upload",
        order=305,
    )
