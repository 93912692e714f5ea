"""courses.api.negotiation: DRF's content negotiation, short-cut for the common request. It must
choose what DRF chooses, or fail as DRF fails, for every request."""

import itertools

import pytest
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from courses.api.csv import CSVRenderer
from courses.api.negotiation import QuickContentNegotiation

ACCEPTS = [
    None,
    "*/*",
    "application/json",
    "text/csv",
    "text/html",
    "",
    "application/*",
    "application/json; indent=4",
    "text/html,application/json;q=0.9",
    "text/csv, */*;q=0.1",
    "image/png",
]
QUERIES = ["", "format=json", "format=csv", "format=api", "page=2"]
RENDERERS = [
    [JSONRenderer(), BrowsableAPIRenderer()],
    [JSONRenderer()],
    [JSONRenderer(), CSVRenderer()],
    [CSVRenderer(), JSONRenderer()],
]


def choose(negotiation, accept, query, renderers, suffix):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(APIRequestFactory().get(f"/api/v1/x/?{query}" if query else "/x/", **headers))
    try:
        renderer, media_type = negotiation.select_renderer(request, renderers, suffix)
    except Exception as error:  # noqa: BLE001 - compared with DRF's own failure
        return type(error).__name__, request
    return (type(renderer).__name__, media_type), request


@pytest.mark.parametrize(
    "accept, query, renderers, suffix",
    list(itertools.product(ACCEPTS, QUERIES, RENDERERS, [None, "json", "csv"])),
)
def test_it_chooses_what_drf_chooses(accept, query, renderers, suffix):
    ours, _ = choose(QuickContentNegotiation(), accept, query, renderers, suffix)
    drfs, _ = choose(DefaultContentNegotiation(), accept, query, renderers, suffix)
    assert ours == drfs


@pytest.mark.parametrize("accept", [None, "*/*", "application/json"])
def test_the_common_request_is_answered_without_parsing(accept):
    chosen, request = choose(QuickContentNegotiation(), accept, "", RENDERERS[0], None)
    assert chosen == ("JSONRenderer", "application/json")
    assert "GET" not in request._request.__dict__  # the query string was not parsed


def test_an_unacceptable_request_is_still_refused():
    request = Request(APIRequestFactory().get("/x/", HTTP_ACCEPT="image/png"))
    with pytest.raises(NotAcceptable):
        QuickContentNegotiation().select_renderer(request, [JSONRenderer()])
