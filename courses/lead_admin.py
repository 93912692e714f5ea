"""The admin screens for force training leads, registered by courses.wagtail_hooks:

- Learners (`force_learners`): the learners of the forces a lead may see (an administrator sees
  every force), with filters, search, CSV/XLSX download and an edit form for HR details. What a
  user may see is decided by courses.lead_permissions.LeadLearnerPermissionPolicy, in the
  queryset: a learner of another force is a 404.
- Force training leads (`training_leads`): administrators grant the role to an account found by
  its email address, change its forces and revoke it (services.lead_grant / lead_revoke).
"""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.shortcuts import redirect
from django.urls import path
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from courses import selectors, services
from courses.lead_permissions import learner_permission_policy
from courses.models import Force, LearnerProfile, LearnerRole, TrainingLead, display_name

# Spreadsheets run cells that start with these as formulas; a learner's name must never do that
# (the same rule as the managers' API CSV).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def learner_status(profile: LearnerProfile) -> str:
    if profile.left_on is not None:
        return gettext("Left on %(date)s") % {"date": date_format(profile.left_on, "j M Y")}
    if not profile.user.is_active:
        return gettext("Deactivated")
    return gettext("Active")


def refused(view, form, field: str, error: Exception):
    """A service's refusal shown on the form, as the view shows a form's own errors."""
    form.add_error(field, str(error))
    view.produced_error_message = view.get_error_message()
    return view.form_invalid(form)


# --- Learners ---------------------------------------------------------------------------------


class LearnerFilterSet(WagtailFilterSet):
    force = django_filters.ModelChoiceFilter(
        label=_("Force"),
        # Only the forces in the user's scope are choices: another force's id is not valid.
        queryset=lambda request: (
            selectors.lead_forces(request.user) if request is not None else Force.objects.none()
        ),
    )
    role = django_filters.ChoiceFilter(label=_("Role"), choices=LearnerRole.choices)
    team = django_filters.CharFilter(label=_("Team"), lookup_expr="icontains")
    status = django_filters.ChoiceFilter(
        label=_("Active or left"),
        choices=[("active", _("Active")), ("left", _("Left or deactivated"))],
        method="filter_status",
    )

    class Meta:
        model = LearnerProfile
        fields = ["force", "role", "team", "status"]

    def filter_status(self, queryset, name, value):
        active = {"left_on__isnull": True, "user__is_active": True}
        if value == "active":
            return queryset.filter(**active)
        return queryset.exclude(**active)


class LearnerIndexView(generic.IndexView):
    """Scoped by the permission policy's queryset; one query for the lead's forces, one count,
    one page of rows (user and force joined)."""

    filterset_class = LearnerFilterSet
    default_ordering = "user__last_name"
    page_title = _("Learners")
    export_headings = {
        "user.first_name": _("First name"),
        "user.last_name": _("Last name"),
        "user.email": _("Email"),
        "force.name": _("Force"),
        "get_role_display": _("Role"),
        "team": _("Team"),
        "staff_number": _("Staff number"),
        "status": _("Active or left"),
        "start_date": _("Start date"),
        "created_at": _("Joined"),
    }
    list_export = list(export_headings)

    def get_base_queryset(self):
        return learner_permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["view", "change"]
        ).select_related("user", "force")

    def get_valid_orderings(self):
        return [*super().get_valid_orderings(), "user__last_name"]

    def order_queryset(self, queryset):
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "pk")  # a stable order across pages

    def to_row_dict(self, item):
        return {
            field: learner_status(item) if field == "status" else _value(item, field)
            for field in self.list_export
        }

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        csv_text = export_format == self.FORMAT_CSV and isinstance(value, str)
        if csv_text and value.startswith(FORMULA_TRIGGERS):
            return "'" + value
        return value


def _value(item, dotted: str):
    value = item
    for bit in dotted.split("."):
        value = getattr(value, bit)
    return value() if callable(value) else value


