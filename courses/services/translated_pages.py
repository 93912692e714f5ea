"""Moderation and editing rights follow a page into its translations. The Module moderation
workflow and the Editors' and Reviewers' page permissions are assigned on the English site
root; wagtail-localize makes the Welsh home as a translation (or alias) of it, a sibling of
the English home rather than a descendant, so without this nothing would cover the Welsh
tree: translated pages would publish without review and editors could not edit them."""

from wagtail.models import GroupPagePermission, Page, WorkflowPage


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
