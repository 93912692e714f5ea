"""Wagtail admin: move a learner to another force (administrators only), through
services.learner_move(), which decides what moves and writes the audit entries."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses import services
from courses.models import Force


class LearnerMoveForm(forms.Form):
    force = forms.ModelChoiceField(
        queryset=Force.objects.filter(is_active=True).order_by("name"),
        label="New force",
        error_messages={"required": "Choose the force the learner has moved to."},
    )


class LearnerMoveView(WagtailAdminTemplateMixin, FormView):
    """Confirm the new force, then move the learner."""

    template_name = "courses/admin/learner_move.html"
    form_class = LearnerMoveForm
    page_title = "Move to another force"
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        self.subject = get_object_or_404(get_user_model(), pk=kwargs["user_id"])
        return super().dispatch(request, *args, **kwargs)

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
            f"Account {self.subject.pk} now counts for {force.name}; "
            f"{result.modules_moved} module(s) in progress moved with them.",
        )
        return redirect("wagtailusers_users:index")
