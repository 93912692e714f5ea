"""POST /api/v1/progress/ and GET /api/v1/me/progress/ through the Django test client."""

import io
import json
import uuid
from datetime import UTC, timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.throttling import ScopedRateThrottle

from courses.api.exceptions import PayloadTooLarge, api_exception_handler
from courses.api.learner_views import BoundedJSONParser
from courses.models import (
    LessonProgress,
    ModuleProgress,
    ProgressEvent,
    ProgressStatus,
    Reflection,
)
from courses.services import NotALearner, ProgressRejected
from tests.conftest import CSRF_TOKEN, signed_in_api_client
from tests.factories import UserFactory, learner

pytestmark = pytest.mark.django_db

URL = "/api/v1/progress/"
ME_URL = "/api/v1/me/progress/"


@pytest.fixture(autouse=True)
def fresh_throttle():
    """Throttle history lives in the cache and user ids repeat between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user():
    return learner("west-midlands", user__date_joined=timezone.now() - timedelta(days=60))


def days_ago(days: int) -> str:
    """A device's time, whole seconds, as DRF writes it."""
    at = timezone.now().replace(microsecond=0) - timedelta(days=days)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def client(user):
    return signed_in_api_client(user)


def post(client, body, **extra):
    payload = body if isinstance(body, (str, bytes)) else json.dumps(body)
    extra.setdefault("content_type", "application/json")
    return client.post(URL, payload, HTTP_X_CSRFTOKEN=CSRF_TOKEN, **extra)


def event(lesson, verb="experienced", **fields):
    return {"id": str(uuid.uuid4()), "lesson": lesson.pk, "verb": verb, **fields}


# --- Recording --------------------------------------------------------------------------------


def test_new_event_is_201_with_the_module_progress(client, user, module_tree):
    sent_at = days_ago(3)
    body = event(module_tree.lessons[0], "completed", occurred_at=sent_at)
    response = post(client, body)

    assert response.status_code == 201
    data = response.json()
    assert data["id"] == body["id"]
    assert data["created"] is True
    assert data["lesson"] == module_tree.lessons[0].pk
    assert data["module"] == module_tree.module.pk
    assert data["occurred_at"] == sent_at
    assert data["outcome"] is None
    assert data["module_progress"] == {
        "module": module_tree.module.pk,
        "status": "in_progress",
        "lessons_completed": 1,
        "lessons_total": 3,
        "score": None,
        "started_at": data["recorded_at"],  # the server's time, not the device's
        "completed_at": None,
        "certificate_code": None,
    }
    assert response["Cache-Control"] == "private, no-store"
    saved = ProgressEvent.objects.get()
    assert saved.learner == user
    assert saved.force.code == "west-midlands"


def test_the_learner_and_force_come_from_the_session_not_the_body(client, user, module_tree):
    someone_else = learner("met")
    body = event(module_tree.lessons[0], learner=someone_else.pk, force="met")
    assert post(client, body).status_code == 201
    saved = ProgressEvent.objects.get()
    assert (saved.learner, saved.force.code) == (user, "west-midlands")
    assert not ModuleProgress.objects.filter(learner=someone_else).exists()


def test_answer_is_scored_on_the_server(client, module_tree):
    result = {"block_id": module_tree.check_block_id, "answers": [1]}
    response = post(client, event(module_tree.lessons[-1], "answered", result=result))

    assert response.status_code == 201
    outcome = response.json()["outcome"]
    assert outcome["score"] == 100
    assert outcome["correct"] is True
    assert outcome["selected"] == [1]
    assert outcome["feedback"][1] == {
        "option": 1,
        "selected": True,
        "correct": True,
        "feedback": "Yes: his choice.",
    }
    assert response.json()["result"]["score"] == 100


def test_a_wrong_answer_does_not_give_the_right_one_away(client, module_tree):
    lesson = module_tree.lessons[-1]
    wrong = {"block_id": module_tree.check_block_id, "answers": [0]}
    # The browser may say what it likes about attempts: the server counts answered events.
    body = event(lesson, "answered", result={**wrong, "attempts": 5})
    outcome = post(client, body).json()["outcome"]

    assert (outcome["attempts"], outcome["reveal_after"]) == (1, 2)
    assert outcome["answer_revealed"] is False
    assert outcome["feedback"] == [
        {"option": 0, "selected": True, "correct": False, "feedback": "This blames her."},
        {"option": 1, "selected": False, "correct": None, "feedback": ""},
        {"option": 2, "selected": False, "correct": None, "feedback": ""},
    ]
    # A replay of the same event is not a new attempt.
    replayed = post(client, body).json()["outcome"]
    assert (replayed["attempts"], replayed["answer_revealed"]) == (1, False)
    assert replayed["feedback"][1]["correct"] is None

    second = post(client, event(lesson, "answered", result={**wrong, "answers": [2]}))
    outcome = second.json()["outcome"]
    assert (outcome["attempts"], outcome["answer_revealed"]) == (2, True)
    assert outcome["feedback"][1] == {
        "option": 1,
        "selected": False,
        "correct": True,
        "feedback": "Yes: his choice.",
    }


