"""Reflections are private: saved for their author only, never shown to anyone else."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import Reflection
from tests.factories import learner

pytestmark = pytest.mark.django_db
TEXT = "I will ask about patterns of behaviour, not only the incident in front of me."


def reflect(client, tree, text=TEXT, block_id=None, **headers):
    return client.post(
        reverse("courses:lesson_reflect", args=[tree.lessons[-1].pk]),
        {"block_id": block_id or tree.reflection_block_id, "text": text},
        headers=headers,
    )


def reflect_from_script(client, tree, text=TEXT, block_id=None):
    """As static/js/reflections.js posts the form: asking for JSON."""
    return reflect(client, tree, text, block_id, accept="application/json")


def status_beside(html: str, block_id: str) -> str:
    """The text of the role=status paragraph inside the reflection prompt's own form."""
    section = html.split(f'id="reflection-{block_id}-label"', 1)[1].split("</section>", 1)[0]
    found = re.search(r'<p class="reflection__status" role="status"[^>]*>(.*?)</p>', section)
    assert found, "no status beside the reflection box"
    return found.group(1)


@pytest.fixture
def author(client):
    user = learner("met")
    client.force_login(user)
    return user


def test_a_reflection_is_saved_and_shown_back_to_its_author(client, author, module_tree):
    lesson = module_tree.lessons[-1]
    response = reflect(client, module_tree)

    assert response.status_code == 302
    assert response["Location"] == f"{lesson.url}#reflection-{module_tree.reflection_block_id}"
    assert Reflection.objects.get(learner=author).text == TEXT
    page = client.get(lesson.url).content.decode()
    assert TEXT in page
    # The confirmation is beside the box the learner saved, not in the messages at the top.
    block_id = module_tree.reflection_block_id
    assert status_beside(page, block_id) == "Your reflection is saved. Only you can see it."
    assert 'class="messages"' not in page
    # Shown once: a later visit does not claim a fresh save.
    assert status_beside(client.get(lesson.url).content.decode(), block_id) == ""


def test_clearing_says_so_beside_the_box(client, author, module_tree):
    reflect(client, module_tree)
    reflect(client, module_tree, "")
    page = client.get(module_tree.lessons[-1].url).content.decode()
    assert status_beside(page, module_tree.reflection_block_id) == (
        "Your reflection has been cleared."
    )


def test_the_lesson_script_saves_in_place_with_json(client, author, module_tree):
    response = reflect_from_script(client, module_tree)

    assert response.status_code == 200
    assert response.json() == {
        "saved": True,
        "detail": "Your reflection is saved. Only you can see it.",
    }
    assert Reflection.objects.get(learner=author).text == TEXT
    # The script showed the confirmation itself: nothing is left for the next page view.
    page = client.get(module_tree.lessons[-1].url).content.decode()
    assert status_beside(page, module_tree.reflection_block_id) == ""

    cleared = reflect_from_script(client, module_tree, "  ")
    assert cleared.json() == {"saved": False, "detail": "Your reflection has been cleared."}
    assert not Reflection.objects.exists()


@pytest.mark.parametrize(
    ("block_id", "text", "message"),
    [
        ("no-such-block", TEXT, "This reflection prompt is no longer part of the lesson."),
        (None, "x" * 10_001, "Keep your reflection under 10,000 characters."),
    ],
)
def test_the_lesson_script_gets_a_400_it_can_show(
    client, author, module_tree, block_id, text, message
):
    response = reflect_from_script(client, module_tree, text, block_id=block_id)
    assert response.status_code == 400
    assert response.json() == {"detail": message}
    assert not Reflection.objects.exists()


def test_without_javascript_the_lesson_says_to_save_the_reflection_first(
    client, author, module_tree
):
    with_prompt = client.get(module_tree.lessons[-1].url).content.decode()
    hint = "Save your reflection with its own button first"
    assert hint in with_prompt.split("<noscript>", 1)[1].split("</noscript>", 1)[0]
    assert "js/reflections.js" in with_prompt
    without = client.get(module_tree.lessons[0].url).content.decode()
    assert hint not in without and "js/reflections.js" not in without


def reflection_reads(client, url):
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).text
    return html, [q for q in queries.captured_queries if '"courses_reflection"' in q["sql"]]


def test_reflections_are_read_only_for_lessons_with_a_reflection_prompt(
    client, author, module_tree
):
    reflect(client, module_tree)
    with_prompt = module_tree.lessons[-1]
    html, reads = reflection_reads(client, with_prompt.url)
    assert TEXT in html and len(reads) == 1
    # The editor removes the prompt: the stored reflection can no longer show, nor is it read.
    with_prompt.body = [
        (c.block_type, c.value) for c in with_prompt.body if c.block_type != "reflection_prompt"
    ]
    with_prompt.save_revision().publish()
    html, reads = reflection_reads(client, with_prompt.url)
    assert TEXT not in html and reads == []
    assert Reflection.objects.filter(learner=author).count() == 1  # kept, as before


def test_saving_again_updates_the_one_reflection(client, author, module_tree):
    reflect(client, module_tree)
    reflect(client, module_tree, "A second thought.")
    assert list(Reflection.objects.values_list("text", flat=True)) == ["A second thought."]


def test_saving_empty_text_clears_the_reflection(client, author, module_tree):
    reflect(client, module_tree)
    reflect(client, module_tree, "   ")
    assert not Reflection.objects.exists()


def test_another_learner_cannot_read_a_reflection(client, author, module_tree):
    reflect(client, module_tree)
    client.force_login(learner("met"))

    page = client.get(module_tree.lessons[-1].url).content.decode()

    assert TEXT not in page


def test_reflections_never_appear_in_the_learner_api(client, author, module_tree):
    reflect(client, module_tree)
    response = client.get("/api/v1/me/progress/")
    assert response.status_code == 200
    assert TEXT not in response.content.decode()


@pytest.mark.parametrize(
    ("block_id", "text", "message"),
    [
        ("no-such-block", TEXT, "no longer part of the lesson"),
        (None, "x" * 10_001, "Keep your reflection under 10,000 characters."),
    ],
)
def test_bad_reflections_get_a_clear_400(client, author, module_tree, block_id, text, message):
    response = reflect(client, module_tree, text, block_id=block_id)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Reflection.objects.exists()


def test_a_knowledge_check_id_is_not_a_reflection_prompt(client, author, module_tree):
    response = reflect(client, module_tree, block_id=module_tree.check_block_id)
    assert response.status_code == 400
    assert not Reflection.objects.exists()


def test_anonymous_reflections_are_refused(client, module_tree):
    response = reflect(client, module_tree)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Reflection.objects.exists()
