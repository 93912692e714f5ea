"""The xAPI Statement Resource for training managers' keys, read-only: `GET /xapi/statements`
and `GET /xapi/about` (docs/xapi.md), as the xAPI specification (1.0.3 and 2.0.0) describes
them for an LRS. Statements are built from the ledger (courses.xapi.query); nothing is stored
or accepted here: statements are sent to each force's own LRS (courses.xapi.delivery).

Every answer, errors too, says the version served in `X-Experience-API-Version` and is never
cached (`Cache-Control: private, no-store`). Statement reads need a manager's key (HTTP Basic
or Bearer, courses.api.xapi_auth), are throttled per key like the managers' API, read only the
key's forces and are written to the API access log.
"""

import json
import re
import secrets
from datetime import datetime
from urllib.parse import urlencode

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from rest_framework.exceptions import MethodNotAllowed, NotFound
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from courses import services
from courses.api import xapi_params
from courses.api.exceptions import InvalidRequest
from courses.api.permissions import ApiKeyRateThrottle
from courses.api.xapi_auth import HasXapiKey, XapiKeyAuthentication
from courses.xapi import iris, query
from courses.xapi.statements import timestamp

VERSION_HEADER = "X-Experience-API-Version"
CONSISTENT_THROUGH_HEADER = "X-Experience-API-Consistent-Through"
# A request's version (1.0, 1.0.x, 2.0, 2.0.x) and the version served for it.
VERSIONS = ((re.compile(r"1\.0(\.\d{1,4})?"), "1.0.3"), (re.compile(r"2\.0(\.\d{1,4})?"), "2.0.0"))
# Served when a request names no version this LRS speaks (its error says which it does).
FALLBACK_VERSION = "1.0.3"
READ_ONLY = (
    "The Statement Resource here is read-only (GET and HEAD): statements are built from the "
    "training records and sent to each force's own LRS. Send statements to your force's LRS."
)


def served_version(header: str | None) -> str | None:
    """The version served for a request's X-Experience-API-Version, or None if unsupported."""
    for pattern, version in VERSIONS:
        if header is not None and pattern.fullmatch(header.strip()):
            return version
    return None


class JsonOnly(BaseContentNegotiation):
    """Always JSON. xAPI's `format` parameter names a statement format (ids, exact,
    canonical), not one of DRF's renderers, so DRF's own negotiation must not read it."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class XapiView(APIView):
    """Base of every /xapi/ view: JSON answers (errors too) with the version header, never
    cached; reads only (anything but GET and HEAD is a 405 before any other check)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []
    renderer_classes = [JSONRenderer]
    parser_classes: list = []  # no request body is ever read
    content_negotiation_class = JsonOnly
    http_method_names = ["get", "head"]
    schema = None  # not part of /api/schema: the xAPI specification documents it

    def initial(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            raise MethodNotAllowed(request.method, detail=READ_ONLY)
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        version = served_version(request.headers.get(VERSION_HEADER))
        response[VERSION_HEADER] = version or FALLBACK_VERSION
        response["Cache-Control"] = "private, no-store"
        return response


class AboutView(XapiView):
    """`GET /xapi/about`: the versions spoken. No key needed, as the specification says."""

    def get(self, request):
        return Response(
            {
                "version": list(iris.SUPPORTED_VERSIONS),
                "extensions": {
                    f"{iris.base_url()}/xapi/extensions/statement-resource": {
                        "methods": ["GET", "HEAD"],
                        "description": READ_ONLY,
                    }
                },
            }
        )


class StatementsView(XapiView):
    """`GET /xapi/statements`: one statement by statementId, or a StatementResult page with
    `more`. Checks, in order: method (405), key (401), rate (429), version header (400),
    parameters (400). Queries for a page: the key (and at most once a minute its last use),
    its forces, the events, the builder's (about six), the access log: the same whatever the
    page size."""

    authentication_classes = [XapiKeyAuthentication]
    permission_classes = [HasXapiKey]
    throttle_classes = [ApiKeyRateThrottle]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # method, key, rate
        self.version = served_version(request.headers.get(VERSION_HEADER))
        if self.version is None:
            raise InvalidRequest(
                f"Send the {VERSION_HEADER} header: 1.0.3 (or 1.0.x) or 2.0.0 (or 2.0.x)."
            )
        self.checked = xapi_params.parse(request.query_params, key_id=request.auth.pk)

    def get(self, request):
        now = timezone.now()
        scope = query.key_scope(request.auth)
        if self.checked.statement_id is not None:
            return self.one(scope, now)
        page = query.statement_page(
            scope=scope,
            query=self.checked.query,
            limit=self.checked.limit,
            version=self.version,
            format=self.checked.format,
            start=self.checked.start,
        )
        self.log_access(scope, row_count=len(page.statements))
        body = {"statements": page.statements, "more": self.more(page.next)}
        return self.answer(body, now=now, last_stored=page.last_stored)

    def one(self, scope: query.Scope, now):
        statement = None
        if not self.checked.voided:  # statements here are never voided
            statement = query.statement_by_id(
                scope=scope,
                statement_id=self.checked.statement_id,
                version=self.version,
                format=self.checked.format,
            )
        if statement is None:
            raise NotFound("No statement with this id can be read with this key.")
        self.log_access(scope, row_count=1)
        stored = datetime.fromisoformat(statement["stored"])
        return self.answer(statement, now=now, last_stored=stored)

    def more(self, position: query.Position | None) -> str:
        """The relative IRL of the next page ("" for none): the same parameters, and a
        cursor for this key and query."""
        if position is None:
            return ""
        params = self.request.query_params
        cursor = xapi_params.cursor_for(position, key_id=self.request.auth.pk, params=params)
        pairs = [
            (name, value) for name, values in params.lists() if name != "cursor" for value in values
        ]
        return f"{reverse('xapi-statements')}?{urlencode([*pairs, ('cursor', cursor)])}"

    def answer(self, body, *, now: datetime, last_stored: datetime | None):
        """JSON, or with attachments=true the multipart/mixed form the specification asks for
        (one JSON part: no statement here has attachments)."""
        if self.checked.attachments:
            boundary = secrets.token_hex(16)
            content = (
                f"--{boundary}\r\nContent-Type: application/json\r\n\r\n"
                f"{json.dumps(body, ensure_ascii=False, separators=(',', ':'))}\r\n"
                f"--{boundary}--\r\n"
            )
            response = HttpResponse(
                content.encode(), content_type=f"multipart/mixed; boundary={boundary}"
            )
        else:
            response = Response(body)
        response[CONSISTENT_THROUGH_HEADER] = timestamp(query.consistent_through(now))
        if last_stored is not None:  # the most recent `stored` returned
            response["Last-Modified"] = http_date(last_stored.timestamp())
        return response

    def log_access(self, scope: query.Scope, *, row_count: int) -> None:
        services.api_access_log_record(
            api_key=self.request.auth,
            force=scope.forces[0] if len(scope.forces) == 1 else None,
            endpoint=self.request.path,
            filters=dict(self.request.query_params.items()),
            row_count=row_count,
        )


class OtherResourceView(XapiView):
    """Any other address under /xapi/ (the State, Activity and Agent resources...): 404."""

    http_method_names = ["get", "head", "post", "put", "delete", "patch", "options"]

    def initial(self, request, *args, **kwargs):
        raise NotFound(
            "This LRS offers only the Statement Resource, read-only (/xapi/statements), and "
            "/xapi/about. Documents and profiles are kept by your force's own LRS."
        )