def test_completing_the_module_returns_a_certificate_code(client, module_tree):
    for lesson in module_tree.lessons:
        post(client, event(lesson, "completed"))
    result = {"block_id": module_tree.check_block_id, "answers": [1]}
    response = post(client, event(module_tree.lessons[-1], "answered", result=result))

    progress = response.json()["module_progress"]
    assert progress["status"] == "completed"
    assert progress["completed_at"] is not None
    assert len(progress["certificate_code"]) == 14


def test_replay_is_200_and_changes_nothing(client, module_tree):
    body = event(module_tree.lessons[0], "completed")
    first = post(client, body)
    replay = post(client, body)

    assert replay.status_code == 200
    assert replay.json()["created"] is False
    assert replay.json()["recorded_at"] == first.json()["recorded_at"]
    assert ProgressEvent.objects.count() == 1


def test_same_id_different_body_is_409(client, module_tree):
    body = event(module_tree.lessons[0])
    post(client, body)
    response = post(client, {**body, "verb": "completed"})

    assert response.status_code == 409
    assert "already recorded with different details" in response.json()["detail"]
    assert response["Cache-Control"] == "private, no-store"
    assert LessonProgress.objects.get().status == ProgressStatus.IN_PROGRESS


def test_a_stale_tab_cannot_undo_a_completion(client, module_tree):
    for lesson in module_tree.lessons:
        post(client, event(lesson, "completed"))
    result = {"block_id": module_tree.check_block_id, "answers": [1]}
    done = post(client, event(module_tree.lessons[-1], "answered", result=result)).json()

    stale = post(client, event(module_tree.lessons[0], "experienced")).json()

    assert stale["module_progress"] == done["module_progress"]


# --- Batches ----------------------------------------------------------------------------------


def test_batch_is_201_with_one_result_per_event(client, module_tree):
    batch = [event(lesson, "completed") for lesson in module_tree.lessons]
    response = post(client, batch)

    assert response.status_code == 201
    assert [item["id"] for item in response.json()] == [e["id"] for e in batch]
    assert response.json()[-1]["module_progress"]["lessons_completed"] == 3


def test_batch_replay_is_200(client, module_tree):
    batch = [event(lesson) for lesson in module_tree.lessons]
    post(client, batch)
    response = post(client, batch)
    assert response.status_code == 200
    assert {item["created"] for item in response.json()} == {False}


def test_batch_with_a_replay_and_a_new_event_is_201(client, module_tree):
    old = event(module_tree.lessons[0])
    post(client, old)
    response = post(client, [old, event(module_tree.lessons[1])])
    assert response.status_code == 201
    assert [item["created"] for item in response.json()] == [False, True]


def test_batch_with_one_bad_event_writes_nothing(client, module_tree):
    future = (timezone.now() + timedelta(hours=2)).isoformat()
    batch = [event(module_tree.lessons[0]), event(module_tree.lessons[1], occurred_at=future)]
    response = post(client, batch)

    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == ["1"]  # keyed by position, like DRF's own list errors
    assert "future" in errors["1"]["occurred_at"][0]
    assert not ProgressEvent.objects.exists()


def test_batch_with_a_malformed_event_points_at_it(client, module_tree):
    response = post(client, [event(module_tree.lessons[0]), {"id": "nope", "verb": "completed"}])
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == ["1"]
    assert set(errors["1"]) == {"id", "lesson"}
    assert not ProgressEvent.objects.exists()


def test_batch_with_an_unknown_lesson_points_at_it(client, module_tree):
    batch = [event(module_tree.lessons[0]), {**event(module_tree.lessons[0]), "lesson": 999999}]
    response = post(client, batch)
    assert response.status_code == 400
    assert response.json() == {"1": {"lesson": ["There is no lesson 999999."]}}


