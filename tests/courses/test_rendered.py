"""Lesson pages rendered once per process and content version (courses.rendered): every learner
gets the page exactly as it would render for them, with their own CSRF token and event id,
and a change to anything the page shows reaches the next view."""

import datetime
import re

import pytest
from django.contrib.messages import constants
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from courses import rendered, structure
from courses.models import LessonPage, ProgressEvent, SupportService, Verb
from tests.courses.journey import answer, complete
from tests.courses.test_testimony import TODAY, make_testimony
from tests.factories import UserFactory, learner
from tests.test_query_counts import SESSION, TOKEN, USER_BAR

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def signed_in(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user or learner("met"))
    return client


def page(client, lesson) -> str:
    response = client.get(lesson.url)
    assert response.status_code == 200
    return response.content.decode()


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
EVENT_INPUT = re.compile(r'name="event_id" value="([^"]+)"')


def normalised(html: str) -> str:
    """The page without what differs between any two responses: CSRF tokens and event ids."""
    return EVENT_INPUT.sub('name="event_id" value="E"', CSRF_INPUT.sub("CSRF", html))


def rendered_without_kept_copy(client, lesson, monkeypatch) -> str:
    with monkeypatch.context() as patch:
        patch.setattr(rendered, "lesson_key", lambda *args: None)
        return page(client, lesson)


def publish(lesson: LessonPage, body) -> LessonPage:
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.body = body
    lesson.save_revision().publish()
    return lesson


# --- The same page as a rendering of its own ----------------------------------------------------


@pytest.mark.parametrize("which", [0, -1], ids=["first-lesson", "lesson-with-check-and-prompt"])
def test_a_kept_page_is_the_page_each_learner_would_get_on_its_own(module_tree, monkeypatch, which):
    lesson = module_tree.lessons[which]
    second_learner = learner("met")
    first, second = signed_in(), signed_in(second_learner)

    page(first, lesson)  # rendered and kept
    kept = page(second, lesson)

    assert rendered._kept, "the first view keeps the rendering"
    assert normalised(kept) == normalised(rendered_without_kept_copy(second, lesson, monkeypatch))
    # A view from the kept copy still records the learner's first visit.
    visits = ProgressEvent.objects.filter(learner=second_learner, verb=Verb.EXPERIENCED)
    assert visits.filter(lesson=lesson).count() == 1


def test_a_learner_who_completed_the_lesson_gets_the_completed_page(module_tree, monkeypatch):
    lesson = module_tree.lessons[0]
    done_user = learner("met")
    plain = Client()
    plain.force_login(done_user)
    complete(plain, lesson)
    done, other = signed_in(done_user), signed_in()

    assert "You have completed this lesson." not in page(other, lesson)
    kept_completed = page(done, lesson)

    assert "You have completed this lesson." in kept_completed
    assert normalised(kept_completed) == normalised(
        rendered_without_kept_copy(done, lesson, monkeypatch)
    )
    assert "You have completed this lesson." not in page(other, lesson)


def test_each_response_has_its_own_working_csrf_token_and_event_id(module_tree):
    lesson = module_tree.lessons[0]
    client = signed_in()
    page(signed_in(), lesson)  # another learner's view keeps the rendering

    views = [page(client, lesson) for _ in range(2)]

    tokens = [CSRF_INPUT.findall(view) for view in views]
    events = [EVENT_INPUT.findall(view) for view in views]
    assert all(tokens) and all(len(found) == 1 for found in events)
    assert tokens[0][0] != tokens[1][0], "a fresh mask for each response, as Django gives"
    assert events[0] != events[1]
    for view in views:
        assert rendered.CSRF_PLACEHOLDER not in view
        assert rendered.EVENT_PLACEHOLDER not in view
    # The kept page's form works as it is: its CSRF token and event id record the completion.
    response = client.post(
        reverse("courses:lesson_complete", args=[lesson.pk]),
        {"csrfmiddlewaretoken": tokens[1][0], "event_id": events[1][0]},
    )
    assert response.status_code == 302
    assert ProgressEvent.objects.filter(id=events[1][0], verb=Verb.COMPLETED).exists()


# --- What only one learner sees renders on its own ---------------------------------------------


