"""Moderation and editing rights follow a page into its translations. The Module moderation
workflow and the Editors' and Reviewers' page permissions are assigned on the English site
root; wagtail-localize makes the Welsh home as a translation (or alias) of it, a sibling of
the English home rather than a descendant, so without this nothing would cover the Welsh
tree: translated pages would publish without review and editors could not edit them."""

from django.core.exceptions import ValidationError
from wagtail.models import GroupPagePermission, Page, WorkflowPage
from wagtail_localize.models import Translation


def translated_page_cover(*, page: Page) -> bool:
    """Give `page` (a page just made in another locale) the workflow assignment and group
    page permissions of the pages it translates (same translation key), when they have some
    and it has none. Idempotent; returns whether anything was added. Two queries when the
    page's source has neither (almost every page); a few more when it has."""
    others = Page.objects.filter(translation_key=page.translation_key).exclude(pk=page.pk)
    added = False
    workflow = (
        WorkflowPage.objects.filter(page__in=others).values_list("workflow_id", flat=True).first()
    )
    if workflow is not None:
        _, created = WorkflowPage.objects.get_or_create(
            page_id=page.pk, defaults={"workflow_id": workflow}
        )
        added |= created
    grants = set(
        GroupPagePermission.objects.filter(page__in=others).values_list("group_id", "permission_id")
    )
    for group_id, permission_id in sorted(grants):
        _, created = GroupPagePermission.objects.get_or_create(
            page_id=page.pk, group_id=group_id, permission_id=permission_id
        )
        added |= created
    return added


class TranslationNotSubmitted(Exception):
    """The page cannot go to moderation: the message says why, for the editor."""


def translated_page_submit(*, page: Page, user) -> None:
    """Send a translated page to moderation, as an editor without publishing rights must:
    its translated strings so far (wagtail-localize's translation screens save them as they
    are typed; untranslated ones stay English) become a draft revision of the page, leaving
    what learners see unchanged, and the page's workflow (the English tree's, which
    translated_page_cover gave its translations) starts on it. The reviewer then approves
    and publishes it in Wagtail's usual moderation screens."""
    translation = Translation.objects.filter(
        source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
    ).first()
    if translation is None:
        raise TranslationNotSubmitted("This page is not a translation made in the admin.")
    workflow = page.get_workflow()
    if workflow is None:
        raise TranslationNotSubmitted("No moderation workflow covers this page.")
    if page.workflow_in_progress:
        raise TranslationNotSubmitted("This page is already in moderation.")
    # Not save_target(publish=False): it saves the page itself too, which would show the
    # unapproved translation to learners. The translated page is built without saving it,
    # and only its revision is saved; approving the revision publishes it.
    draft = translation.source.get_ephemeral_translated_instance(page.locale, fallback=True)
    try:
        draft.save_revision(user=user)
    except ValidationError as invalid:
        raise TranslationNotSubmitted(
            "The translation cannot be saved: " + "; ".join(invalid.messages)
        ) from None
    workflow.start(page.specific_class.objects.get(pk=page.pk), user)
