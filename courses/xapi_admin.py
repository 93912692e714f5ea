"""The Wagtail admin's screens for xAPI delivery, for administrators (superusers) only: the
forces' LRS connections with what each is owed, a connection's settings (the secret is
write-only), a connection test, and the dead letters with "Retry all" and "Retry selected".
Registered by courses.wagtail_hooks (Settings menu).

Writes go through services (lrs_connection_save, outbox_retry), which audit them. Learners
appear only by their random xAPI id, never by name or email."""

from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses import services
from courses.models import Force, LrsConnection, OutboxState, XapiOutbox
from courses.superuser_admin import (
    AdministratorsMenuItem,
    AdministratorsOnlyMixin,
    WriteOnlySecretMixin,
    write_only_secret_field,
)
from courses.xapi.delivery import connection_test

# Hosts an endpoint may reach over plain http (an LRS on the same machine, or in tests).
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
DEAD_LETTERS_PER_PAGE = 50
INDEX = "courses_xapi_delivery"


class BreadcrumbsMixin:
    """Home > xAPI delivery [> this page]."""

    def get_breadcrumbs_items(self):
        items = [
            *self.breadcrumbs_items,
            {"url": reverse(INDEX), "label": gettext("xAPI delivery")},
        ]
        if self.request.resolver_match.url_name == INDEX:
            items[-1]["url"] = ""
        else:
            items.append({"url": "", "label": self.get_page_title()})
        return items


def the_connection(pk) -> LrsConnection:
    """The connection with its force, else 404."""
    return get_object_or_404(LrsConnection.objects.select_related("force"), pk=pk)


# --- The connections ---------------------------------------------------------------------------


class ConnectionsView(
    AdministratorsOnlyMixin, BreadcrumbsMixin, WagtailAdminTemplateMixin, TemplateView
):
    template_name = "courses/xapi_admin/index.html"
    page_title = _("xAPI delivery")
    header_icon = "resubmit"

    def get_context_data(self, **kwargs):
        return super().get_context_data(connections=connections_with_counts(), **kwargs)


def connections_with_counts():
    """Every connection with its force; its pending, sent and dead counts; how many pending
    entries have failed at least once (`retrying`: an LRS that is failing shows here long
    before anything is dead) with the status and answer kept on the newest of them
    (`retry_status`, `retry_answer`; a failed batch leaves the same answer on all its
    entries); and its last delivery time. One query, whatever the number of connections."""
    retrying = Q(state=OutboxState.PENDING, attempts__gt=0)
    newest_retrying = XapiOutbox.objects.filter(retrying, connection=OuterRef("pk")).order_by(
        "-pk"
    )[:1]
    return (
        LrsConnection.objects.select_related("force")
        .annotate(
            pending=Count("outbox", filter=Q(outbox__state=OutboxState.PENDING)),
            retrying=Count(
                "outbox",
                filter=Q(outbox__state=OutboxState.PENDING, outbox__attempts__gt=0),
            ),
            sent=Count("outbox", filter=Q(outbox__state=OutboxState.SENT)),
            dead=Count("outbox", filter=Q(outbox__state=OutboxState.DEAD)),
            last_sent_at=Max("outbox__sent_at"),
            retry_status=Subquery(newest_retrying.values("last_status")),
            retry_answer=Subquery(newest_retrying.values("last_answer")),
        )
        .order_by("force__name")
    )


