"""Sending a page's translation to moderation. wagtail-localize's translation screens offer
only "Publish", which editors (without publishing rights) cannot use; this screen, reached
from the page's "More" menu in the page listing, saves the translation so far as a draft and
starts the page's workflow, so a reviewer approves and publishes it as they do English pages.
Registered by courses.wagtail_hooks."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail.models import Page

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
            messages.success(request, f"'{page.title}' was submitted for moderation.")
        return redirect(reverse("wagtailadmin_explore", args=[page.get_parent().pk]))
    return TemplateResponse(
        request,
        "courses/admin/submit_translation.html",
        {"page": page, "page_title": "Submit translation for moderation"},
    )


def admin_urls():
    return [path("translations/<int:page_id>/submit/", submit_translation, name=SUBMIT_URL_NAME)]
