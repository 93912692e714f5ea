"""Helpers for the Statement Resource's tests: requests as an LRS client sends them, and a
small ledger in two forces built through the progress service."""

import base64
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from courses import services
from courses.models import ProgressEvent, Verb
from tests.conftest import ModuleTree, complete_module
from tests.factories import api_key, learner

URL = "/xapi/statements"
VERSION = "X-Experience-API-Version"
ADL = "http://adlnet.gov/expapi/verbs/"


def bearer(key: str, version: str | None = "1.0.3") -> dict:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    if version is not None:
        headers["HTTP_X_EXPERIENCE_API_VERSION"] = version
    return headers


def basic(username: str, password: str, version: str | None = "1.0.3") -> dict:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    headers = {"HTTP_AUTHORIZATION": f"Basic {token}"}
    if version is not None:
        headers["HTTP_X_EXPERIENCE_API_VERSION"] = version
    return headers


def read(client, key: str, **params):
    """GET /xapi/statements with a Bearer key and version 1.0.3; the JSON body."""
    response = client.get(URL, params, **bearer(key))
    assert response.status_code == 200, response.content
    return response.json()


def read_all(client, key: str, **params) -> list[dict]:
    """Every statement, following `more` until it is empty."""
    body = read(client, key, **params)
    found = list(body["statements"])
    while body["more"]:
        response = client.get(body["more"], **bearer(key))
        assert response.status_code == 200, response.content
        body = response.json()
        found += body["statements"]
    return found


def ids(statements: list[dict]) -> list[str]:
    return [statement["id"] for statement in statements]


@dataclass
class Ledger:
    """Met: `sam` completed the module (3 lessons, then the answer that finished it) and
    `alex` experienced a lesson; gmp: `kim` experienced a lesson. Keys for met and gmp.
    recorded_at is one second apart, in the order the events were recorded."""

    tree: ModuleTree
    sam: object
    alex: object
    kim: object
    met_key: str
    gmp_key: str

    def events(self, user) -> list[ProgressEvent]:
        return list(ProgressEvent.objects.filter(learner=user).order_by("recorded_at"))

    @property
    def finishing(self) -> ProgressEvent:
        return ProgressEvent.objects.get(learner=self.sam, module_statement_id__isnull=False)


def experience(user, lesson) -> ProgressEvent:
    result = services.progress_record(
        learner=user, event_id=uuid.uuid4(), lesson=lesson, verb=Verb.EXPERIENCED
    )
    return result.event


def build_ledger(tree: ModuleTree) -> Ledger:
    sam, alex, kim = learner("met"), learner("met"), learner("gmp")
    complete_module(sam, tree)
    experience(alex, tree.lessons[0])
    experience(kim, tree.lessons[1])
    spread_recorded_at()
    return Ledger(tree, sam, alex, kim, api_key("met").key, api_key("gmp").key)


def spread_recorded_at(start=None) -> None:
    """Give the events recorded_at one second apart, in their order, so that tests can name
    times exactly (the ledger stamps them with the clock, microseconds apart)."""
    start = start or timezone.now().replace(microsecond=0) - timedelta(hours=1)
    for index, pk in enumerate(
        ProgressEvent.objects.order_by("recorded_at", "id").values_list("pk", flat=True)
    ):
        ProgressEvent.objects.filter(pk=pk).update(
            recorded_at=start + timedelta(seconds=index, milliseconds=250)
        )