def test_another_learners_reflection_never_shows_on_a_kept_page(module_tree):
    lesson = module_tree.lessons[-1]
    writer, reader = signed_in(), signed_in()
    page(reader, lesson)  # kept, with an empty reflection box

    writer.get(lesson.url)
    token = CSRF_INPUT.findall(page(writer, lesson))[0]
    response = writer.post(
        reverse("courses:lesson_reflect", args=[lesson.pk]),
        {
            "csrfmiddlewaretoken": token,
            "block_id": module_tree.reflection_block_id,
            "text": "I will ask to speak to her on her own.",
        },
    )
    assert response.status_code == 302

    assert "I will ask to speak to her on her own." in page(writer, lesson)
    assert "I will ask to speak to her on her own." not in page(reader, lesson)
    assert "I will ask to speak to her on her own." in page(writer, lesson)


def test_feedback_on_an_answer_shows_once_then_the_kept_page(module_tree):
    lesson = module_tree.lessons[-1]
    plain = Client()
    plain.force_login(learner("met"))
    page(signed_in(), lesson)  # kept

    answer(plain, module_tree, 0)

    assert "Not quite. Read the feedback and try again." in page(plain, lesson)
    assert "Not quite." not in page(plain, lesson)


def test_messages_show_on_the_page_that_follows(module_tree):
    last = module_tree.lessons[-1]
    plain = Client()
    plain.force_login(learner("met"))
    page(signed_in(), last)  # kept, without messages

    response = plain.post(
        reverse("courses:lesson_reflect", args=[last.pk]),
        {"block_id": module_tree.reflection_block_id, "text": "Ask, and listen."},
        follow=True,
    )

    assert "Your reflection is saved. Only you can see it." in response.content.decode()
    assert "Your reflection is saved." not in page(plain, last)  # shown once


def test_editors_get_their_user_bar_and_learners_never_do(module_tree):
    lesson = module_tree.lessons[0]
    editor = signed_in(UserFactory(is_superuser=True, is_staff=True))

    assert "wagtail-userbar" not in page(signed_in(), lesson)
    assert "wagtail-userbar" in page(editor, lesson)
    assert "wagtail-userbar" not in page(signed_in(), lesson)


def test_an_unexpected_message_is_not_lost(module_tree):
    """lesson_key() declines a request with messages waiting, so the page shows them."""
    lesson = module_tree.lessons[0]
    client = signed_in()
    page(signed_in(), lesson)  # kept
    request = client.get(lesson.url).wsgi_request
    request._messages.add(constants.INFO, "Welcome back.")

    assert rendered.lesson_key(request, lesson, {}) is None


# --- A change reaches the next view ------------------------------------------------------------


def test_a_republished_lesson_shows_at_once(module_tree):
    lesson = module_tree.lessons[0]
    client = signed_in()
    page(client, lesson)

    publish(lesson, [("paragraph", "<p>Ask about coercive control, every time.</p>")])

    assert "Ask about coercive control, every time." in page(client, lesson)


def test_withdrawn_consent_removes_testimony_from_kept_pages_at_once(module_tree):
    testimony = make_testimony()
    lesson = publish(module_tree.lessons[0], [("testimony", testimony)])
    client = signed_in()
    assert "wants officers to hear" in page(client, lesson)
    assert "wants officers to hear" in page(signed_in(), lesson)  # from the kept copy

    testimony.consent_withdrawn_on = TODAY
    testimony.save()

    assert "wants officers to hear" not in page(client, lesson)
    assert "wants officers to hear" not in page(signed_in(), lesson)


def test_testimony_disappears_the_day_after_its_review_date(module_tree, monkeypatch):
    lesson = publish(
        module_tree.lessons[0], [("testimony", make_testimony(consent_review_by=TODAY))]
    )
    client = signed_in()
    assert "wants officers to hear" in page(client, lesson)

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY + DAY)

    assert "wants officers to hear" not in page(client, lesson)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("what", ["support service", "document"])
def test_a_renamed_support_service_or_document_shows_at_once(module_tree, media, what):
    if what == "support service":
        item = SupportService.objects.create(name="Wellbeing line", description="For staff.")
        text = "<p>This lesson describes coercive control.</p>"
        block = ("content_warning", {"text": text, "support_services": [item]})
        field = "name"
    else:
        item = Document.objects.create(title="Wellbeing line", file=ContentFile(b"%PDF", "w.pdf"))
        block = ("resources", {"heading": "Further resources", "documents": [{"document": item}]})
        field = "title"
    lesson = publish(module_tree.lessons[0], [block])
    client = signed_in()
    assert "Wellbeing line" in page(client, lesson)

    setattr(item, field, "Staff wellbeing line")
    item.save()

    assert "Staff wellbeing line" in page(client, lesson)