def test_batch_with_a_conflict_is_409_and_writes_nothing(client, module_tree):
    taken = event(module_tree.lessons[0])
    post(client, taken)
    response = post(client, [event(module_tree.lessons[1]), {**taken, "verb": "completed"}])
    assert response.status_code == 409
    # The id names the event an offline queue must drop before sending the rest again.
    assert response.json()["id"] == taken["id"]
    assert ProgressEvent.objects.count() == 1


# --- The browser's offline queue (static/js/progress.js) ----------------------------------------


def test_an_offline_batch_keeps_each_events_id_and_device_time(client, user, module_tree):
    first, second = module_tree.lessons[:2]
    batch = [
        event(first, "completed", occurred_at=days_ago(3)),
        event(second, "completed", occurred_at=days_ago(2)),
    ]
    response = post(client, batch)

    assert response.status_code == 201
    assert [(r["id"], r["created"]) for r in response.json()] == [(e["id"], True) for e in batch]
    recorded = {str(e.id): e for e in ProgressEvent.objects.all()}
    assert set(recorded) == {e["id"] for e in batch}
    for sent in batch:
        assert (
            recorded[sent["id"]].occurred_at.strftime("%Y-%m-%dT%H:%M:%SZ") == sent["occurred_at"]
        )
        assert recorded[sent["id"]].learner == user
    # Reports use the server's time: the lessons were completed now, not days ago.
    done = LessonProgress.objects.get(lesson=first)
    assert timezone.now() - done.completed_at < timedelta(minutes=1)


def test_a_queue_sent_twice_records_each_event_once(client, module_tree):
    """A tab that lost the answer to its batch sends it again: every event is a replay."""
    batch = [event(lesson, "completed", occurred_at=days_ago(1)) for lesson in module_tree.lessons]
    post(client, batch)
    again = post(client, batch)

    assert again.status_code == 200
    assert [r["created"] for r in again.json()] == [False] * len(batch)
    assert ProgressEvent.objects.count() == len(batch)
    assert ModuleProgress.objects.get().lessons_completed == len(batch)


def test_an_event_older_than_the_offline_window_is_named_by_its_place(client, module_tree):
    batch = [
        event(module_tree.lessons[0], occurred_at=days_ago(1)),
        event(module_tree.lessons[1], occurred_at=days_ago(15)),
    ]
    response = post(client, batch)

    assert response.status_code == 400
    [message] = response.json()["1"]["occurred_at"]
    assert "more than 14 days ago" in message
    assert ProgressEvent.objects.count() == 0


def test_one_learners_queue_cannot_touch_another_learners_events(user, module_tree):
    """A shared device: another learner's queued event id, sent under this session, is a
    conflict. Nothing is recorded for this learner, and the other's event is unchanged."""
    other = learner("met", user__date_joined=timezone.now() - timedelta(days=60))
    theirs = event(module_tree.lessons[0], "completed", occurred_at=days_ago(1))
    post(signed_in_api_client(other), theirs)

    mine = signed_in_api_client(user)
    response = post(mine, [event(module_tree.lessons[1]), theirs])

    assert response.status_code == 409
    assert response.json()["id"] == theirs["id"]
    assert not ProgressEvent.objects.filter(learner=user).exists()
    kept = ProgressEvent.objects.get(pk=theirs["id"])
    assert (kept.learner, kept.force_id) == (other, other.learner_profile.force_id)


def test_a_batch_is_recorded_against_the_sessions_learner_and_force(client, user, module_tree):
    body = [{**event(module_tree.lessons[0]), "learner": 1, "force": "met"}]
    assert post(client, body).status_code == 201
    recorded = ProgressEvent.objects.get()
    assert (recorded.learner, recorded.force_id) == (user, user.learner_profile.force_id)


def test_a_signed_out_queue_is_401_and_records_nothing(module_tree):
    """The session ended: 401 (not 403), so the browser keeps its queue and asks to sign in."""
    response = post(Client(), [event(module_tree.lessons[0])])
    assert response.status_code == 401
    assert response.json() == {"detail": "Sign in to see and record your progress."}
    assert ProgressEvent.objects.count() == 0


@pytest.mark.parametrize("size", [0, 101])
def test_batch_size_limits(client, module_tree, size):
    response = post(client, [event(module_tree.lessons[0]) for _ in range(size)])
    assert response.status_code == 400
    assert response.json() == {"detail": "Send between 1 and 100 events in a batch."}
    assert not ProgressEvent.objects.exists()


