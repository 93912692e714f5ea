"""Reflections are private: saved for their author only, never shown to anyone else."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import Reflection
from tests.factories import learner

pytestmark = pytest.mark.django_db
TEXT = "I will ask about patterns of behaviour, not only the incident in front of me."


def reflect(client, tree, text=TEXT, block_id=None):
    return client.post(
        reverse("courses:lesson_reflect", args=[tree.lessons[-1].pk]),
        {"block_id": block_id or tree.reflection_block_id, "text": text},
    )


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
    assert "Only you can see it" in page
    assert TEXT in page


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