def test_a_changed_image_shows_at_once(module_tree, media):
    image = Image.objects.create(title="Briefing", file=get_test_image_file())
    block = {"image": image, "alt_text": "Officers at a briefing", "decorative": False}
    lesson = publish(module_tree.lessons[0], [("image", block)])
    client = signed_in()
    before = re.search(r'<img src="([^"]+)"', page(client, lesson))[1]

    image.file = get_test_image_file(filename="replacement.png")
    image.save()
    image.renditions.all().delete()

    after = re.search(r'<img src="([^"]+)"', page(client, lesson))[1]
    assert after != before


@pytest.mark.parametrize("model", ["testimony", "support service", "image", "document"])
def test_saving_or_deleting_what_lessons_show_replaces_the_content_token(model, media):
    make = {
        "testimony": make_testimony,
        "support service": lambda: SupportService.objects.create(name="Line", description="."),
        "image": lambda: Image.objects.create(title="A", file=get_test_image_file()),
        "document": lambda: Document.objects.create(title="D", file=ContentFile(b"x", "d.pdf")),
    }[model]
    before = structure.current_token()
    item = make()
    saved = structure.current_token()
    item.delete()

    assert before != saved != structure.current_token()


def test_a_rendition_made_while_rendering_keeps_the_token(module_tree, media):
    image = Image.objects.create(title="Briefing", file=get_test_image_file())
    lesson = publish(
        module_tree.lessons[0], [("image", {"image": image, "alt_text": "A briefing"})]
    )
    token = structure.current_token()

    page(signed_in(), lesson)  # makes the rendition

    assert image.renditions.exists()
    assert structure.current_token() == token


def test_a_kept_page_makes_no_queries_for_its_blocks(module_tree, media, django_assert_num_queries):
    """The first rendering reads testimony, support services, images and documents; later
    views of the same variant read none of them: the lesson page's queries (session, user,
    user bar, content token, the learner's status) whatever the lesson holds."""
    service = SupportService.objects.create(name="Wellbeing line", description="For staff.")
    image = Image.objects.create(title="Briefing", file=get_test_image_file())
    document = Document.objects.create(title="Guide", file=ContentFile(b"%PDF", "guide.pdf"))
    lesson = publish(
        module_tree.lessons[0],
        [
            (
                "content_warning",
                {"text": "<p>Coercive control.</p>", "support_services": [service]},
            ),
            ("testimony", make_testimony()),
            ("image", {"image": image, "alt_text": "Officers at a briefing"}),
            ("resources", {"heading": "Read more", "documents": [{"document": document}]}),
        ],
    )
    client = signed_in()
    page(client, lesson)  # the first view: records "experienced", renders and keeps

    with django_assert_num_queries(SESSION + USER_BAR + TOKEN + 1):
        html = page(client, lesson)

    assert all(
        text in html for text in ("Wellbeing line", "wants officers to hear", "Guide", "<img")
    )


def test_kept_renderings_are_bounded(module_tree, monkeypatch):
    monkeypatch.setattr(rendered, "KEPT_RENDERINGS", 2)
    client = signed_in()
    for lesson in module_tree.lessons:
        page(client, lesson)

    assert 1 <= len(rendered._kept) <= 2


def test_an_anonymous_visitor_is_still_sent_to_sign_in(module_tree):
    lesson = module_tree.lessons[0]
    page(signed_in(), lesson)  # kept

    response = Client().get(lesson.url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_learners_completing_from_kept_pages_record_an_event_each(module_tree):
    """Two learners' completions from kept pages are two events, never one shared id."""
    lesson = module_tree.lessons[0]
    clients = [signed_in(), signed_in()]
    forms = [page(client, lesson) for client in clients]
    for client, form in zip(clients, forms, strict=True):
        client.post(
            reverse("courses:lesson_complete", args=[lesson.pk]),
            {
                "csrfmiddlewaretoken": CSRF_INPUT.findall(form)[0],
                "event_id": EVENT_INPUT.findall(form)[0],
            },
        )

    completions = ProgressEvent.objects.filter(lesson=lesson, verb=Verb.COMPLETED)
    assert completions.count() == 2
    assert {str(event.id) for event in completions} == {
        EVENT_INPUT.findall(form)[0] for form in forms
    }
