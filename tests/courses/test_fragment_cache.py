"""Lesson pages and My learning keep the parts that are the same for every learner as fragments in
the shared cache (`{% wagtailpagecache %}`, `{% cache %}`, keyed by the page and the content
version); everything personal renders outside them. Proved here with a real shared cache
(Redis) and two learners of different forces, and that a change to anything a lesson shows
replaces the fragments at once."""

import datetime
import re
import uuid

import pytest
import redis
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import LessonPage, SupportService
from tests.conftest import build_module_tree
from tests.factories import consented_testimony, learner

REDIS_URL = "redis://127.0.0.1:6379/5"
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def shared_cache():
    """Django's Redis cache on database 5, under a prefix of this test's own (removed after)."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    prefix = f"fragments-test-{uuid.uuid4().hex}"
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }

    def keys() -> list[bytes]:
        return list(client.scan_iter(match=f"{prefix}:*"))

    with override_settings(CACHES=caches):
        yield keys
    for key in keys():
        client.delete(key)


def make_service(name="Respect Phoneline") -> SupportService:
    return SupportService.objects.create(
        name=name, description="Help for anyone worried.", phone="0808 802 4040"
    )


@pytest.fixture
def lesson_tree(home_page):
    """A module whose last lesson shows shared content (testimony, a content warning with a
    support service) between personal blocks (a knowledge check, a reflection prompt)."""
    tree = build_module_tree(home_page)
    item, service = consented_testimony(), make_service()
    lesson = LessonPage.objects.get(pk=tree.lessons[-1].pk)
    lesson.body = [
        ("paragraph", "<p>Before the check.</p>"),
        ("testimony", item),
        (
            "content_warning",
            {"text": "<p>Distressing content follows.</p>", "support_services": [service]},
        ),
        *[(child.block_type, child.value) for child in list(lesson.body)[1:]],  # personal
        ("paragraph", "<p>After the check.</p>"),
    ]
    lesson.save_revision().publish()
    lesson = tree.lessons[-1] = LessonPage.objects.get(pk=lesson.pk)
    tree.reflection_block_id = next(
        child.id for child in lesson.body if child.block_type == "reflection_prompt"
    )
    return tree, item, service


def person(force_code: str, first: str, last: str):
    user = learner(force_code)
    user.first_name, user.last_name = first, last
    user.email = f"{first.lower()}@{force_code}.example.org"
    user.save()
    return user


def signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def render(client, url) -> tuple[str, int]:
    """The page's HTML and the number of queries serving it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_two_learners_never_receive_each_others_personal_data(lesson_tree, shared_cache):
    tree, _, _ = lesson_tree
    lesson, dashboard = tree.lessons[-1], reverse("courses:dashboard")
    ada = person("met", "Ada", "Lovelace")
    bob = person("gmp", "Bob", "Oyelaran")
    clients = {ada: signed_in(ada), bob: signed_in(bob)}
    # Different states: Ada has completed the first lesson and written a reflection.
    reflection = "A private reflection about the team, by Ada."
    clients[ada].get(tree.lessons[0].url)
    token = CSRF_FIELD.search(clients[ada].get(tree.lessons[0].url).content.decode())[1]
    done = clients[ada].post(
        reverse("courses:lesson_complete", args=[tree.lessons[0].pk]),
        {"event_id": str(uuid.uuid4()), "csrfmiddlewaretoken": token},
    )
    assert done.status_code == 302
    page = clients[ada].get(lesson.url).content.decode()
    saved = clients[ada].post(
        reverse("courses:lesson_reflect", args=[lesson.pk]),
        {
            "block_id": tree.reflection_block_id,
            "text": reflection,
            "csrfmiddlewaretoken": CSRF_FIELD.search(page)[1],
        },
    )
    assert saved.status_code == 302
    clients[bob].get(lesson.url)  # Bob's first view records "experienced"
    for client in clients.values():
        client.get(dashboard)

    seen: dict = {ada: [], bob: []}
    queries: dict = {ada: [], bob: []}
    for user in (ada, bob, ada, bob):  # each in turn, through the same shared cache
        for url in (lesson.url, dashboard):
            html, count = render(clients[user], url)
            seen[user].append(html)
            queries[user].append(count)
    assert shared_cache(), "the fragments are kept in the shared cache"

    private = {
        ada: ["Ada", "Lovelace", ada.email, reflection, "1 of 3 lessons done"],
        bob: ["Bob", "Oyelaran", bob.email],
    }
    for user, other in ((ada, bob), (bob, ada)):
        tokens = {t for html in seen[user] for t in CSRF_FIELD.findall(html)}
        other_tokens = {t for html in seen[other] for t in CSRF_FIELD.findall(html)}
        assert tokens and not tokens & other_tokens, "a CSRF token reached another learner"
        for html in seen[user]:
            for value in private[other]:
                assert value not in html, (value, user.email)
    # Each learner sees their own state.
    assert reflection in seen[ada][0] and "You have completed this lesson" not in seen[ada][0]
    assert "1 of 3 lessons done" in seen[ada][1]
    assert reflection not in seen[bob][0] and "Not started" not in seen[ada][1]
    # Every token a learner received is valid for that learner's own session.
    for user in (ada, bob):
        token = CSRF_FIELD.findall(seen[user][-2])[-1]
        response = clients[user].post(
            reverse("courses:lesson_reflect", args=[lesson.pk]),
            {"block_id": tree.reflection_block_id, "text": "", "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302, user.email


def test_cached_fragments_are_used_on_the_next_render(lesson_tree, shared_cache):
    tree, _, _ = lesson_tree
    lesson = tree.lessons[-1]
    ada, bob = person("met", "Ada", "Lovelace"), person("gmp", "Bob", "Oyelaran")
    first, second = signed_in(ada), signed_in(bob)
    for client in (first, second):
        client.get(lesson.url)  # first views record "experienced"
    for key in shared_cache():  # the fragments only (Wagtail's site root paths stay)
        if b":template.cache." in key:
            redis.Redis.from_url(REDIS_URL).delete(key)

    html_first, rendering = render(first, lesson.url)
    html_second, from_cache = render(second, lesson.url)
    # The testimony is read only to render its fragment: 1 query fewer when the fragment comes
    # from the shared cache. (The content warning renders on every request, as it lists the
    # learner's own force's support services: its services and the force's, 2 queries each time.)
    assert from_cache == rendering - 1
    assert "What Robin, survivor wants officers to hear." in html_second
    assert "Respect Phoneline" in html_second
    assert render(first, lesson.url)[1] == from_cache
    assert html_first.count("<section") == html_second.count("<section")


# --- Changes show at once ---------------------------------------------------------------------


@pytest.fixture
def viewer(db):
    return signed_in(person("met", "Cara", "Ndiaye"))


def test_a_withdrawn_testimony_disappears_at_once(lesson_tree, viewer):
    tree, testimony, _ = lesson_tree
    url = tree.lessons[-1].url
    assert "What Robin, survivor wants officers to hear." in viewer.get(url).content.decode()
    testimony.consent_withdrawn_on = TODAY
    testimony.save()
    assert "What Robin, survivor wants officers to hear." not in viewer.get(url).content.decode()


def test_a_changed_support_service_shows_at_once(lesson_tree, viewer):
    tree, _, service = lesson_tree
    url = tree.lessons[-1].url
    assert "0808 802 4040" in viewer.get(url).content.decode()
    service.phone = "0800 123 4567"
    service.save()
    html = viewer.get(url).content.decode()
    assert "0800 123 4567" in html and "0808 802 4040" not in html
    service.delete()
    assert "Respect Phoneline" not in viewer.get(url).content.decode()


def test_a_published_change_shows_at_once(lesson_tree, viewer):
    tree, _, _ = lesson_tree
    url = tree.lessons[-1].url
    viewer.get(url)
    lesson = LessonPage.objects.get(pk=tree.lessons[-1].pk)
    kept = [(child.block_type, child.value) for child in list(lesson.body)[1:]]
    lesson.body = [("paragraph", "<p>Rewritten by the editor.</p>"), *kept]
    lesson.save_revision().publish()
    assert "Rewritten by the editor." in viewer.get(url).content.decode()
    module = tree.module.specific
    module.title = "Leading well"
    module.save_revision().publish()
    html = viewer.get(url).content.decode()
    assert "Leading well" in html
    dashboard = viewer.get(reverse("courses:dashboard")).content.decode()
    assert "Leading well" in dashboard


def test_every_block_that_renders_a_form_or_the_user_is_kept_out_of_shared_fragments():
    from django.template.loader import get_template

    from courses.blocks import LessonStreamBlock
    from courses.models.pages import PERSONAL_BLOCKS

    personal = re.compile(r"csrf_token|request\.|\buser\b|<form|saved_text|outcome")
    for name, block in LessonStreamBlock().child_blocks.items():
        source = get_template(block.meta.template).template.source
        if personal.search(source):
            assert name in PERSONAL_BLOCKS, name
