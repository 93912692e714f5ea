"""The Wagtail admin's screens for training managers' API keys and their access log. Registered
by courses.wagtail_hooks."""

from django import forms
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.menus import MenuItem as ListingButton
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.log_actions import log

from courses import services
from courses.models import ApiAccessLog, ApiKey


class ApiKeyForm(WagtailAdminModelForm):
    class Meta:
        model = ApiKey
        fields = ["name", "forces", "expires_at", "can_write"]
        widgets = {"forces": forms.CheckboxSelectMultiple}
        help_texts = {"expires_at": _("Leave empty for a key that does not expire.")}
        labels = {"can_write": _("Write scope: may also set its forces' headcounts")}

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        if expires_at and expires_at <= timezone.now():
            raise forms.ValidationError(gettext("Choose a time in the future."))
        return expires_at


class ApiKeyCreateView(generic.CreateView):
    """Creates the key through the service and shows it once; only its hash is stored."""

    def form_valid(self, form):
        issued = services.api_key_create(
            name=form.cleaned_data["name"],
            forces=form.cleaned_data["forces"],
            expires_at=form.cleaned_data["expires_at"],
            created_by=self.request.user,
            can_write=form.cleaned_data["can_write"],
        )
        log(instance=issued.api_key, action="wagtail.create", user=self.request.user)
        response = TemplateResponse(
            self.request,
            "courses/admin/api_key_created.html",
            {
                "api_key": issued.api_key,
                "key": issued.key,
                "forces": issued.api_key.forces.all(),
                "index_url": self.get_success_url(),
                "header_icon": "key",
                "page_title": gettext("API key created"),
            },
        )
        # The only copy of the secret: never let a browser or proxy keep it.
        response["Cache-Control"] = "no-store"
        return response


def api_key_scope(api_key: ApiKey) -> str:
    return gettext("Read and set headcounts") if api_key.can_write else gettext("Read only")


def api_key_state(api_key: ApiKey) -> str:
    if api_key.revoked_at is not None:
        return gettext("Revoked")
    if api_key.expires_at is not None and api_key.expires_at <= timezone.now():
        return gettext("Expired")
    return gettext("Active")


class ApiKeyIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_related("forces")  # the Forces column

    def get_list_more_buttons(self, instance):
        # Keys are revoked, never deleted: the access log must keep pointing at them.
        revoke_url = self.get_delete_url(instance)
        buttons = [b for b in super().get_list_more_buttons(instance) if b.url != revoke_url]
        if revoke_url and instance.revoked_at is None:
            buttons.append(
                ListingButton(gettext("Revoke"), url=revoke_url, icon_name="cross", priority=30)
            )
        return buttons


class ApiKeyRevokeView(generic.DeleteView):
    page_title = _("Revoke")
    template_name = "courses/admin/api_key_revoke.html"
    success_message = _("API key '%(object)s' revoked; it no longer works.")

    @property
    def confirmation_message(self):
        return gettext(
            "Revoke this key? Requests with it will get 401 from now on. "
            "This cannot be undone; create a new key if access is still needed."
        )

    def delete_action(self):
        services.api_key_revoke(api_key=self.object)
        log(instance=self.object, action="courses.api_key_revoke", user=self.request.user)


class ApiKeyViewSet(ModelViewSet):
    model = ApiKey
    icon = "key"
    menu_label = _("API keys")
    index_view_class = ApiKeyIndexView
    add_view_class = ApiKeyCreateView
    delete_view_class = ApiKeyRevokeView
    copy_view_enabled = False
    add_to_reference_index = False  # nothing links to a key; skip the indexing work on save
    list_display = [
        "name",
        "prefix",
        Column(
            "forces",
            label=_("Forces"),
            accessor=lambda api_key: ", ".join(force.code for force in api_key.forces.all()),
        ),
        Column("state", label=_("State"), accessor=api_key_state),
        Column("scope", label=_("Scope"), accessor=api_key_scope),
        "created_at",
        "expires_at",
        "last_used_at",
    ]
    list_filter = ["forces", "can_write"]
    search_fields = ["name", "prefix"]

    def get_form_class(self, for_update=False):
        return ApiKeyForm


class ApiAccessLogViewSet(ModelViewSet):
    """Read-only: who read which force's learner data, with which filters, how many rows."""

    model = ApiAccessLog
    icon = "list-ul"
    menu_label = _("API access log")
    inspect_view_enabled = True
    copy_view_enabled = False
    # Every API read inserts a row; indexing its references would add 4 queries to each read.
    add_to_reference_index = False
    list_display = ["created_at", "key", "force", "endpoint", "row_count"]
    list_filter = ["force", "key"]
    inspect_view_fields = ["created_at", "key", "force", "endpoint", "filters", "row_count"]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            add_url_name=None, edit_url_name=None, delete_url_name=None, **kwargs
        )

    def get_index_view_kwargs(self, **kwargs):
        view_kwargs = super().get_index_view_kwargs(**kwargs)
        view_kwargs["queryset"] = ApiAccessLog.objects.select_related("key", "force")
        return view_kwargs

    def get_urlpatterns(self):
        # No add, edit, delete, copy or history routes: the log is written only by the API.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{self.pk_path_converter}:pk>/", self.inspect_view, name="inspect"),
        ]


class ManagerApiViewSetGroup(ModelViewSetGroup):
    menu_label = _("Manager API")
    menu_icon = "key"
    menu_order = 310
    items = (ApiKeyViewSet("api_keys"), ApiAccessLogViewSet("api_access_log"))
