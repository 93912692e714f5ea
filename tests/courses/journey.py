"""Helpers for learner-journey tests: what a browser without JavaScript would post."""

import uuid

from django.urls import reverse


def complete(client, lesson, event_id=None):
    """Press "Mark complete" on a lesson (a plain form POST)."""
    return client.post(
        reverse("courses:lesson_complete", args=[lesson.pk]),
        {"event_id": str(event_id or uuid.uuid4())},
    )


def answer(client, tree, *answers, block_id=None):
    """Submit the module tree's knowledge check (on its last lesson)."""
    return client.post(
        reverse("courses:lesson_answer", args=[tree.lessons[-1].pk]),
        {"block_id": block_id or tree.check_block_id, "answer": [str(a) for a in answers]},
    )


def complete_module(client, tree):
    """Pass the knowledge check, then complete every lesson in order; returns the last response."""
    answer(client, tree, 1)
    response = None
    for lesson in tree.lessons:
        response = complete(client, lesson)
    return response
