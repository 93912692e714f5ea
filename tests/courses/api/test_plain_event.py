"""courses.api.learner_serializers.plain_event: the progress event's validation without DRF, for
bodies DRF would take as they are. Whatever it accepts, DRF must accept with the same data;
whatever else, it leaves to DRF (which words the errors)."""

import uuid

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from courses.api.learner_serializers import ProgressEventInputSerializer, plain_event
from courses.models import Verb

MISSING = object()

ids = st.one_of(
    st.uuids().map(str),
    st.uuids().map(lambda u: u.hex),
    st.uuids().map(lambda u: str(u).upper()),
    st.uuids().map(lambda u: f"urn:uuid:{u}"),
    st.uuids().map(lambda u: f"{{{u}}}"),
    st.uuids().map(lambda u: str(u)[:-1]),
    st.integers(min_value=-5, max_value=2**130),
    st.text(max_size=40),
    st.none(),
    st.just(MISSING),
)
lessons = st.one_of(
    st.integers(min_value=-3, max_value=10**20),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-3, max_value=99).map(str),
    st.none(),
    st.just([1]),
    st.just(MISSING),
)
verbs = st.one_of(
    st.sampled_from(Verb.values),
    st.sampled_from(Verb.values).map(str.upper),
    st.text(max_size=12),
    st.integers(),
    st.just(["completed"]),
    st.just({"verb": "completed"}),
    st.none(),
    st.just(MISSING),
)
results = st.one_of(
    st.just(MISSING),
    st.none(),
    st.dictionaries(st.text(max_size=8), st.integers() | st.text(max_size=8), max_size=3),
    st.lists(st.integers(), max_size=3),
    st.text(max_size=8),
    st.integers(),
)
times = st.one_of(
    st.just(MISSING), st.just(MISSING), st.none(), st.just("2026-03-01T09:30:00Z"), st.text()
)


@st.composite
def bodies(draw):
    fields = {
        "id": draw(ids),
        "lesson": draw(lessons),
        "verb": draw(verbs),
        "result": draw(results),
        "occurred_at": draw(times),
    }
    body = {name: value for name, value in fields.items() if value is not MISSING}
    if draw(st.booleans()):
        body["extra"] = draw(st.integers())
    return draw(st.sampled_from([body, body, body, [body], "text", 42, None]))


def drf(body):
    serializer = ProgressEventInputSerializer(data=body)
    return dict(serializer.validated_data) if serializer.is_valid() else None


@hypothesis_settings(max_examples=1500, deadline=None)
@given(body=bodies())
def test_what_it_accepts_drf_accepts_with_the_same_data(body):
    plain = plain_event(body)
    if plain is not None:
        expected = drf(body)
        assert expected is not None
        assert plain == expected
        assert [type(value) for value in plain.values()] == [
            type(value) for value in expected.values()
        ]


def test_the_browsers_events_take_the_plain_path():
    event_id = uuid.uuid4()
    for verb in Verb.values:
        body = {"id": str(event_id), "lesson": 42, "verb": verb}
        assert plain_event(body) == drf(body) == {"id": event_id, "lesson": 42, "verb": verb}
    answered = {"id": str(event_id), "lesson": 7, "verb": "answered", "result": {"answers": [1]}}
    assert plain_event(answered) == drf(answered)
    assert plain_event({**answered, "result": None}) == drf({**answered, "result": None})


def test_anything_else_is_left_to_drf():
    good = {"id": str(uuid.uuid4()), "lesson": 42, "verb": "completed"}
    for body in [
        {**good, "occurred_at": "2026-03-01T09:30:00Z"},  # DRF parses times
        {**good, "lesson": "42"},  # DRF converts; the browser sends a number
        {**good, "lesson": True},
        {**good, "lesson": 0},
        {**good, "id": uuid.uuid4().int},
        {**good, "id": "not-a-uuid"},
        {**good, "verb": "jumped"},
        {**good, "verb": ["completed"]},
        {**good, "result": [1]},
        {key: value for key, value in good.items() if key != "verb"},
        [good],
    ]:
        assert plain_event(body) is None, body
