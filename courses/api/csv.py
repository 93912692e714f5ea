"""CSV for HR systems: streamed row by row from a database cursor, in constant memory."""

import csv
from collections.abc import Callable, Iterable, Iterator

from django.http import StreamingHttpResponse
from rest_framework.renderers import BaseRenderer

# Spreadsheets run cells that start with these as formulas; a learner's name must never do that.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class CSVRenderer(BaseRenderer):
    """Lets content negotiation accept `?format=csv`. The rows themselves are streamed by
    csv_streaming_response(); this renders only the small bodies (errors) that reach it."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, dict):
            data = [data]
        return "".join(csv_lines(list(data[0]) if data else [], data)).encode()


class _Echo:
    """A file-like object whose write() returns the line, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def safe_cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_lines(header: list[str], rows: Iterable[dict]) -> Iterator[str]:
    """Yield the header line, then one line per row (values in header order, formula-safe)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([safe_cell(row.get(column)) for column in header])


def csv_streaming_response(
    *,
    header: list[str],
    rows: Iterable[dict],
    filename: str,
    on_complete: Callable[[int], None] | None = None,
) -> StreamingHttpResponse:
    """Stream `rows` as CSV. `rows` should come from queryset.iterator() so that memory stays
    constant; `on_complete(count)` runs after the last row has been sent."""

    sent = 0

    def counted() -> Iterator[dict]:
        nonlocal sent
        for row in rows:
            sent += 1
            yield row

    def lines() -> Iterator[str]:
        yield from csv_lines(header, counted())
        if on_complete is not None:
            on_complete(sent)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
