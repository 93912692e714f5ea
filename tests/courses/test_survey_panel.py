"""The evidence page's attitude survey panel: means, shift and national benchmark per statement,
"fewer than 10" where withheld, filters by role group and month, form errors for bad values."""

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from courses.dashboard_admin.panels import surveys as survey_panel
from tests.courses.survey_data import make_survey, pairs
from tests.factories import force, training_lead

URL = reverse("force_dashboard:evidence", args=["met"])


def month_ago(n: int) -> datetime.date:
    day = timezone.localdate().replace(day=1)
    for _ in range(n):
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    return day


@pytest.fixture
def survey(home_page):
    survey = make_survey(home_page, statements=2)
    before, after = month_ago(2), month_ago(1)
    pairs(
        survey, force=force("met"), role="pcso", n=15, pre_day=before, post_day=after, pre=2, post=4
    )
    for shift, code in enumerate(["gmp", "kent", "essex", "merseyside"]):
        pairs(
            survey,
            force=force(code),
            role="pcso",
            n=10,
            pre_day=before,
            post_day=after,
            pre=1,
            post=1 + shift,
        )
    pairs(survey, force=force("cumbria"), role="pcso", n=6, pre_day=before, post_day=after)
    return survey


def test_a_lead_sees_means_shift_and_the_national_benchmark(client, survey):
    client.force_login(training_lead("met"))

    page = client.get(URL).content.decode()

    assert "Statement 1" in page and "+2.00" in page
    assert "<td>15</td>" in page  # learners paired
    # Five forces' shifts 0, 1, 2, 3 and the Met's 2: median 2.0, quartiles 1.0 and 2.0.
    assert "2.0 (1.0 to 2.0; 5 forces)" in page
    assert 'role="img"' in page and "<title id=" in page


def test_a_small_force_sees_fewer_than_10(client, survey):
    client.force_login(training_lead("cumbria"))

    page = client.get(reverse("force_dashboard:evidence", args=["cumbria"])).content.decode()

    assert page.count("fewer than 10") >= 4  # before, after, shift and learners of a statement
    assert "+2.00" not in page


def test_filters_and_form_errors(client, survey):
    client.force_login(training_lead("met"))

    staff = client.get(URL, {"survey_role_group": "staff-other"}).content.decode()
    bad_month = client.get(URL, {"survey_month": "June"}).content.decode()
    no_month = client.get(URL, {"survey_month": "2001-01"}).content.decode()
    bad_group = client.get(URL, {"survey_role_group": "champions"})

    assert "Police staff and role not given" in staff and "+2.00" not in staff
    assert "Give a month as YYYY-MM" in bad_month and "Paired shift for" not in bad_month
    assert month_ago(1).strftime("%Y-%m") in no_month and "Paired shift for" not in no_month
    assert bad_group.status_code == 200 and "Select a valid choice" in bad_group.content.decode()


def test_the_panel_takes_six_queries(survey, django_assert_num_queries):
    met = force("met")
    request = RequestFactory().get(URL, {"survey_month": month_ago(1).strftime("%Y-%m")})

    with django_assert_num_queries(6):  # results: survey, statements, answers; the same national
        context = survey_panel.panel(force=met, now=timezone.now(), request=request)

    assert [row["shift"].value for row in context["rows"]] == [2.0, 2.0]
