"""The k-anonymity property: for random answers of one force, every figure that any filter of
the API and dashboard releases, in this month's view and every earlier month's, describes at
least k learners; no two released figures of the same kind whose learners are nested differ by
1..k-1 learners; no released table splits a total into released parts that leave 1..k-1
learners over; and every released value is the one computed directly from the answers."""

import datetime
import itertools
import statistics
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.models import K_ANONYMITY, ROLE_GROUPS, SurveyAnswer, SurveyResponse, role_group
from courses.selectors.surveys import survey_results
from tests.courses.survey_data import make_survey, uk_time
from tests.factories import force

K = K_ANONYMITY
MONTHS = [datetime.date(2025, m, 1) for m in (1, 2, 3, 4)]
GROUPS = [None, *ROLE_GROUPS]
ROLES = ["pcso", "response-officer", "supervisor", "leader", "staff", "not-given"]
STATEMENTS = 2
ANSWER = st.sampled_from([None, 1, 2, 3, 4, 5])

# A learner: role, month of pre (or None), months after it of post and follow-up (or None),
# and their answers at each stage. Learners come in clusters of identical ones of random
# sizes, and mostly share a few roles and months, so that figures land around k.
learner_strategy = st.tuples(
    st.sampled_from(ROLES),
    st.one_of(st.none(), st.integers(0, 3)),
    st.one_of(st.none(), st.integers(0, 2)),
    st.one_of(st.none(), st.integers(0, 1)),
    st.lists(ANSWER, min_size=3 * STATEMENTS, max_size=3 * STATEMENTS),
)
learners_strategy = st.lists(
    st.tuples(st.integers(1, 14), learner_strategy), min_size=0, max_size=9
).map(lambda clusters: [learner for size, learner in clusters for _ in range(size)])


@pytest.fixture
def survey(home_page):
    return make_survey(home_page, statements=STATEMENTS)


def build(survey, learners):
    """Store the responses; return the facts as plain tuples:
    (pair_key, stage, role group, month, [values per statement])."""
    SurveyAnswer.objects.all().delete()
    SurveyResponse.objects.all().delete()
    met, statements = force("met"), list(survey.statements.order_by("sort_order", "pk"))
    facts, responses, answers = [], [], []
    for role, pre, post_after, follow_after, values in learners:
        key = uuid.uuid4()
        stages = []
        if pre is not None:
            stages.append(("pre", pre, values[0:STATEMENTS]))
        start = pre or 0
        if post_after is not None and start + post_after < len(MONTHS):
            post = start + post_after
            stages.append(("post", post, values[STATEMENTS : 2 * STATEMENTS]))
            if follow_after is not None and post + follow_after < len(MONTHS):
                stages.append(("follow-up", post + follow_after, values[2 * STATEMENTS :]))
        for stage, month_index, stage_values in stages:
            month = MONTHS[month_index]
            response = SurveyResponse(
                survey=survey,
                pair_key=key,
                stage=stage,
                force=met,
                role=role,
                submitted_at=uk_time(month.replace(day=3 + month_index)),
            )
            responses.append(response)
            answers.extend((response, s, v) for s, v in zip(statements, stage_values, strict=True))
            facts.append((key, stage, role_group(role), month, list(stage_values)))
    SurveyResponse.objects.bulk_create(responses)
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(response=r, statement=s, value=v) for r, s, v in answers
    )
    return facts


def in_cell(group, month, cumulative_to, fact_group, fact_month):
    if group is not None and fact_group != group:
        return False
    return fact_month == month if month is not None else fact_month <= cumulative_to


def expected(facts, kind, group, month, through):
    """The population (pair keys) and value of a figure, straight from the facts."""
    statement, measure, stage = kind
    by_stage = {(f[0], f[1]): f for f in facts}
    members = {}
    if measure in ("shift", "pairs"):
        for (key, st_), post in by_stage.items():
            pre = by_stage.get((key, "pre"))
            if st_ != "post" or pre is None or not in_cell(group, month, through, post[2], post[3]):
                continue
            if measure == "pairs":
                members[key] = None
            elif post[4][statement] is not None and pre[4][statement] is not None:
                members[key] = post[4][statement] - pre[4][statement]
    else:
        for (key, st_), fact in by_stage.items():
            if st_ != stage or not in_cell(group, month, through, fact[2], fact[3]):
                continue
            value = None if statement is None else fact[4][statement]
            if measure == "mean" and value is None:
                continue
            members[key] = value
    values = list(members.values())
    if measure in ("respondents", "pairs"):
        value = len(values)
    elif measure == "counts":
        value = {a: sum(1 for v in values if v == a) for a in (1, 2, 3, 4, 5)}
        value["prefer_not_to_say"] = sum(1 for v in values if v is None)
    else:
        value = round(statistics.fmean(values), 2) if values else None
    return frozenset(members), value


def figures_of(results):
    """(kind, figure) for every figure of one result; kinds use statement positions."""
    for stage, figure in results.respondents.items():
        yield (None, "respondents", stage), figure
    yield (None, "pairs", "post"), results.paired_learners
    for n, statement in enumerate(results.statements):
        for stage, figures in statement.stages.items():
            yield (n, "counts", stage), figures.counts
            yield (n, "mean", stage), figures.mean
        yield (n, "shift", "post"), statement.shift


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(learners=learners_strategy)
def test_no_released_figure_or_difference_describes_fewer_than_k(survey, learners):
    facts = build(survey, learners)
    met = force("met")
    released = []  # (kind, view's group, month or None, population) of every released figure
    # This month's view, and each earlier month's (what the force saw then).
    for view_month in [*MONTHS[1:], datetime.date(2025, 5, 1)]:
        now = uk_time(view_month.replace(day=15))
        months = [m for m in MONTHS if m < view_month]
        offered = survey_results(force=met, now=now).months
        first = min((f[3] for f in facts), default=None)
        assert offered == [m for m in months if first is not None and m >= first]
        for group, month in itertools.product(GROUPS, [None, *offered]):
            results = survey_results(force=met, role_group=group, month=month, now=now)
            for kind, figure in figures_of(results):
                if figure.value is None:
                    assert figure.learners is None and figure.suppressed
                    continue
                through = (figure.as_of.replace(day=1)) if month is None else None
                assert month is not None or through <= months[-1]
                population, value = expected(facts, kind, group, month, through)
                assert figure.learners == len(population) >= K
                assert figure.value == value
                released.append((kind, group, month, population))

    by_kind = {}
    for kind, group, month, population in released:
        by_kind.setdefault(kind, set()).add((group, month, population))
    for kind, figures in by_kind.items():
        for (_, _, a), (_, _, b) in itertools.combinations(figures, 2):
            small, large = sorted((a, b), key=len)
            if small <= large:
                assert len(large) - len(small) == 0 or len(large) - len(small) >= K, kind
        # A month's total split by role group leaves 0 or at least k learners unaccounted for.
        for group_none, month, total in figures:
            if group_none is not None or month is None:
                continue
            parts = [p for g, m, p in figures if g is not None and m == month]
            hidden = len(total) - sum(len(p) for p in parts)
            assert hidden == 0 or hidden >= K, kind


@pytest.mark.parametrize("size", [K - 1, K, K + 1])
def test_a_month_around_k(survey, size):
    learners = [("pcso", 0, 1, None, [4] * 6)] * size
    facts = build(survey, learners)

    results = survey_results(force=force("met"), now=uk_time(datetime.date(2025, 3, 15)))

    shift = results.statements[0].shift
    assert (shift.learners, shift.value) == ((size, 0.0) if size >= K else (None, None))
    assert len({f[0] for f in facts}) == size