class LearnerProfileForm(WagtailAdminModelForm):
    has_left = forms.BooleanField(
        required=False,
        label=_("Has left the force"),
        help_text=_(
            "Their account is deactivated: they can no longer sign in and are no longer "
            "reminded. Untick to reactivate it."
        ),
    )

    class Meta:
        model = LearnerProfile
        fields = ["role", "team", "staff_number", "start_date", "left_on"]
        labels = {"left_on": _("Date they left")}
        help_texts = {"left_on": _("Needed when they have left.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["has_left"].initial = self.instance.left_on is not None

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("has_left"):
            cleaned["left_on"] = None
        elif cleaned.get("left_on") is None and "left_on" not in self.errors:
            self.add_error(
                "left_on", gettext("Enter the date they left, or untick 'Has left the force'.")
            )
        return cleaned


class LearnerEditView(generic.EditView):
    template_name = "courses/admin/force_learner_edit.html"
    success_message = _("%(name)s's details saved.")

    def get_queryset(self):
        # Outside the user's scope there is no such learner (404), not a refusal (403).
        return learner_permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["change"]
        ).select_related("user", "force")

    def get_page_subtitle(self):
        return display_name(self.object.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(learner=self.object, status=learner_status(self.object))

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            result = services.learner_profile_update(
                profile=self.object,
                role=data["role"],
                team=data["team"],
                staff_number=data["staff_number"],
                start_date=data["start_date"],
                left_on=data["left_on"],
                updated_by=self.request.user,
            )
        except services.LearnerUpdateRefused as error:
            return refused(self, form, "has_left", error)
        name = display_name(result.profile.user)
        if result.deactivated:
            message = gettext(
                "%(name)s's details saved. Their account is deactivated: they can no longer "
                "sign in."
            )
        elif result.reactivated:
            message = gettext(
                "%(name)s's details saved. Their account is active again: they can sign in."
            )
        else:
            message = gettext("%(name)s's details saved.")
        message %= {"name": name}
        messages.success(self.request, message)
        return redirect(self.get_success_url())


class ForceLearnerViewSet(ModelViewSet):
    """A lead's learners. Index, results and edit only: learners are added by registering or
    by the HR import, and erased only by administrators."""

    model = LearnerProfile
    icon = "group"
    menu_label = _("Learners")
    menu_order = 205
    add_to_admin_menu = True
    copy_view_enabled = False
    add_to_reference_index = False
    index_view_class = LearnerIndexView
    edit_view_class = LearnerEditView
    search_fields = ["user__first_name", "user__last_name", "user__email", "staff_number"]
    export_filename = "learners"
    list_per_page = 50
    list_display = [
        TitleColumn(
            "name",
            label=_("Name"),
            accessor=lambda profile: display_name(profile.user),
            url_name="force_learners:edit",
            sort_key="user__last_name",
        ),
        Column("email", label=_("Email"), accessor="user.email", sort_key="user__email"),
        Column("force", label=_("Force"), accessor="force.name"),
        Column("role", label=_("Role"), accessor="get_role_display", sort_key="role"),
        Column("team", label=_("Team"), sort_key="team"),
        Column("staff_number", label=_("Staff number"), sort_key="staff_number"),
        Column("status", label=_("Active or left"), accessor=learner_status),
        DateColumn("created_at", label=_("Joined"), sort_key="created_at"),
    ]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            add_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            **kwargs,
        )

    def get_form_class(self, for_update=False):
        return LearnerProfileForm

    def get_permissions_to_register(self):
        return Permission.objects.none()  # the policy is the lead's scope, not a group's

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("edit/<int:pk>/", self.edit_view, name="edit"),
        ]


# --- Force training leads (administrators only) -----------------------------------------------


