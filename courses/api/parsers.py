"""JSON that the rest of the stack can store and echo back safely."""

import re

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

UNSTORABLE = "Text in the request must not contain NUL characters or unpaired surrogates."
TOO_DEEP = "The JSON is nested too deeply."


# NUL: PostgreSQL refuses it in text and JSON. A lone surrogate is a valid JSON escape but
# cannot be encoded as UTF-8, so it would break the database and the error response alike.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _unstorable(text: str) -> bool:
    return _UNSTORABLE.search(text) is not None


def has_unstorable_text(value) -> bool:
    """True when any string (key or value) anywhere in parsed JSON is unstorable. Iterative,
    so a deeply nested document cannot exhaust the stack."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if _unstorable(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


class StrictJSONParser(JSONParser):
    """DRF's JSON parser, refusing (400) text that cannot be stored or echoed as UTF-8, and
    documents nested beyond what the decoder can handle."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if has_unstorable_text(data):
            raise ParseError(UNSTORABLE)
        return data
