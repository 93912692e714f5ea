"""The Support page: public, grouped by audience, national services plus the learner's force."""

import pytest
from django.urls import reverse

from courses.models import SupportAudience, SupportService
from tests.factories import force, learner


@pytest.fixture
def services(db):
    return {
        "helpline": SupportService.objects.create(
            name="National helpline", description="For anyone", phone="0808 000 0001"
        ),
        "wellbeing": SupportService.objects.create(
            name="Officer line", description="For staff", audience=SupportAudience.OFFICERS
        ),
        "met-team": SupportService.objects.create(
            name="Met wellbeing team", description="Force team", force=force("met")
        ),
        "gmp-team": SupportService.objects.create(
            name="GMP wellbeing team", description="Force team", force=force("gmp")
        ),
    }


def test_support_page_is_public_and_grouped(client, services):
    response = client.get(reverse("courses:support"))
    html = response.text
    assert response.status_code == 200
    assert "National helpline" in html
    assert 'href="tel:08080000001"' in html
    assert html.index(str(SupportAudience.ANYONE.label)) < html.index("Officer line")
    assert "wellbeing team" not in html  # force teams only for that force's learners


def test_learners_also_see_their_own_force_services(client, services, django_assert_num_queries):
    client.force_login(learner("met"))
    # the session and the user (2); the user bar's permission reads (2: the user's and their
    # groups'); the services, force filter joined in (1); session save inside a savepoint (3).
    with django_assert_num_queries(8):
        html = client.get(reverse("courses:support")).text
    assert "Met wellbeing team" in html
    assert "GMP wellbeing team" not in html
    assert html.count("National helpline") == 1


def test_footer_links_to_support_on_every_page(client, module_tree):
    for url in (module_tree.programme.url, "/en-gb/", reverse("courses:support")):
        assert f'href="{reverse("courses:support")}"' in client.get(url).text


def test_empty_support_page_says_so(client, db):
    assert (
        "No support services have been listed yet." in client.get(reverse("courses:support")).text
    )
