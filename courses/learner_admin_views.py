"""Wagtail admin views on one learner's account, for administrators only: erase their personal
data (services.learner_erase()) and move them to another force (services.learner_move(),
which decides what moves and writes the audit entries)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses import services
from courses.models import Force


class LearnerMoveForm(forms.Form):
    force = forms.ModelChoiceField(
        queryset=Force.objects.filter(is_active=True).order_by("name"),
        label=_("New force"),
        error_messages={"required": _("Choose the force the learner has moved to.")},
    )


class AdministratorOnAccountMixin:
    """For administrators only (403 for anyone else); `self.subject` is the account the URL's
    `user_id` names (404 if none)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        self.subject = get_object_or_404(get_user_model(), pk=kwargs["user_id"])
        return super().dispatch(request, *args, **kwargs)


class LearnerMoveView(AdministratorOnAccountMixin, WagtailAdminTemplateMixin, FormView):
    """Confirm the new force, then move the learner."""

    template_name = "courses/admin/learner_move.html"
    form_class = LearnerMoveForm
    page_title = _("Move to another force")
    header_icon = "user"

    def get_context_data(self, **kwargs):
        profile = getattr(self.subject, "learner_profile", None)
        current = profile.force if profile is not None else None
        return super().get_context_data(subject=self.subject, current_force=current, **kwargs)

    def form_valid(self, form):
        force = form.cleaned_data["force"]
        try:
            result = services.learner_move(
                learner=self.subject,
                force=force,
                moved_by=self.request.user,
                path=self.request.path,
            )
        except services.LearnerMoveRefused as error:
            messages.error(self.request, str(error))
            return redirect("wagtailusers_users:index")
        messages.success(
            self.request,
            ngettext(
                "Account %(pk)s now counts for %(force)s; %(count)s module in progress moved "
                "with them.",
                "Account %(pk)s now counts for %(force)s; %(count)s modules in progress moved "
                "with them.",
                result.modules_moved,
            )
            % {"pk": self.subject.pk, "force": force.name, "count": result.modules_moved},
        )
        return redirect("wagtailusers_users:index")


class LearnerEraseView(AdministratorOnAccountMixin, WagtailAdminTemplateMixin, TemplateView):
    """Confirm, then erase a learner's personal data through services.learner_erase()."""

    template_name = "courses/admin/learner_erase.html"
    page_title = _("Erase personal data")
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            subject=self.subject,
            erased=self.subject.email.endswith(services.ERASED_EMAIL_DOMAIN),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            result = services.learner_erase(user=self.subject, erased_by=request.user)
        except services.ErasureRefused as error:
            messages.error(request, str(error))
            return redirect("wagtailusers_users:index")
        messages.success(
            request,
            (
                gettext("Personal data of account %(pk)s erased.")
                if not result.already_erased
                else gettext("Account %(pk)s was already erased; nothing else to remove.")
            )
            % {"pk": result.user_id},
        )
        return redirect("wagtailusers_users:index")