# --- Bad input: 400 with field errors, nothing written ----------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"verb": "jumped"}, "verb", "is not a valid choice"),
        ({"verb": None}, "verb", "may not be null"),
        ({"id": "not-a-uuid"}, "id", "valid UUID"),
        ({"id": None}, "id", "may not be null"),
        ({"lesson": "first"}, "lesson", "valid integer"),
        ({"lesson": 0}, "lesson", "greater than or equal to 1"),
        ({"lesson": 999999}, "lesson", "There is no lesson 999999."),
        ({"occurred_at": "yesterday"}, "occurred_at", "Datetime has wrong format"),
        ({"result": [1, 2]}, "result", "JSON object"),
    ],
)
def test_bad_fields(client, module_tree, change, field, message):
    response = post(client, {**event(module_tree.lessons[0]), **change})
    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert not ProgressEvent.objects.exists()


def test_missing_fields(client):
    response = post(client, {})
    assert response.status_code == 400
    assert set(response.json()) == {"id", "lesson", "verb"}


def test_time_far_in_the_future(client, module_tree):
    future = (timezone.now() + timedelta(minutes=10)).isoformat()
    response = post(client, event(module_tree.lessons[0], occurred_at=future))
    assert response.status_code == 400
    assert response.json() == {
        "occurred_at": ["This time is in the future. Check the device's clock."]
    }
    assert not ProgressEvent.objects.exists()


def test_unpublished_lesson(client, module_tree):
    module_tree.lessons[0].unpublish()
    response = post(client, event(module_tree.lessons[0]))
    assert response.status_code == 400
    assert "not available" in response.json()["lesson"][0]
    assert not ProgressEvent.objects.exists()


def test_lesson_of_an_unpublished_module(client, module_tree):
    module_tree.module.unpublish()
    response = post(client, event(module_tree.lessons[1]))
    assert response.status_code == 400
    assert "not available" in response.json()["lesson"][0]


def test_a_module_page_is_not_a_lesson(client, module_tree):
    response = post(client, {**event(module_tree.lessons[0]), "lesson": module_tree.module.pk})
    assert response.status_code == 400
    assert response.json() == {"lesson": [f"There is no lesson {module_tree.module.pk}."]}


@pytest.mark.parametrize(
    ("answers", "message"),
    [([9], "does not match any option"), ([], "non-empty list"), ([0, 1], "single answer")],
)
def test_bad_answers(client, module_tree, answers, message):
    result = {"block_id": module_tree.check_block_id, "answers": answers}
    response = post(client, event(module_tree.lessons[-1], "answered", result=result))
    assert response.status_code == 400
    assert message in response.json()["result"][0]
    assert not ProgressEvent.objects.exists()


def test_unknown_check(client, module_tree):
    result = {"block_id": "made-up", "answers": [1]}
    response = post(client, event(module_tree.lessons[-1], "answered", result=result))
    assert response.status_code == 400
    assert response.json() == {"result": ["This lesson has no such knowledge check."]}


@pytest.mark.parametrize("body", ['"hello"', "42", "null"])
def test_body_that_is_not_an_event(client, body):
    response = post(client, body)
    assert response.status_code == 400
    assert response.json() == {"detail": "Send one event as a JSON object, or a list of events."}


