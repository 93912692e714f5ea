"""Pathways by role in the admin: which modules each role must take, in order, and how long
learners have for each. Editors, Reviewers and superusers manage them (data migration
courses/0021_c); training leads cannot.

Saving or deleting a pathway re-enrols the learners it concerns (services.enrolments_sync over
services.pathway_learners), through Wagtail's snippet hooks, which the admin's single and bulk
delete both run (registered in courses.wagtail_hooks): in the request for up to
SYNC_IN_REQUEST_MAX learners, else by the daily `manage.py enrolments_sync`."""

from django.contrib import messages
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet

from courses import services
from courses.models import Pathway, default_locale_id

# Plain strs (others compare against them), marked for translation and translated where shown.
DUPLICATE_MODULE = gettext_noop(
    "This module is already in the pathway. Each module can appear only once."
)
TRANSLATED_MODULE = gettext_noop(
    "Choose the module in English: a pathway requires a module in every language, and "
    "learners' progress is kept against the English page."
)


class PathwayForm(WagtailAdminModelForm):
    """The pathway with its steps. Mistakes are form errors, never a database error: a module
    twice or a module's translation (here), a role that already has a pathway (the field's
    own unique message), a Champion (not a job role, so not offered), days outside 1 to 730
    (the step's validators)."""

    def clean(self):
        cleaned = super().clean()
        steps = self.formsets.get("steps")
        seen = set()
        for form in steps.forms if steps is not None else []:
            form.is_valid()  # the step's own fields, cleaned once (not the whole formset)
            data = getattr(form, "cleaned_data", {})
            module = data.get("module")
            if module is None or data.get("DELETE"):
                continue
            if module.locale_id != default_locale_id():  # a translation or an alias
                form.add_error("module", gettext(TRANSLATED_MODULE))
            if module.pk in seen:
                # modelcluster's own check marks the row too, without saying which field.
                form.add_error("module", gettext(DUPLICATE_MODULE))
            seen.add(module.pk)
        return cleaned


def steps_column() -> Column:
    return Column(
        "steps",
        label=_("Required modules (days to finish)"),
        accessor=lambda pathway: (
            "; ".join(
                f"{step.module.title} ({step.days_to_complete})" for step in pathway.steps.all()
            )
            or gettext("None yet")
        ),
    )


class PathwayViewSet(SnippetViewSet):
    model = Pathway
    icon = "list-ol"
    menu_label = _("Pathways")
    menu_name = "pathways"
    add_to_admin_menu = True
    menu_order = 260
    list_display = ["role", steps_column()]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("role"),
            InlinePanel(
                "steps",
                label=_("Required modules"),
                help_text=_(
                    "In the order learners should take them. Each module is due the "
                    "given number of days after the learner is enrolled on it: when they join, "
                    "start in post, or when the module is added here, whichever is latest."
                ),
                min_num=0,
            ),
        ],
        base_form_class=PathwayForm,
    )

    def get_queryset(self, request):
        # One query for every listed pathway's steps and their modules' titles.
        return Pathway.objects.prefetch_related("steps__module")


# --- Re-enrolment after a change (Wagtail snippet hooks, registered in wagtail_hooks) ---------

# Re-enrolling takes about a second per 1,000 learners on a small machine (40,000 learners on
# 3 modules: 45 s to enrol, 15-95 s to check, minutes to move every due date; README), too long
# for a request beyond this many learners; the daily `manage.py enrolments_sync` does it then.
SYNC_IN_REQUEST_MAX = 5000


def _sync(request, roles: list[str]) -> None:
    learners = services.pathway_learners(roles=roles)
    count = learners.count()
    if count > SYNC_IN_REQUEST_MAX:
        messages.warning(
            request,
            ngettext(
                "%(count)s learner is affected: their required modules and due dates will be "
                "updated by the next enrolment run (%(command)s, run daily), not now.",
                "%(count)s learners are affected: their required modules and due dates will be "
                "updated by the next enrolment run (%(command)s, run daily), not now.",
                count,
            )
            % {"count": count, "command": "manage.py enrolments_sync"},
        )
        return
    result = services.enrolments_sync(profiles=learners)
    if result.enrolled or result.changed or result.released:
        messages.info(
            request,
            gettext(
                "Learners' required modules updated: %(enrolled)s enrolment(s) added, "
                "%(changed)s due date(s) changed, %(released)s no longer required."
            )
            % {
                "enrolled": result.enrolled,
                "changed": result.changed,
                "released": result.released,
            },
        )


def after_pathway_saved(request, instance):
    """after_create_snippet and after_edit_snippet: the pathway's role (and a role it had
    before, whose learners now have no pathway) re-enrolled."""
    if isinstance(instance, Pathway):
        _sync(request, [instance.role])


def after_pathways_deleted(request, instances):
    """after_delete_snippet (the single and the bulk delete): learners left with required
    modules from a deleted pathway are released."""
    if any(isinstance(instance, Pathway) for instance in instances):
        _sync(request, [])
