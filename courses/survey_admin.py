"""Attitude surveys in the Wagtail admin: authoring (a snippet with drafts, revisions and
publishing) and the editors' screen of free-text answers. Editors, Reviewers and superusers
only (permissions from data migration courses/0026_c); training leads, programme evaluators
and learners get nothing here. Registered by courses.wagtail_hooks.

Statements are what pre, post and follow-up answers are paired on, so a statement with answers
can be reworded but never removed, and a survey with responses cannot be deleted (unpublish it
instead): both refused with a message, never a database error."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.ui.menus import MenuItem as ListingButton
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.snippets.views.snippets import SnippetViewSet

from courses import selectors
from courses.models import (
    PROGRAMME_HAS_SURVEY,
    AttitudeSurvey,
    SurveyAnswer,
    SurveyResponse,
    default_locale_id,
)

STATEMENTS_MIN, STATEMENTS_MAX = 1, 20
CHANGE_PERMISSION = "courses.change_attitudesurvey"


def statement_has_answers_message(text: str) -> str:
    return gettext(
        'The statement "%(text)s" already has answers, so it cannot be removed: pre and post '
        "answers are paired on it. You can correct its wording instead."
    ) % {"text": text}


class AttitudeSurveyForm(WagtailAdminModelForm):
    """The survey with its statements: between 1 and 20, and none removed that has answers."""

    def clean(self):
        cleaned = super().clean()
        self._check_one_per_programme(cleaned.get("programme"))
        statements = self.formsets.get("statements")
        if statements is None:
            return cleaned
        kept, removed = 0, []
        for form in statements.forms:
            form.is_valid()  # each statement's own fields, cleaned once
            data = getattr(form, "cleaned_data", {})
            if data.get("DELETE"):
                if form.instance.pk:
                    removed.append(form.instance)
            elif data.get("text"):
                kept += 1
        answered = set(
            SurveyAnswer.objects.filter(statement__in=[s.pk for s in removed])
            .values_list("statement_id", flat=True)
            .distinct()
        )
        for statement in removed:
            if statement.pk in answered:
                self.add_error(None, statement_has_answers_message(statement.text))
        if kept < STATEMENTS_MIN:
            self.add_error(None, gettext("Add at least one statement."))
        elif kept > STATEMENTS_MAX:
            self.add_error(
                None,
                gettext("A survey can have at most %(max)s statements; it has %(count)s.")
                % {"max": STATEMENTS_MAX, "count": kept},
            )
        return cleaned

    def _check_one_per_programme(self, programme) -> None:
        """One survey per programme in each locale (the locale is not a form field, so the
        model's unique constraint is not checked by the form)."""
        if programme is None or self.instance.locale_id is None:
            return
        taken = (
            AttitudeSurvey.objects.filter(programme=programme, locale_id=self.instance.locale_id)
            .exclude(pk=self.instance.pk)
            .exists()
        )
        if taken:
            self.add_error("programme", PROGRAMME_HAS_SURVEY)


class AttitudeSurveyViewSet(SnippetViewSet):
    model = AttitudeSurvey
    icon = "list-ul"
    menu_label = _("Attitude surveys")
    menu_name = "attitude-surveys"
    add_to_admin_menu = True
    menu_order = 270
    copy_view_enabled = False
    list_display = [
        "title",
        Column("programme", label=_("Programme"), accessor=lambda s: s.programme.title),
        "follow_up_weeks",
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("programme"),
            FieldPanel("how_answers_are_used"),
            InlinePanel(
                "statements",
                label=_("Statements"),
                help_text=_(
                    "Learners answer each on a five-point scale from strongly disagree "
                    'to strongly agree, or "Prefer not to say". A statement with answers can be '
                    "reworded but not removed."
                ),
                min_num=STATEMENTS_MIN,
                max_num=STATEMENTS_MAX,
            ),
            FieldPanel("free_text_question"),
            FieldPanel("follow_up_weeks"),
        ],
        base_form_class=AttitudeSurveyForm,
    )

    def get_queryset(self, request):
        return AttitudeSurvey.objects.select_related("programme")


def refuse_deleting_answered_surveys(request, instances):
    """before_delete_snippet (single and bulk delete): a survey with responses is kept, with a
    message; nothing is deleted."""
    surveys = [i for i in instances if isinstance(i, AttitudeSurvey)]
    if not surveys:
        return None
    answered = (
        AttitudeSurvey.objects.filter(pk__in=[s.pk for s in surveys])
        .filter(pk__in=SurveyResponse.objects.values("survey_id"))
        .values_list("title", flat=True)
    )
    titles = list(answered)
    if not titles:
        return None
    messages.error(
        request,
        ngettext(
            "Not deleted: %(titles)s already has learners' answers, which the programme's "
            "results are built on. Unpublish the survey to stop asking learners.",
            "Not deleted: %(titles)s already have learners' answers, which the programme's "
            "results are built on. Unpublish the surveys to stop asking learners.",
            len(titles),
        )
        % {"titles": ", ".join(f'"{t}"' for t in titles)},
    )
    return redirect(reverse("wagtailsnippets_courses_attitudesurvey:list"))


# --- Free-text answers (editors only) ---------------------------------------------------------


class SurveyFreeTextView(WagtailAdminTemplateMixin, TemplateView):
    """A survey's free-text answers, with no name, email, force name or exact date, in random
    order; force filters only where k-anonymous (selectors.survey_free_text). Users who may
    change surveys only: 403 for training leads and evaluators who are not editors. A
    translation's address shows its source survey's answers, which every language's are."""

    template_name = "courses/admin/survey_free_text.html"
    header_icon = "openquote"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(CHANGE_PERMISSION):
            raise PermissionDenied
        self.survey = get_object_or_404(AttitudeSurvey, pk=kwargs["survey_id"])
        if self.survey.locale_id != default_locale_id():
            self.survey = get_object_or_404(
                AttitudeSurvey.objects.originals(), translation_key=self.survey.translation_key
            )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return gettext("Free-text answers: %(title)s") % {"title": self.survey.title}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("wagtailsnippets_courses_attitudesurvey:list"),
                "label": gettext("Attitude surveys"),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        choice = self.request.GET.get("group") or selectors.ALL_FORCES
        screen = selectors.survey_free_text(survey=self.survey, choice=choice)
        return super().get_context_data(screen=screen, **kwargs)


def admin_urls():
    return [
        path(
            "attitude-surveys/<int:survey_id>/free-text/",
            SurveyFreeTextView.as_view(),
            name="survey_free_text",
        )
    ]


def free_text_listing_button(snippet, user, next_url=None):
    """register_snippet_listing_buttons: "Free-text answers" beside each survey (its source:
    a translation's answers are the source's)."""
    if (
        isinstance(snippet, AttitudeSurvey)
        and user.has_perm(CHANGE_PERMISSION)
        and snippet.locale_id == default_locale_id()
    ):
        yield ListingButton(
            gettext("Free-text answers"),
            url=reverse("survey_free_text", args=[snippet.pk]),
            icon_name="openquote",
            priority=50,
        )
