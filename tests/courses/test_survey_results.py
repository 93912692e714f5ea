"""The survey results' easy cases on a fixed clock: who is counted, what is withheld and why."""

import datetime

import pytest

from courses import selectors
from courses.demo import evidence_c, evidence_d
from courses.models import ROLE_GROUPS, SurveyStage
from courses.selectors.survey_release import DIFFERENCING, FEWER_THAN_K
from courses.selectors.surveys import SurveyFilterError, survey_results
from tests.courses.survey_data import answer, make_survey, pairs, uk_time
from tests.factories import ProgrammePageFactory, force

NOW = uk_time(datetime.date(2025, 6, 10))
MAY = datetime.date(2025, 5, 1)
APRIL = datetime.date(2025, 4, 1)


@pytest.fixture
def survey(home_page):
    return make_survey(home_page, statements=2)


def shift(results, n=0):
    return results.statements[n].shift


def test_twelve_paired_learners_are_shown(survey):
    pairs(survey, force=force("met"), role="pcso", n=12, pre_day=APRIL, post_day=MAY, pre=2, post=4)

    results = survey_results(force=force("met"), now=NOW)

    assert shift(results).value == 2.0 and shift(results).learners == 12
    assert shift(results).as_of == datetime.date(2025, 5, 31)
    post = results.statements[0].stages[SurveyStage.POST]
    assert post.mean.value == 4.0 and post.counts.value[4] == 12
    assert results.paired_learners.value == 12


def test_nine_paired_learners_are_withheld(survey):
    pairs(survey, force=force("met"), role="pcso", n=9, pre_day=APRIL, post_day=MAY)

    results = survey_results(force=force("met"), now=NOW)

    assert shift(results).value is None and shift(results).learners is None
    assert shift(results).suppressed == FEWER_THAN_K


def test_a_group_and_its_total_differing_by_fewer_than_k_are_never_both_shown(survey):
    met = force("met")
    pairs(survey, force=met, role="pcso", n=12, pre_day=APRIL, post_day=MAY, pre=2, post=4)
    pairs(survey, force=met, role="staff", n=9, pre_day=APRIL, post_day=MAY, pre=3, post=3)

    total = shift(survey_results(force=met, now=NOW))
    frontline = shift(survey_results(force=met, role_group="frontline", now=NOW))
    staff = shift(survey_results(force=met, role_group="staff-other", now=NOW))

    assert (total.value is None) or (frontline.value is None)
    assert staff.suppressed == FEWER_THAN_K
    shown = total if total.value is not None else frontline
    assert shown.value is not None  # one of the two is still shown
    withheld = frontline if shown is total else total
    assert withheld.suppressed == DIFFERENCING


def test_the_current_month_is_not_reported_and_answers_elsewhere_do_not_count(survey):
    met = force("met")
    pairs(survey, force=met, role="pcso", n=12, pre_day=APRIL, post_day=MAY)
    pairs(survey, force=met, role="pcso", n=12, pre_day=MAY, post_day=datetime.date(2025, 6, 2))
    pairs(survey, force=force("gmp"), role="pcso", n=30, pre_day=APRIL, post_day=MAY)

    results = survey_results(force=met, now=NOW)

    assert shift(results).learners == 12
    assert results.months == [APRIL, MAY]
    assert results.released_until == datetime.date(2025, 5, 31)


def test_prefer_not_to_say_is_counted_but_not_in_the_mean(survey):
    met = force("met")
    for n in range(12):
        answer(
            survey, force=met, stage="pre", role="pcso", day=MAY, values=[None if n < 2 else 3, 1]
        )

    figures = survey_results(force=met, now=NOW).statements[0].stages[SurveyStage.PRE]

    assert figures.counts.learners == 12 and figures.counts.value["prefer_not_to_say"] == 2
    assert figures.counts.value[3] == 10
    assert figures.mean.value == 3.0 and figures.mean.learners == 10


def test_the_cumulative_figure_moves_in_steps_of_at_least_k(survey):
    met = force("met")
    pairs(survey, force=met, role="pcso", n=12, pre_day=APRIL, post_day=APRIL, pre=1, post=5)
    pairs(survey, force=met, role="pcso", n=3, pre_day=MAY, post_day=MAY, pre=1, post=1)

    figure = shift(survey_results(force=met, now=NOW))

    # May's three would be the difference between April's figure and May's: still as of April.
    assert figure.learners == 12 and figure.value == 4.0
    assert figure.as_of == datetime.date(2025, 4, 30)
    may = shift(survey_results(force=met, month=MAY, now=NOW))
    assert may.suppressed == FEWER_THAN_K


