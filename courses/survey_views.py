"""The learner's attitude survey pages: the offer before the first lesson, the form for each
stage, skipping, and thanks. Taking part is voluntary and never blocks learning: every page
offers the way on (`next`, a local URL only) and skipping is remembered (services.survey_decline).
Nobody but the learner ever sees their answers; these pages show only the questions."""

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from courses import selectors, services
from courses.models import (
    PREFER_NOT_TO_SAY,
    AttitudeSurvey,
    Likert,
    SupportService,
    SurveyStage,
    localized_all,
)

PREFER_NOT_TO_SAY_VALUE = "none"
OPTIONS = [(str(value), label) for value, label in Likert.choices]
OPTIONS.append((PREFER_NOT_TO_SAY_VALUE, PREFER_NOT_TO_SAY))

STAGE_HEADINGS = {
    SurveyStage.PRE: _("Before you start: a short, voluntary survey"),
    SurveyStage.POST: _("How has your thinking changed?"),
    SurveyStage.FOLLOW_UP: _("A few weeks on: a short follow-up survey"),
}


def next_url(request, default: str = "") -> str:
    """The page to go on to (`next` in the query or the form), if it is on this site."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or reverse("courses:dashboard")


class SurveyAnswersForm(forms.Form):
    """One optional choice per statement (a fieldset in the template) and the free text."""

    def __init__(self, *args, statements, free_text_question: str, wording=None, **kwargs):
        """`wording`: each statement's text in the learner's language, by statement id."""
        super().__init__(*args, **kwargs)
        self.statements = statements
        wording = wording or {}
        for statement in statements:
            self.fields[f"s{statement.pk}"] = forms.ChoiceField(
                label=wording.get(statement.pk, statement.text),
                choices=OPTIONS,
                required=False,
                widget=forms.RadioSelect,
            )
        if free_text_question:
            self.fields["free_text"] = forms.CharField(
                label=free_text_question,
                required=False,
                max_length=services.FREE_TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 6}),
                error_messages={
                    "max_length": _(
                        "Please keep your answer to %(limit_value)d characters or "
                        "fewer: it has %(show_value)d."
                    )
                },
            )

    def values(self) -> dict[int, int | None]:
        found = {}
        for statement in self.statements:
            raw = self.cleaned_data.get(f"s{statement.pk}") or PREFER_NOT_TO_SAY_VALUE
            found[statement.pk] = None if raw == PREFER_NOT_TO_SAY_VALUE else int(raw)
        return found

    def rows(self):
        """(statement, bound field) pairs, for one fieldset each."""
        return [(statement, self[f"s{statement.pk}"]) for statement in self.statements]


def _opening(request, survey_id: int, stage: str):
    opening = selectors.survey_form(user=request.user, survey_id=survey_id, stage=stage)
    if opening is None:
        raise Http404(gettext("There is no such survey."))
    return opening


def _closed(request, opening, status: int = 403):
    return render(
        request,
        "courses/surveys/closed.html",
        {"opening": opening, "next_url": next_url(request)},
        status=status,
    )


def _answered(request, opening, status: int = 200):
    return render(
        request,
        "courses/surveys/answered.html",
        {"opening": opening, "next_url": next_url(request)},
        status=status,
    )


@login_required
def survey_offer(request, survey_id: int):
    """Before the first lesson of the survey's programme (courses.views.lesson_page sends the
    learner here): "Answer the survey" or "Skip and start learning", both going on to `next`.
    Once the stage is settled or closed, straight on to `next`."""
    opening = _opening(request, survey_id, SurveyStage.PRE)
    go_on = next_url(request)
    if not opening.open or opening.answered or opening.profile is None:
        return HttpResponseRedirect(go_on)
    return render(
        request,
        "courses/surveys/offer.html",
        {"opening": opening, "next_url": go_on, "heading": STAGE_HEADINGS[SurveyStage.PRE]},
    )


@login_required
def survey_form(request, survey_id: int, stage: str):
    """The survey for one stage: GET shows it, POST stores it once (a second POST changes
    nothing and says so). 404 for no such live survey or stage; 403 with the reason when the
    stage is not open to this learner; 400 with the form's errors for bad input."""
    opening = _opening(request, survey_id, stage)
    if opening.answered:
        return _answered(request, opening, status=409 if request.method == "POST" else 200)
    if opening.profile is None or not opening.open:
        return _closed(request, opening)
    survey = opening.survey
    form = SurveyAnswersForm(
        request.POST if request.method == "POST" else None,
        statements=opening.statements,
        wording=opening.wording,
        free_text_question=opening.shown.free_text_question,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.survey_response_submit(
                    learner=request.user,
                    opening=opening,
                    values=form.values(),
                    free_text=form.cleaned_data.get("free_text", ""),
                )
            except services.SurveyAlreadyAnswered:
                return _answered(request, opening, status=409)
            except services.SurveyNotOpen:
                return _closed(request, opening)
            thanks = reverse("courses:survey_thanks", args=[survey.pk, stage])
            return HttpResponseRedirect(f"{thanks}?{_next_query(request)}")
        status = 400
    return render(
        request,
        "courses/surveys/form.html",
        {
            "opening": opening,
            "form": form,
            "heading": STAGE_HEADINGS[stage],
            "next_url": next_url(request),
            "options": OPTIONS,
        },
        status=status,
    )


def _next_query(request) -> str:
    return urlencode({"next": next_url(request)})


@login_required
@require_POST
def survey_skip(request, survey_id: int, stage: str):
    """ "Skip" or "No thanks": remembered, so this stage is not offered again; then on to
    `next`. Never refused for a live survey: skipping must always let the learner go on."""
    survey = get_object_or_404(AttitudeSurvey.objects.originals(), pk=survey_id, live=True)
    if stage not in SurveyStage.values:
        raise Http404(gettext("There is no such survey stage."))
    services.survey_decline(learner=request.user, survey=survey, stage=stage)
    return HttpResponseRedirect(next_url(request))


@login_required
def survey_thanks(request, survey_id: int, stage: str):
    survey = get_object_or_404(AttitudeSurvey.objects.originals(), pk=survey_id, live=True)
    if stage not in SurveyStage.values:
        raise Http404(gettext("There is no such survey stage."))
    return render(
        request,
        "courses/surveys/thanks.html",
        {
            "survey": survey,
            "stage": stage,
            "next_url": next_url(request),
            "services": localized_all(SupportService.objects.for_learner(request.user)),
        },
    )