def test_malformed_json(client):
    response = post(client, '{"id": ')
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_wrong_content_type_is_415(client, module_tree):
    response = post(
        client, "lesson=1&verb=completed", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert "Unsupported media type" in response.json()["detail"]
    assert not ProgressEvent.objects.exists()


def test_body_over_64_kb_is_413(client, module_tree):
    body = event(module_tree.lessons[0], result={"note": "x" * (64 * 1024)})
    response = post(client, body)
    assert response.status_code == 413
    assert response.json() == {
        "detail": "Send at most 64 KB at a time: split the events into batches."
    }
    assert not ProgressEvent.objects.exists()


def test_a_content_length_that_is_not_a_number_is_400(client, module_tree):
    response = post(client, event(module_tree.lessons[0]), CONTENT_LENGTH="lots")
    assert response.status_code == 400
    assert response.json() == {"detail": "The Content-Length header is not a number."}
    assert not ProgressEvent.objects.exists()


def test_body_longer_than_its_content_length_claims_is_still_refused():
    # The view refuses a large Content-Length up front; the parser also stops reading at
    # 64 KB, for bodies that arrive without an honest length (chunked uploads).
    with pytest.raises(PayloadTooLarge):
        BoundedJSONParser().parse(io.BytesIO(b'"' + b"x" * (64 * 1024) + b'"'))
    assert BoundedJSONParser().parse(io.BytesIO(b'{"ok": true}')) == {"ok": True}


def test_unexpected_errors_are_a_plain_500(caplog):
    response = api_exception_handler(RuntimeError("database on fire"), {})
    assert response.status_code == 500
    assert response.data == {
        "detail": "Something went wrong on our side. Please try again in a few minutes."
    }
    assert "database on fire" not in json.dumps(response.data)
    assert "Unhandled API error" in caplog.text


# --- Who may call -----------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "url"), [("post", URL), ("get", ME_URL)])
def test_anonymous_is_401_with_a_sign_in_message(method, url):
    response = getattr(Client(), method)(url, content_type="application/json")
    assert response.status_code == 401
    assert response.json() == {"detail": "Sign in to see and record your progress."}
    assert response["WWW-Authenticate"] == 'Session realm="DA Matters"'
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(("method", "url"), [("post", URL), ("get", ME_URL)])
def test_a_user_without_a_force_is_403(method, url, module_tree):
    client = Client()
    client.force_login(UserFactory())
    if method == "post":
        response = client.post(url, event(module_tree.lessons[0]), content_type="application/json")
    else:
        response = client.get(url)
    assert response.status_code == 403
    assert "not linked to a police force" in response.json()["detail"]
    assert not ProgressEvent.objects.exists()


def test_post_without_the_csrf_token_is_403(user, module_tree):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(URL, event(module_tree.lessons[0]), content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not ProgressEvent.objects.exists()


def test_requests_are_throttled_per_learner(client, module_tree, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "learner_progress", "2/min")
    assert post(client, event(module_tree.lessons[0])).status_code == 201
    assert client.get(ME_URL).status_code == 200
    throttled = post(client, event(module_tree.lessons[0]))
    assert throttled.status_code == 429
    assert "throttled" in throttled.json()["detail"]
    assert "Retry-After" in throttled
    # Another learner has their own allowance.
    other = Client()
    other.force_login(learner())
    assert other.get(ME_URL).status_code == 200


# --- My progress ------------------------------------------------------------------------------


def test_my_progress_lists_my_modules_and_lessons_only(client, user, module_tree):
    sent = post(client, event(module_tree.lessons[0], "completed", occurred_at=days_ago(3)))
    recorded_at = sent.json()["recorded_at"]
    Reflection.objects.create(
        learner=user,
        lesson=module_tree.lessons[-1],
        block_id=module_tree.reflection_block_id,
        text="A private thought about my own team.",
    )
    other = Client()
    other.force_login(learner())
    other.post(URL, event(module_tree.lessons[1], "completed"), content_type="application/json")

    response = client.get(ME_URL)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response.json() == {
        "modules": [
            {
                "module": module_tree.module.pk,
                "title": "Leadership",
                "status": "in_progress",
                "lessons_completed": 1,
                "lessons_total": 3,
                "score": None,
                "started_at": recorded_at,
                "completed_at": None,
                "certificate_code": None,
                "lessons": [
                    {
                        "lesson": module_tree.lessons[0].pk,
                        "title": "Leadership lesson 1",
                        "status": "completed",
                        "score": None,
                        "started_at": recorded_at,
                        "completed_at": recorded_at,
                    }
                ],
            }
        ]
    }
    assert "private thought" not in response.content.decode()


def test_my_progress_is_empty_before_starting(client):
    assert client.get(ME_URL).json() == {"modules": []}


def test_my_progress_query_count(client, module_tree, django_assert_num_queries):
    for lesson in module_tree.lessons:
        post(client, event(lesson, "completed"))
    # the session, the user and the learner profile (3), the module rows with pages (1), the
    # lesson rows with pages (1): constant however many modules and lessons. (No session
    # write: the idle timeout is refreshed at most once a minute, and the warm-up request did
    # it.)
    with django_assert_num_queries(5):
        response = client.get(ME_URL)
    assert len(response.json()["modules"][0]["lessons"]) == 3


def test_service_errors_raised_as_django_exceptions_keep_their_messages():
    refused = api_exception_handler(NotALearner(), {})
    assert (refused.status_code, refused.data["detail"]) == (403, NotALearner.message)
    fields = api_exception_handler(ProgressRejected({"verb": ["Unknown verb."]}), {})
    assert (fields.status_code, fields.data) == (400, {"verb": ["Unknown verb."]})
    plain = api_exception_handler(ValidationError("Send at least one event."), {})
    assert (plain.status_code, plain.data) == (400, {"detail": "Send at least one event."})
