"""Bad input to the API, case by case: each gets a 4xx with a message, never a 500, and
nothing is written."""

import json
import uuid
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string

from courses.api.parsers import UNSTORABLE
from courses.models import ProgressEvent
from tests.factories import api_key, learner

EDGE_TEXT = {
    "nul": "before\x00after",
    "lone surrogate": "\ud800",
    "rtl override": "\u202etxt.exe",
    "emoji": "\U0001f469\u200d\U0001f467 \U0001f44d\U0001f3fd",
    "zero width": "\u200b\u200d\ufeff",
    "very long": "x" * 60_000,
}


@pytest.fixture
def learner_client(module_tree):
    cache.clear()
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner("met"))
    token = get_random_string(32)
    client.cookies["csrftoken"] = token
    client.token = token
    client.lesson = module_tree.lessons[0]
    return client


def post(client, body: bytes, content_type="application/json"):
    return client.post(
        reverse("api-progress"),
        data=body,
        content_type=content_type,
        headers={"X-CSRFToken": client.token},
    )


def event(lesson, **fields) -> dict:
    return {"id": str(uuid.uuid4()), "lesson": lesson.pk, "verb": "experienced", **fields}


def utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def encode(value) -> bytes:
    # ensure_ascii keeps lone surrogates as \\ud800 escapes, as a hostile client would send them
    return json.dumps(value).encode()


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"{", "application/json", 400),
        (b'{"id": ', "application/json", 400),
        (b"\xff\xfe\x00", "application/json", 400),
        (b"", "application/json", 400),
        (b"null", "application/json", 400),
        (b"[" * 5000, "application/json", 400),
        (b"id=1&lesson=2", "application/x-www-form-urlencoded", 415),
        (b"<event/>", "application/xml", 415),
        (b"{}", "text/plain", 415),
        (b"--x\r\n\r\n--x--", "multipart/form-data; boundary=x", 415),
    ],
    ids=[
        "unterminated object",
        "truncated",
        "not utf-8",
        "empty",
        "null",
        "deep nesting",
        "form post",
        "xml",
        "text/plain",
        "multipart",
    ],
)
def test_malformed_bodies_and_wrong_content_types(learner_client, body, content_type, status):
    response = post(learner_client, body, content_type)
    assert response.status_code == status
    assert response.json()  # a message (detail or field errors), never an empty body
    assert not ProgressEvent.objects.exists()


def test_oversized_body_is_413(learner_client):
    body = encode(event(learner_client.lesson, result={"note": "x" * 70_000}))
    response = post(learner_client, body)
    assert response.status_code == 413
    assert "64 KB" in response.json()["detail"]


@pytest.mark.parametrize("case", ["nul", "lone surrogate"])
@pytest.mark.parametrize("where", ["verb", "result value", "result key", "id", "occurred_at"])
def test_text_that_cannot_be_stored_is_refused_clearly(learner_client, case, where):
    text = EDGE_TEXT[case]
    fields = {
        "verb": {"verb": text},
        "result value": {"result": {"note": text}},
        "result key": {"result": {text: 1}},
        "id": {"id": text},
        "occurred_at": {"occurred_at": text},
    }[where]
    response = post(learner_client, encode(event(learner_client.lesson, **fields)))
    assert response.status_code == 400
    assert response.json() == {"detail": UNSTORABLE}
    assert not ProgressEvent.objects.exists()


@pytest.mark.parametrize("case", ["rtl override", "emoji", "zero width"])
def test_unusual_but_valid_text_in_a_result_is_kept_exactly(learner_client, case):
    body = event(learner_client.lesson, result={"note": EDGE_TEXT[case]})
    response = post(learner_client, encode(body))
    assert response.status_code == 201
    assert ProgressEvent.objects.get().result == {"note": EDGE_TEXT[case]}


@pytest.mark.parametrize("case", ["rtl override", "emoji", "zero width", "very long"])
def test_edge_text_in_the_verb_is_a_field_error(learner_client, case):
    response = post(learner_client, encode(event(learner_client.lesson, verb=EDGE_TEXT[case])))
    assert response.status_code == 400
    assert "verb" in response.json()


def test_a_long_result_is_refused_with_the_limit(learner_client):
    response = post(learner_client, encode(event(learner_client.lesson, result={"n": "y" * 5000})))
    assert response.status_code == 400
    assert "4096" in json.dumps(response.json())


@pytest.mark.parametrize("case", list(EDGE_TEXT))
def test_edge_text_in_manager_query_parameters(client, db, case):
    cache.clear()
    issued = api_key("met")
    text = EDGE_TEXT[case][:2000]
    for params in ({"module": text}, {"role": text}, {"cursor": text}, {text[:50] or "x": "1"}):
        # Percent-encoded as a browser would; a lone surrogate arrives as invalid UTF-8.
        query = "&".join(f"{quote(utf8(k))}={quote(utf8(v))}" for k, v in params.items())
        response = client.get(
            reverse("manager-force-completions", kwargs={"code": "met"}) + "?" + query,
            headers={"Authorization": f"Bearer {issued.key}"},
        )
        assert response.status_code in (200, 400, 404), (params, response.content[:200])
        assert response.json()


@pytest.mark.parametrize("case", list(EDGE_TEXT))
def test_edge_text_as_a_force_code_or_key(client, db, case):
    cache.clear()
    issued = api_key("met")
    text = EDGE_TEXT[case][:300].replace("/", "")
    url = "/api/v1/forces/" + text.encode("utf-8", "surrogatepass").hex() + "/summary/"
    response = client.get(url, headers={"Authorization": f"Bearer {issued.key}"})
    assert response.status_code == 404
    # A WSGI server hands header bytes to Django decoded as latin-1.
    header = f"Bearer {text}".encode("utf-8", "surrogatepass").decode("latin-1")
    response = client.get(reverse("manager-forces"), headers={"Authorization": header})
    assert response.status_code == 401