def _forces_field():
    return forms.ModelMultipleChoiceField(
        queryset=Force.objects.filter(is_active=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        label=_("Forces"),
        help_text=_("The lead sees and changes only these forces' learners and reports."),
        error_messages={"required": _("Choose at least one force for the lead.")},
    )


class TrainingLeadGrantForm(WagtailAdminModelForm):
    email = forms.EmailField(
        label=_("Email address of the account"),
        help_text=_(
            "The person must already have an account (they registered, or were "
            "invited). Their sign-in stays the same: /admin/login/ with their own password."
        ),
    )

    class Meta:
        model = TrainingLead
        fields = ["email", "forces"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forces"] = _forces_field()

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email).order_by("pk").first()
        if user is None:
            raise forms.ValidationError(
                gettext(
                    "No account uses this email address. Ask the person to register (or "
                    "invite them) first, then grant the role."
                )
            )
        if TrainingLead.objects.filter(user=user).exists():
            raise forms.ValidationError(
                gettext("This account is already a training lead: change its forces from the list.")
            )
        self.account = user
        return email


class TrainingLeadForcesForm(WagtailAdminModelForm):
    class Meta:
        model = TrainingLead
        fields = ["forces"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forces"] = _forces_field()


class TrainingLeadCreateView(generic.CreateView):
    page_title = _("Grant the training lead role")

    def form_valid(self, form):
        try:
            result = services.lead_grant(
                user=form.account,
                forces=form.cleaned_data["forces"],
                granted_by=self.request.user,
                path=self.request.path,
            )
        except services.LeadGrantRefused as error:
            return refused(self, form, "email", error)
        messages.success(
            self.request,
            gettext("%(name)s is now a training lead for %(forces)s. They sign in at %(url)s.")
            % {
                "name": display_name(form.account),
                "forces": ", ".join(force.name for force in result.lead.forces.all()),
                "url": "/admin/login/",
            },
        )
        return redirect(self.get_success_url())


class TrainingLeadEditView(generic.EditView):
    def get_queryset(self):
        return TrainingLead.objects.select_related("user")

    def get_page_subtitle(self):
        return display_name(self.object.user)

    def form_valid(self, form):
        try:
            services.lead_grant(
                user=self.object.user,
                forces=form.cleaned_data["forces"],
                granted_by=self.request.user,
                path=self.request.path,
            )
        except services.LeadGrantRefused as error:
            return refused(self, form, "forces", error)
        messages.success(
            self.request,
            gettext("%(name)s's forces saved.") % {"name": display_name(self.object.user)},
        )
        return redirect(self.get_success_url())


class TrainingLeadRevokeView(generic.DeleteView):
    page_title = _("Revoke the training lead role")

    @property
    def confirmation_message(self):
        return gettext(
            "Revoke the training lead role from %(name)s? They will no longer see any force's "
            "learners, and can no longer use the admin unless another group lets them. Their "
            "own account is kept."
        ) % {"name": display_name(self.object.user)}

    def get_success_message(self):
        return gettext("Training lead role revoked from %(name)s.") % {
            "name": display_name(self.object.user)
        }

    def delete_action(self):
        services.lead_revoke(
            user=self.object.user, revoked_by=self.request.user, path=self.request.path
        )


def _lead_forces(lead: TrainingLead) -> str:
    return ", ".join(force.name for force in lead.forces.all())


class TrainingLeadIndexView(generic.IndexView):
    def get_base_queryset(self):
        return TrainingLead.objects.select_related("user").prefetch_related("forces")


class TrainingLeadViewSet(ModelViewSet):
    model = TrainingLead
    icon = "user"
    menu_label = _("Force training leads")
    add_to_settings_menu = True
    menu_order = 610
    copy_view_enabled = False
    add_to_reference_index = False
    index_view_class = TrainingLeadIndexView
    add_view_class = TrainingLeadCreateView
    edit_view_class = TrainingLeadEditView
    delete_view_class = TrainingLeadRevokeView
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    list_display = [
        TitleColumn(
            "name",
            label=_("Lead"),
            accessor=lambda lead: display_name(lead.user),
            url_name="training_leads:edit",
        ),
        Column("email", label=_("Email"), accessor="user.email"),
        Column("forces", label=_("Forces"), accessor=_lead_forces),
        DateColumn("granted_at", label=_("Granted"), sort_key="granted_at"),
    ]

    def get_form_class(self, for_update=False):
        return TrainingLeadForcesForm if for_update else TrainingLeadGrantForm

    def get_permissions_to_register(self):
        return Permission.objects.none()  # administrators only, whatever the groups say
