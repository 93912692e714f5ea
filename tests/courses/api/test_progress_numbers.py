"""Numbers that do not fit (NaN, Infinity, overflowing floats such as 1e999, integers beyond
64 bits) anywhere in a progress body: always a 400 naming the field, never a 500, and nothing
written. Explicit cases, then generated ones (Hypothesis)."""

import json
import uuid

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.models import ProgressEvent
from tests.conftest import CSRF_TOKEN, signed_in_api_client
from tests.factories import learner

pytestmark = pytest.mark.django_db

URL = "/api/v1/progress/"
UNFIT = ["1e999", "-1e400", "1e309", "NaN", "Infinity", "-Infinity", str(2**64), str(-(2**63) - 1)]
UNFIT += ["9" * 40]
PLACEHOLDER = '"__number__"'


def post_text(client, text: str):
    return client.post(URL, text, content_type="application/json", HTTP_X_CSRFTOKEN=CSRF_TOKEN)


def event(tree, **fields) -> dict:
    return {"id": str(uuid.uuid4()), "lesson": tree.lessons[0].pk, "verb": "experienced", **fields}


@pytest.fixture
def client(db):
    cache.clear()
    return signed_in_api_client(learner("met"))


def test_the_issues_examples(client, module_tree):
    single = json.dumps(event(module_tree, result={"a": "__number__"})).replace(
        PLACEHOLDER, "1e999"
    )
    response = post_text(client, single)
    assert response.status_code == 400
    assert list(response.json()) == ["result"]
    assert "(result.a)" in response.json()["result"][0]

    batch = [event(module_tree), event(module_tree, result={"x": [1, "__number__"]})]
    response = post_text(client, json.dumps(batch).replace(PLACEHOLDER, "-1e400"))
    assert response.status_code == 400
    assert response.json() == {
        "1": {"result": [response.json()["1"]["result"][0]]},
    }
    assert "(1.result.x.1)" in response.json()["1"]["result"][0]
    assert not ProgressEvent.objects.exists()


@pytest.mark.parametrize("number", UNFIT)
@pytest.mark.parametrize("field", ["lesson", "result", "occurred_at", "id", "extra"])
def test_an_unfit_number_in_any_field_is_400_naming_it(client, module_tree, number, field):
    body = event(module_tree)
    body[field] = "__number__"
    response = post_text(client, json.dumps(body).replace(PLACEHOLDER, number))
    assert response.status_code == 400
    assert field in response.json()
    assert not ProgressEvent.objects.exists()


def test_a_bare_unfit_number_is_400(client):
    response = post_text(client, "1e999")
    assert response.status_code == 400
    assert "does not fit" in response.json()["detail"]


def test_numbers_that_fit_are_accepted(client, module_tree):
    result = {"big": 2**63 - 1, "small": -(2**63), "float": 1.5e308, "tiny": 5e-324}
    response = post_text(client, json.dumps(event(module_tree, result=result)))
    assert response.status_code == 201, response.content
    stored = ProgressEvent.objects.get().result
    # PostgreSQL's jsonb writes 1.5e308 out in full, which reads back as the same whole number.
    assert stored == {**result, "float": stored["float"]} and float(stored["float"]) == 1.5e308


def test_a_lesson_id_beyond_the_pages_range_is_400(client, module_tree):
    response = post_text(client, json.dumps(event(module_tree, lesson=2**40)))
    assert response.status_code == 400
    assert "lesson" in response.json()


# --- Generated: an unfit number anywhere in an otherwise good event or batch ------------------

json_leaf = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=8)
json_values = st.recursive(
    json_leaf,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def with_number_somewhere(draw, value):
    """`value` with one leaf or new member replaced by the placeholder; returns the path."""
    if isinstance(value, dict) and value and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(value)))
        inner, path = draw(with_number_somewhere(value[key]))
        return {**value, key: inner}, (key, *path)
    if isinstance(value, list) and value and draw(st.booleans()):
        index = draw(st.integers(0, len(value) - 1))
        inner, path = draw(with_number_somewhere(value[index]))
        return [*value[:index], inner, *value[index + 1 :]], (index, *path)
    return "__number__", ()


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_generated_bodies_with_an_unfit_number_are_400_naming_the_field(client, module_tree, data):
    cache.clear()  # input handling, not rate limits
    result = data.draw(st.dictionaries(st.text(min_size=1, max_size=5), json_values, max_size=3))
    events = [event(module_tree, result=result) for _ in range(data.draw(st.integers(1, 3)))]
    batch = data.draw(st.booleans())
    body, path = data.draw(with_number_somewhere(events if batch else events[0]))
    number = data.draw(st.sampled_from(UNFIT))
    response = post_text(client, json.dumps(body).replace(PLACEHOLDER, number))
    assert response.status_code == 400, response.content
    errors = response.json()
    if not path:
        assert "detail" in errors
    elif batch and len(path) > 1:
        assert list(errors) == [str(path[0])] and list(errors[str(path[0])]) == [str(path[1])]
    elif not batch:
        assert list(errors) == [str(path[0])]
    assert not ProgressEvent.objects.exists()
