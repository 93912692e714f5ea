"""The Statement Resource's filters and paging: each parameter as the xAPI specification
defines it, filters combined with AND, and `more` walking every statement exactly once."""

import json
import uuid
from datetime import timedelta

import pytest

from courses import services
from courses.models import ActorFormat, LrsConnection, ProgressEvent, Verb
from courses.xapi import iris
from courses.xapi.statements import timestamp
from tests.factories import LessonPageFactory, ModulePageFactory, api_key, force
from tests.xapi.read_api import (
    ADL,
    URL,
    bearer,
    build_ledger,
    experience,
    ids,
    read,
    read_all,
    spread_recorded_at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(module_tree):
    return build_ledger(module_tree)


def event_ids(events) -> list[str]:
    return [str(event.pk) for event in events]


def account(user) -> str:
    return json.dumps(
        {"account": {"homePage": iris.base_url(), "name": str(user.learner_profile.xapi_id)}}
    )


# --- verb -------------------------------------------------------------------------------------


def test_verb_passed_is_only_the_module_statement_of_a_module_with_checks(client, ledger):
    found = read(client, ledger.met_key, verb=ADL + "passed")["statements"]
    assert ids(found) == [str(ledger.finishing.module_statement_id)]


def test_verb_completed_is_lesson_completions_and_modules_without_checks(
    client, ledger, module_tree
):
    plain = ModulePageFactory(parent=module_tree.programme, title="No checks")
    lesson = LessonPageFactory(parent=plain)
    done = services.progress_record(
        learner=ledger.alex, event_id=uuid.uuid4(), lesson=lesson, verb=Verb.COMPLETED
    ).event
    assert done.module_statement_id and done.module_score is None
    found = read(client, ledger.met_key, verb=ADL + "completed", limit=0)["statements"]
    completions = ProgressEvent.objects.filter(verb=Verb.COMPLETED, force=force("met"))
    expected = set(event_ids(completions)) | {str(done.module_statement_id)}
    assert set(ids(found)) == expected
    assert {statement["verb"]["id"] for statement in found} == {ADL + "completed"}


@pytest.mark.parametrize("verb", ["experienced", "answered"])
def test_verb_experienced_and_answered_are_those_events(client, ledger, verb):
    found = read(client, ledger.met_key, verb=ADL + verb)["statements"]
    expected = ProgressEvent.objects.filter(verb=verb, force=force("met"))
    assert sorted(ids(found)) == sorted(event_ids(expected))
    assert found


@pytest.mark.parametrize("verb", [ADL + "failed", "http://example.org/verbs/did", "urn:x:y"])
def test_a_verb_no_statement_uses_matches_nothing(client, ledger, verb):
    assert read(client, ledger.met_key, verb=verb)["statements"] == []


# --- activity ---------------------------------------------------------------------------------


def test_activity_lesson_is_the_lessons_own_statements_and_related_adds_its_answers(client, ledger):
    lesson = ledger.tree.lessons[-1]
    iri = iris.activity_iri("lesson", lesson.translation_key)
    own = read(client, ledger.met_key, activity=iri)["statements"]
    assert [s["verb"]["id"] for s in own] == [ADL + "completed"]
    related = read(client, ledger.met_key, activity=iri, related_activities="true")
    verbs = [s["verb"]["id"] for s in related["statements"]]
    assert verbs == [ADL + "answered", ADL + "completed"]  # newest first


def test_activity_check_is_its_answers(client, ledger):
    lesson = ledger.tree.lessons[-1]
    iri = iris.check_iri(lesson.translation_key, ledger.tree.check_block_id)
    found = read(client, ledger.met_key, activity=iri)["statements"]
    assert ids(found) == [str(ledger.finishing.pk)]
    assert found[0]["object"]["id"] == iri
    other = iris.check_iri(lesson.translation_key, "no-such-block")
    assert read(client, ledger.met_key, activity=other)["statements"] == []


def test_activity_module_is_its_statement_and_related_widens_to_context(client, ledger):
    iri = iris.activity_iri("module", ledger.tree.module.translation_key)
    own = read(client, ledger.met_key, activity=iri)["statements"]
    assert ids(own) == [str(ledger.finishing.module_statement_id)]
    related = read_all(client, ledger.met_key, activity=iri, related_activities="true")
    assert len(related) == len(read_all(client, ledger.met_key))  # all in the one module


def test_activity_programme_is_context_only(client, ledger):
    iri = iris.activity_iri("programme", ledger.tree.programme.translation_key)
    assert read(client, ledger.met_key, activity=iri)["statements"] == []
    related = read_all(client, ledger.met_key, activity=iri, related_activities="true")
    assert ids(related) == ids(read_all(client, ledger.met_key))


@pytest.mark.parametrize(
    "iri",
    [
        "http://example.org/xapi/activities/lesson/00000000-0000-0000-0000-000000000000",
        "{base}/xapi/activities/lesson/not-a-uuid",
        "{base}/xapi/activities/lesson/{key_upper}",
        "{base}/xapi/activities/page/{key}",
        "{base}/xapi/activities/lesson/{key}/extra",
    ],
)
def test_a_foreign_or_malformed_activity_iri_matches_nothing(client, ledger, iri):
    key = ledger.tree.lessons[0].translation_key
    iri = iri.format(base=iris.base_url(), key=key, key_upper=str(key).upper())
    response = client.get(URL, {"activity": iri}, **bearer(ledger.met_key))
    assert response.status_code == 200
    assert response.json() == {"statements": [], "more": ""}


# --- agent, registration ----------------------------------------------------------------------


def test_agent_account_is_that_learner(client, ledger):
    found = read_all(client, ledger.met_key, agent=account(ledger.alex))
    assert ids(found) == event_ids(ledger.events(ledger.alex))
    # Kim is in gmp: a met key finds nothing for them.
    assert read(client, ledger.met_key, agent=account(ledger.kim))["statements"] == []


def test_agent_mbox_matches_only_where_the_force_names_learners_by_email(client, ledger):
    mbox = json.dumps({"mbox": f"mailto:{ledger.alex.email}"})
    assert read(client, ledger.met_key, agent=mbox)["statements"] == []
    LrsConnection.objects.create(
        force=force("met"),
        endpoint="https://lrs.example/xAPI/",
        username="k",
        actor_format=ActorFormat.MBOX,
    )
    found = read(client, ledger.met_key, agent=mbox)["statements"]
    assert ids(found) == event_ids(ledger.events(ledger.alex))
    assert found[0]["actor"]["mbox"] == f"mailto:{ledger.alex.email}"
    # The account form now names no statement of met.
    assert read(client, ledger.met_key, agent=account(ledger.alex))["statements"] == []


def test_a_key_over_two_forces_names_each_forces_learners_its_own_way(client, ledger):
    LrsConnection.objects.create(
        force=force("gmp"),
        endpoint="https://lrs.example/xAPI/",
        username="k",
        actor_format=ActorFormat.MBOX,
    )
    both = api_key("met", "gmp").key
    actors = {s["id"]: s["actor"] for s in read_all(client, both)}
    [kims] = ledger.events(ledger.kim)
    assert actors.pop(str(kims.pk)) == {"objectType": "Agent", "mbox": f"mailto:{ledger.kim.email}"}
    assert all("account" in actor for actor in actors.values())


@pytest.mark.parametrize(
    "agent",
    [
        {"mbox_sha1sum": "0" * 40},
        {"openid": "https://example.org/me"},
        {"account": {"homePage": "https://elsewhere.example", "name": "x"}},
        {"objectType": "Group", "mbox": "mailto:team@example.org"},
    ],
)
def test_agents_no_statement_names_match_nothing(client, ledger, agent):
    assert read(client, ledger.met_key, agent=json.dumps(agent))["statements"] == []


def test_related_agents_with_the_platform_authority_matches_every_statement(client, ledger):
    authority = json.dumps({"account": {"homePage": iris.base_url(), "name": "platform"}})
    assert read(client, ledger.met_key, agent=authority)["statements"] == []
    related = read_all(client, ledger.met_key, agent=authority, related_agents="true")
    assert ids(related) == ids(read_all(client, ledger.met_key))


def test_registration_matches_nothing(client, ledger):
    found = read(client, ledger.met_key, registration=str(uuid.uuid4()))
    assert found == {"statements": [], "more": ""}


def test_filters_combine_with_and(client, ledger):
    completed = read_all(client, ledger.met_key, verb=ADL + "completed")
    alex = read_all(client, ledger.met_key, agent=account(ledger.alex))
    both = read(client, ledger.met_key, verb=ADL + "completed", agent=account(ledger.alex))
    assert completed and alex
    assert both["statements"] == []  # alex only experienced a lesson
    sams = read(client, ledger.met_key, verb=ADL + "completed", agent=account(ledger.sam))
    assert ids(sams["statements"]) == ids(completed)


# --- since, until, ascending ------------------------------------------------------------------


def test_since_is_exclusive_and_until_inclusive_on_stored_as_shown(client, ledger):
    statements = read_all(client, ledger.met_key, ascending="true")
    stored = [s["stored"] for s in statements]
    pivot = stored[2]
    after = read_all(client, ledger.met_key, ascending="true", since=pivot)
    assert [s["stored"] for s in after] == [value for value in stored if value > pivot]
    before = read_all(client, ledger.met_key, ascending="true", until=pivot)
    assert [s["stored"] for s in before] == [value for value in stored if value <= pivot]
    assert len(after) + len(before) == len(statements)


def test_since_and_until_take_any_offset(client, ledger):
    first = ProgressEvent.objects.order_by("recorded_at").first().recorded_at
    in_paris = (first + timedelta(hours=1)).isoformat().replace("+00:00", "+01:00")
    assert read(client, ledger.met_key, until=in_paris)["statements"]  # the same instant
    earlier = (first - timedelta(seconds=1)).isoformat()
    assert read(client, ledger.met_key, until=earlier)["statements"] == []


def test_newest_stored_first_unless_ascending(client, ledger):
    newest = read_all(client, ledger.met_key)
    oldest = read_all(client, ledger.met_key, ascending="true")
    stored = [s["stored"] for s in newest]
    assert stored == sorted(stored, reverse=True)
    assert [s["stored"] for s in oldest] == sorted(stored)
    # An event's module statement follows the event's own statement either way.
    finishing = ledger.finishing
    for found in (newest, oldest):
        at = ids(found).index(str(finishing.pk))
        assert ids(found)[at + 1] == str(finishing.module_statement_id)


# --- limit, format, attachments ---------------------------------------------------------------


def test_limit_zero_is_the_server_maximum_and_the_default_is_a_hundred(client, ledger):
    for index in range(120):
        experience(ledger.alex, ledger.tree.lessons[index % 3])
    spread_recorded_at()
    assert len(read(client, ledger.met_key)["statements"]) == 100
    assert len(read(client, ledger.met_key, limit=0)["statements"]) == 126
    assert read(client, ledger.met_key, limit=0)["more"] == ""


def test_format_ids_leaves_out_names_and_definitions(client, ledger):
    [statement] = read(client, ledger.met_key, format="ids", limit=1)["statements"]
    assert set(statement["verb"]) == {"id"}
    assert "definition" not in statement["object"]
    exact = read(client, ledger.met_key, format="exact", limit=1)["statements"][0]
    canonical = read(client, ledger.met_key, format="canonical", limit=1)["statements"][0]
    assert exact == canonical  # one language only: the canonical form is the exact one
    assert exact["object"]["definition"]["name"]


def test_attachments_true_answers_multipart_with_the_json_part_only(client, ledger):
    response = client.get(URL, {"attachments": "true", "limit": 2}, **bearer(ledger.met_key))
    assert response.status_code == 200
    content_type = response["Content-Type"]
    assert content_type.startswith("multipart/mixed; boundary=")
    boundary = content_type.split("boundary=")[1]
    parts = response.content.decode().split(f"--{boundary}")
    assert parts[0] == "" and parts[-1] == "--\r\n"
    [part] = parts[1:-1]
    head, body = part.split("\r\n\r\n", 1)
    assert head.strip() == "Content-Type: application/json"
    assert ids(json.loads(body)["statements"]) == ids(
        read(client, ledger.met_key, limit=2)["statements"]
    )


# --- Paging -----------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [1, 2, 3, 5])
@pytest.mark.parametrize("ascending", ["false", "true"])
def test_more_visits_every_statement_once_in_order_across_module_statements(
    client, ledger, limit, ascending
):
    whole = read(client, ledger.met_key, limit=0, ascending=ascending)["statements"]
    paged, pages = [], 0
    body = read(client, ledger.met_key, limit=limit, ascending=ascending)
    while True:
        pages += 1
        assert len(body["statements"]) <= limit
        paged += body["statements"]
        if not body["more"]:
            break
        assert body["more"].startswith(URL + "?")
        body = client.get(body["more"], **bearer(ledger.met_key)).json()
    assert ids(paged) == ids(whole)
    assert pages == max(1, -(-len(whole) // limit))


def test_a_page_can_end_between_an_event_and_its_module_statement(client, ledger):
    finishing = ledger.finishing
    whole = ids(read(client, ledger.met_key, limit=0)["statements"])
    at = whole.index(str(finishing.pk))
    first = read(client, ledger.met_key, limit=at + 1)
    assert ids(first["statements"])[-1] == str(finishing.pk)
    second = client.get(first["more"], **bearer(ledger.met_key)).json()
    assert ids(second["statements"])[0] == str(finishing.module_statement_id)


def test_new_events_do_not_shift_a_walk_in_progress(client, ledger):
    first = read(client, ledger.met_key, limit=2)
    experience(ledger.alex, ledger.tree.lessons[2])  # stored now: newest, before the walk
    rest = read_all(client, ledger.met_key, limit=0)
    walked = list(first["statements"])
    body = first
    while body["more"]:
        body = client.get(body["more"], **bearer(ledger.met_key)).json()
        walked += body["statements"]
    assert ids(walked) == ids(rest)[1:]


@pytest.mark.parametrize("change", ["tamper", "other key", "other query", "garbage"])
def test_a_cursor_altered_or_used_elsewhere_is_a_400(client, ledger, change):
    more = read(client, ledger.met_key, limit=1)["more"]
    key = ledger.met_key
    if change == "tamper":
        more = more[:-3] + ("AAA" if not more.endswith("AAA") else "BBB")
    elif change == "other key":
        key = api_key("met").key
    elif change == "other query":
        more += "&ascending=true"
    else:
        more = URL + "?limit=1&cursor=not-a-cursor"
    response = client.get(more, **bearer(key))
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_consistent_through_is_recent_and_covers_what_was_stored(client, ledger):
    response = client.get(URL, **bearer(ledger.met_key))
    header = response["X-Experience-API-Consistent-Through"]
    newest = ProgressEvent.objects.order_by("-recorded_at").first().recorded_at
    assert timestamp(newest) < header < timestamp(newest + timedelta(hours=2))
    assert header.endswith("Z")
    assert response["Last-Modified"]