def test_bad_filters_are_refused_with_the_allowed_values(survey):
    pairs(survey, force=force("met"), role="pcso", n=12, pre_day=APRIL, post_day=MAY)

    with pytest.raises(SurveyFilterError) as bad_group:
        survey_results(force=force("met"), role_group="champions", now=NOW)
    with pytest.raises(SurveyFilterError) as bad_month:
        survey_results(force=force("met"), month=datetime.date(2025, 6, 1), now=NOW)

    assert bad_group.value.allowed == ["frontline", "supervisors-leaders", "staff-other"]
    assert bad_month.value.allowed == ["2025-04", "2025-05"]


def test_results_take_three_queries(survey, django_assert_num_queries):
    pairs(survey, force=force("met"), role="pcso", n=12, pre_day=APRIL, post_day=MAY)
    met = force("met")

    with django_assert_num_queries(3):
        survey_results(force=met, now=NOW)


def test_the_benchmark_leaves_out_forces_below_k_and_needs_five_forces(
    survey, django_assert_num_queries
):
    codes = ["met", "gmp", "kent", "essex", "merseyside"]
    for shift_by, code in enumerate(codes):
        pairs(
            survey,
            force=force(code),
            role="pcso",
            n=10,
            pre_day=APRIL,
            post_day=MAY,
            pre=1,
            post=1 + shift_by,
        )
    pairs(survey, force=force("cumbria"), role="pcso", n=4, pre_day=APRIL, post_day=MAY)

    cumbria = force("cumbria")
    with django_assert_num_queries(3):
        rows = selectors.paired_shift_benchmark(force=cumbria, now=NOW)

    assert rows[0].force_shift.value is None
    national = rows[0].national
    assert (national.forces, national.median, national.lower_quartile, national.upper_quartile) == (
        5,
        2.0,
        1.0,
        3.0,
    )
    met_rows = selectors.paired_shift_benchmark(force=force("met"), now=NOW)
    assert met_rows[0].force_shift.value == 0.0


def test_the_evaluator_columns_are_suppressed_like_the_screens(survey, django_assert_num_queries):
    met = force("met")
    pairs(survey, force=met, role="pcso", n=12, pre_day=MAY, post_day=MAY, pre=2, post=5)
    # April: ten leaders and four staff; the ten would be the total less the four.
    pairs(survey, force=met, role="leader", n=10, pre_day=APRIL, post_day=APRIL)
    pairs(survey, force=met, role="staff", n=4, pre_day=APRIL, post_day=APRIL)

    with django_assert_num_queries(3):
        table = selectors.survey_evaluator_table(months=[APRIL, MAY], now=NOW)
    columns = selectors.survey_evaluator_columns(
        force=met, month=MAY, role_group="frontline", now=NOW
    )

    assert table[(met.pk, MAY, "frontline")] == columns
    assert columns["survey_respondents_pre"] == 12 and columns["survey_paired_learners"] == 12
    assert columns["statement_1_paired_shift"] == 3.0
    assert table[(met.pk, APRIL, "supervisors-leaders")]["statement_1_paired_shift"] == ""
    assert table[(met.pk, APRIL, "frontline")]["survey_respondents_pre"] == ""
    header = selectors.survey_evaluator_header()
    assert set(columns) == set(header)


def test_the_demo_shows_met_results_and_withholds_a_small_force(home_page):
    survey = evidence_c.seed(programme=ProgrammePageFactory(parent=home_page), now=NOW)
    forces = [force("met"), force("cumbria")]
    evidence_d.seed(forces=forces, survey=survey, now=NOW)
    evidence_d.seed(forces=forces, survey=survey, now=NOW)  # again: nothing changes

    met = survey_results(force=force("met"), now=NOW)
    cumbria = survey_results(force=force("cumbria"), now=NOW)

    assert all(s.shift.value is not None and s.shift.value > 0 for s in met.statements)
    assert met.respondents["pre"].value == evidence_d.MAIN_LEARNERS
    assert all(s.shift.value is None for s in cumbria.statements)


def test_a_table_never_leaves_fewer_than_k_learners_in_its_withheld_parts(survey):
    met = force("met")
    pairs(survey, force=met, role="pcso", n=12, pre_day=MAY, post_day=MAY)
    pairs(survey, force=met, role="supervisor", n=12, pre_day=MAY, post_day=MAY)
    pairs(survey, force=met, role="staff", n=5, pre_day=MAY, post_day=MAY)

    def shift_in(group):
        return shift(survey_results(force=met, role_group=group, month=MAY, now=NOW))

    total, parts = shift_in(None), [shift_in(g) for g in ROLE_GROUPS]

    # total − front line − supervisors would be the five staff: one more part is withheld.
    assert total.learners == 29 and parts[2].suppressed == FEWER_THAN_K
    assert sorted(p.suppressed or "shown" for p in parts[:2]) == [DIFFERENCING, "shown"]
