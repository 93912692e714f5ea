"""Translations under the same moderation as the English.

- Sending a page's translation to moderation: wagtail-localize's translation screens offer
  only "Publish", which editors (without publishing rights) cannot use; this screen, reached
  from the page's "More" menu in the page listing, saves the translation so far as a draft and
  starts the page's workflow, so a reviewer approves and publishes it as they do English pages.
- "Sync translated pages" (wagtail-localize's update view) offers "Publish immediately"
  without asking whether the user may publish: here the same view, served at its address,
  disables that box for a user who may not publish every translation it would publish (they
  sync, then submit the translation for moderation).

Registered by courses.wagtail_hooks.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, gettext_lazy
from wagtail.models import DraftStateMixin, Page
from wagtail_localize.views.update_translations import UpdateTranslationsView

from courses import services

SUBMIT_URL_NAME = "courses_translation_submit"


def may_submit(page: Page, user) -> bool:
    return (
        user.has_perm("wagtail_localize.submit_translation")
        and page.permissions_for_user(user).can_edit()
    )


def submit_translation(request, page_id: int):
    """GET: what will happen, with a button; POST: the draft and the workflow. 403 without
    the right to edit the page or to translate; a message, not an error, when the page cannot
    go to moderation."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not may_submit(page, request.user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.translated_page_submit(page=page, user=request.user)
        except services.TranslationNotSubmitted as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                gettext("'%(title)s' was submitted for moderation.") % {"title": page.title},
            )
        return redirect(reverse("wagtailadmin_explore", args=[page.get_parent().pk]))
    return TemplateResponse(
        request,
        "courses/admin/submit_translation.html",
        {"page": page, "page_title": gettext("Submit translation for moderation")},
    )


def may_publish(user, instance) -> bool:
    """Whether `user` may publish `instance` (a page, or a snippet with drafts; a snippet
    without drafts is published by saving it, which the translation screen already checks)."""
    if isinstance(instance, Page):
        return instance.permissions_for_user(user).can_publish()
    if isinstance(instance, DraftStateMixin):
        meta = type(instance)._meta
        return user.has_perm(f"{meta.app_label}.publish_{meta.model_name}")
    return True


class ModeratedUpdateTranslationsView(UpdateTranslationsView):
    """wagtail-localize's "Sync translated pages", with "Publish immediately" disabled (so
    never applied, whatever is posted) for a user who may not publish every translation."""

    def get_form(self):
        form = super().get_form()
        targets = (
            translation.get_target_instance()
            for translation in self.object.translations.filter(enabled=True)
        )
        if not all(may_publish(self.request.user, target) for target in targets):
            field = form.fields["publish_translations"]
            field.disabled = True
            field.help_text = gettext_lazy(
                "You cannot publish these translations: update them, then submit each for "
                "moderation from the page listing's More menu."
            )
        return form


def admin_urls():
    return [path("translations/<int:page_id>/submit/", submit_translation, name=SUBMIT_URL_NAME)]


def localize_admin_urls():
    """Ahead of wagtail-localize's own routes (registered with a lower hook order): its
    update view's address, served by the view above. Its URL name stays wagtail-localize's."""
    return [
        path(
            "localize/update/<int:translation_source_id>/",
            ModeratedUpdateTranslationsView.as_view(),
        )
    ]
