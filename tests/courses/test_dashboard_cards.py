"""My learning's module cards, rendered once per process per card state (courses.rendered):
every learner gets each card exactly as it would render for them alone, and a change to their
progress or to the content shows on their next view."""

import datetime
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from courses import rendered, services
from courses.models import ModuleProgress, Verb
from tests.conftest import build_module_tree, complete_module
from tests.factories import learner

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("courses:dashboard")


def dashboard(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response.content.decode()


def rendered_alone(user) -> str:
    """The learner's page with no card kept from anyone else's view."""
    rendered._kept_cards.clear()
    return dashboard(user)


def cards(page: str) -> str:
    """The page's list of module cards (the rest, the CSRF token above all, differs between
    any two responses)."""
    start = page.index('<ul class="card-list module-cards">')
    return page[start : page.index("</ul>", start)]


def record(user, lesson, verb=Verb.COMPLETED, **event):
    services.progress_record(learner=user, event_id=uuid.uuid4(), lesson=lesson, verb=verb, **event)


def finish_lessons(user, tree):
    for lesson in tree.lessons:
        record(user, lesson)


STATES = {
    "not started": lambda user, tree: None,
    "in progress": lambda user, tree: record(user, tree.lessons[0]),
    "waiting for the pass mark": lambda user, tree: (
        finish_lessons(user, tree),
        record(
            user,
            tree.lessons[-1],
            Verb.ANSWERED,
            result={"block_id": tree.check_block_id, "answers": [0]},
        ),
    ),
    "completed": complete_module,
}
SHOWS = {
    "not started": "Start",
    "in progress": "1 of 3 lessons done",
    "waiting for the pass mark": "(your best so far: 0%)",
    "completed": "View certificate",
}


@pytest.mark.parametrize("state", STATES)
def test_a_kept_card_is_the_card_each_learner_would_get_alone(module_tree, state):
    first, second = learner("met"), learner("met")
    for user in (first, second):
        STATES[state](user, module_tree)

    dashboard(first)  # renders the card and keeps it
    kept = dict(rendered._kept_cards)
    page = dashboard(second)

    assert rendered._kept_cards == kept, "the second learner's card came from the kept one"
    assert SHOWS[state] in page
    assert cards(page) == cards(rendered_alone(second))


def test_learners_in_different_states_each_get_their_own_card(module_tree):
    finished, beginner = learner("met"), learner("met")
    complete_module(finished, module_tree)

    assert "View certificate" in dashboard(finished)
    page = dashboard(beginner)

    assert "View certificate" not in page and "Not started" in page
    assert len(rendered._kept_cards) == 2


def test_learners_part_way_through_each_see_their_own_count_and_next_lesson(module_tree):
    one, two = learner("met"), learner("met")
    record(one, module_tree.lessons[0])
    for lesson in module_tree.lessons[:2]:
        record(two, lesson)

    assert "1 of 3 lessons done" in dashboard(one)
    page = dashboard(two)

    assert "2 of 3 lessons done" in page
    assert f'href="{module_tree.lessons[2].url}">Continue' in page


def test_each_learner_sees_their_own_completion_date(module_tree):
    today, earlier = learner("met"), learner("met")
    for user in (today, earlier):
        complete_module(user, module_tree)
    ModuleProgress.objects.filter(learner=earlier).update(
        completed_at=datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
    )

    assert "Completed on 2 March 2026." not in dashboard(today)
    assert "Completed on 2 March 2026." in dashboard(earlier)


def test_each_learner_sees_their_own_best_score(module_tree):
    scores = {learner("met"): 40, learner("met"): 60}
    for user, score in scores.items():
        finish_lessons(user, module_tree)
        ModuleProgress.objects.filter(learner=user).update(score=score)

    for user, score in scores.items():
        assert f"(your best so far: {score}%)" in dashboard(user)


def test_progress_shows_on_the_next_view(module_tree):
    user = learner("met")
    assert "Not started" in dashboard(user)

    record(user, module_tree.lessons[0])
    page = dashboard(user)

    assert "1 of 3 lessons done" in page
    assert f'href="{module_tree.lessons[1].url}">Continue' in page


def test_a_republished_module_shows_on_every_learners_next_view(module_tree):
    first, second = learner("met"), learner("met")
    dashboard(first)
    module = module_tree.module.specific
    module.summary = "What each of us can change."
    module.save_revision().publish()

    assert "What each of us can change." in dashboard(second)


def test_kept_cards_are_bounded(home_page, monkeypatch):
    monkeypatch.setattr(rendered, "KEPT_CARDS", 1)
    for title in ("Leadership", "Men's role", "Survivor voices"):
        build_module_tree(home_page, title=title)
    user = learner("met")

    page = dashboard(user)

    assert len(rendered._kept_cards) == 1
    assert page.count('class="card module-card"') == 3
    assert cards(page) == cards(rendered_alone(user))