class LrsConnectionForm(WriteOnlySecretMixin, forms.ModelForm):
    """A connection's settings. The secret is write-only: never rendered, not even back into
    a form with errors; left blank, the saved one is kept."""

    missing_source_message = _(
        "Enter the LRS secret, or name the environment variable that holds it."
    )
    both_sources_message = _(
        "Either enter the secret or name the environment variable that holds it, not both."
    )

    endpoint = forms.URLField(
        max_length=300,
        assume_scheme="https",
        label=_("Endpoint"),
        help_text=LrsConnection._meta.get_field("endpoint").help_text,
        error_messages={"required": _("Enter the LRS's xAPI endpoint.")},
    )
    secret = write_only_secret_field(
        _("Secret"), _("The LRS secret or password. It is stored encrypted and never shown again.")
    )
    batch_size = forms.IntegerField(
        min_value=1,
        max_value=500,
        initial=50,
        label=_("Batch size"),
        help_text=_("Statements sent per request (1 to 500)."),
        error_messages={
            "min_value": _("Send at least 1 statement per request."),
            "max_value": _("Send at most 500 statements per request; most LRSs accept 50 to 100."),
        },
    )

    class Meta:
        model = LrsConnection
        fields = [
            "force",
            "enabled",
            "endpoint",
            "xapi_version",
            "actor_format",
            "username",
            "secret",
            "secret_env",
            "batch_size",
        ]
        # A ModelForm capitalises the verbose name ("XAPI version"): the label keeps it as written.
        labels = {"xapi_version": _("xAPI version")}
        error_messages = {
            "force": {"required": _("Choose the force whose statements this LRS receives.")},
            "username": {"required": _("Enter the username or key the LRS gave you.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["force"]
        else:
            self.fields["force"].queryset = Force.objects.filter(
                lrs_connection__isnull=True
            ).order_by("name")
            self.fields["force"].help_text = gettext("Forces that have no LRS connection yet.")

    def clean_endpoint(self):
        endpoint = self.cleaned_data["endpoint"]
        parts = urlsplit(endpoint)
        if parts.username or parts.password:
            raise forms.ValidationError(
                gettext("Put the username and secret in their own fields, not in the address.")
            )
        if parts.query or parts.fragment:
            raise forms.ValidationError(
                gettext(
                    "Enter the endpoint without ?… or #…: the address that /statements follows."
                )
            )
        local = parts.hostname in LOCAL_HOSTS
        if parts.scheme != "https" and not (parts.scheme == "http" and local):
            raise forms.ValidationError(
                gettext(
                    "Use an https:// address: statements about learners must be encrypted on "
                    "the way. Plain http:// is allowed only for localhost."
                )
            )
        return endpoint


class ConnectionFormView(
    AdministratorsOnlyMixin, BreadcrumbsMixin, WagtailAdminTemplateMixin, FormView
):
    """Create a connection (no `pk`) or change one; saved and audited by the service."""

    template_name = "courses/xapi_admin/form.html"
    form_class = LrsConnectionForm
    header_icon = "resubmit"

    @cached_property
    def connection(self) -> LrsConnection | None:
        if "pk" not in self.kwargs:
            return None
        return the_connection(self.kwargs["pk"])

    def get_page_title(self):
        if self.connection is None:
            return gettext("Add an LRS connection")
        return gettext("%(force)s: LRS connection") % {"force": self.connection.force.name}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.connection}

    def get_context_data(self, **kwargs):
        return super().get_context_data(connection=self.connection, **kwargs)

    def form_valid(self, form):
        connection = services.lrs_connection_save(
            connection=form.save(commit=False),
            secret=form.cleaned_data["secret"],
            user=self.request.user,
            path=self.request.path,
        )
        messages.success(
            self.request,
            gettext("%(force)s's LRS connection saved.") % {"force": connection.force.name},
        )
        return redirect("courses_xapi_connection_edit", pk=connection.pk)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ConnectionTestView(AdministratorsOnlyMixin, View):
    """POST only: ask the LRS whether it answers and accepts the saved credentials."""

    http_method_names = ["post"]

    def post(self, request, pk):
        connection = the_connection(pk)
        ok, message = connection_test(connection)
        (messages.success if ok else messages.error)(request, message)
        return redirect("courses_xapi_connection_edit", pk=connection.pk)


# --- Dead letters ------------------------------------------------------------------------------


class DeadLettersView(
    AdministratorsOnlyMixin, BreadcrumbsMixin, WagtailAdminTemplateMixin, TemplateView
):
    """The connection's dead letters, oldest first, and the retry form (POST)."""

    template_name = "courses/xapi_admin/dead_letters.html"
    header_icon = "warning"

    @cached_property
    def connection(self) -> LrsConnection:
        return the_connection(self.kwargs["pk"])

    def get_page_title(self):
        return gettext("%(force)s: failed deliveries") % {"force": self.connection.force.name}

    def get_context_data(self, **kwargs):
        rows = (
            XapiOutbox.objects.filter(connection=self.connection, state=OutboxState.DEAD)
            .order_by("pk")
            .values("pk", "attempts", "last_status", "last_answer")
            .annotate(
                occurred_at=F("event__occurred_at"),
                verb=F("event__verb"),
                xapi_id=F("event__learner__learner_profile__xapi_id"),
            )
        )
        page = Paginator(rows, DEAD_LETTERS_PER_PAGE).get_page(self.request.GET.get("p"))
        pending = XapiOutbox.objects.filter(
            connection=self.connection, state=OutboxState.PENDING
        ).count()
        return super().get_context_data(
            connection=self.connection, page=page, pending=pending, **kwargs
        )

    def post(self, request, pk):
        entry_ids = None
        if request.POST.get("action") == "selected":
            try:
                entry_ids = [int(value) for value in request.POST.getlist("entry")]
            except ValueError:
                return HttpResponseBadRequest(
                    gettext(
                        "The entries to retry are chosen by their number; reload the page and "
                        "choose them again."
                    )
                )
            if not entry_ids:
                messages.error(request, gettext("Choose at least one failed delivery to retry."))
                return redirect(request.path)
        elif request.POST.get("action") != "all":
            return HttpResponseBadRequest(gettext("Choose “Retry all” or “Retry selected”."))
        count = services.outbox_retry(
            connection=self.connection, entry_ids=entry_ids, user=request.user, path=request.path
        )
        messages.success(
            request,
            ngettext(
                "%(count)s failed delivery will be sent again.",
                "%(count)s failed deliveries will be sent again.",
                count,
            )
            % {"count": count},
        )
        return redirect(request.path)


# --- Routes and menu ---------------------------------------------------------------------------


def admin_urls():
    return [
        path("xapi-delivery/", ConnectionsView.as_view(), name=INDEX),
        path(
            "xapi-delivery/add/", ConnectionFormView.as_view(), name="courses_xapi_connection_add"
        ),
        path(
            "xapi-delivery/<int:pk>/",
            ConnectionFormView.as_view(),
            name="courses_xapi_connection_edit",
        ),
        path(
            "xapi-delivery/<int:pk>/test/",
            ConnectionTestView.as_view(),
            name="courses_xapi_connection_test",
        ),
        path(
            "xapi-delivery/<int:pk>/failed/",
            DeadLettersView.as_view(),
            name="courses_xapi_dead_letters",
        ),
    ]


def menu_item():
    return AdministratorsMenuItem(
        _("xAPI delivery"), reverse(INDEX), name="xapi-delivery", icon_name="resubmit", order=620
    )
