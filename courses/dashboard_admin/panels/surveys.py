"""The evidence page's attitude survey panel: per statement, the mean before and after, the
paired shift with its number of learners and the national median and interquartile range beside
it, filtered by role group and month (a GET form; a bad value is a form error and no figures).
Figures come from selectors.survey_results(), already k-suppressed; nothing names a learner."""

import datetime

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courses import selectors
from courses.models import ROLE_GROUPS

TEMPLATE = "courses/admin/dashboard/panels/surveys.html"
SCALE = 4.0  # the largest possible shift on a five-point scale


class SurveyFilterForm(forms.Form):
    survey_role_group = forms.ChoiceField(
        label=_("Role group"),
        required=False,
        choices=[("", _("Every role group"))]
        + [(k, label) for k, (label, _members) in ROLE_GROUPS.items()],
    )
    survey_month = forms.CharField(
        label=_("Month answered (post survey for the shift)"),
        required=False,
        help_text=_("A complete month, for example 2026-01. Leave empty for every month."),
    )

    def clean_survey_month(self):
        value = self.cleaned_data["survey_month"].strip()
        if not value:
            return None
        try:
            return datetime.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(
                gettext("Give a month as YYYY-MM, for example 2026-01.")
            ) from None


def bar(value: float | None) -> dict | None:
    """A diverging bar from the middle of a 0..100 wide track: x and width in per cent."""
    if value is None:
        return None
    width = min(abs(value), SCALE) / SCALE * 50
    return {"x": 50 if value >= 0 else 50 - width, "width": width, "positive": value >= 0}


def panel(*, force, now, request) -> dict | None:
    form = SurveyFilterForm(request.GET or None)
    context = {"template": TEMPLATE, "form": form, "rows": [], "results": None}
    if form.is_bound and not form.is_valid():
        return context
    data = form.cleaned_data if form.is_bound else {}
    try:
        results = selectors.survey_results(
            force=force,
            role_group=data.get("survey_role_group") or None,
            month=data.get("survey_month"),
            now=now,
        )
    except selectors.SurveyFilterError as error:
        allowed = ", ".join(error.allowed) or gettext("none yet")
        form.add_error(
            f"survey_{error.field}",
            gettext("%(problem)s Months with results: %(months)s.")
            % {"problem": error.message, "months": allowed},
        )
        return context
    national = {
        row.statement_id: row.national
        for row in selectors.paired_shift_benchmark(force=force, now=now)
    }
    context["results"] = results
    context["role_group_label"] = ROLE_GROUPS[results.role_group][0] if results.role_group else None
    context["months"] = [m.strftime("%Y-%m") for m in results.months]
    context["rows"] = [
        {
            "text": statement.text,
            "pre": statement.stages["pre"].mean,
            "post": statement.stages["post"].mean,
            "shift": statement.shift,
            "bar": bar(statement.shift.value),
            "national": national.get(statement.id),
        }
        for statement in results.statements
    ]
    return context
