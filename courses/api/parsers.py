"""JSON that the rest of the stack can store and echo back safely."""

import math
import re

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser

UNSTORABLE = _("Text in the request must not contain NUL characters or unpaired surrogates.")
TOO_DEEP = _("The JSON is nested too deeply.")


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


# Numbers the database and the JSON renderer can hold: finite floats, and integers that fit in
# 64 bits (PostgreSQL's bigint; SQLite's INTEGER). NaN, Infinity and overflowing literals such
# as 1e999 (which Python reads as infinity) are refused, naming where they are.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1


def unfit_number() -> str:
    return gettext(
        "This number does not fit: send a finite number, and whole numbers between "
        "%(min)d and %(max)d."
    ) % {"min": INT_MIN, "max": INT_MAX}


def unfit_number_path(value) -> tuple | None:
    """The path (keys and list positions) to the first number in parsed JSON that does not
    fit, or None. Iterative, so a deeply nested document cannot exhaust the stack."""
    pending = [((), value)]
    while pending:
        path, item = pending.pop()
        if isinstance(item, float) and not math.isfinite(item):
            return path
        if isinstance(item, int) and not isinstance(item, bool) and not INT_MIN <= item <= INT_MAX:
            return path
        if isinstance(item, dict):
            pending.extend(((*path, key), child) for key, child in reversed(item.items()))
        elif isinstance(item, list):
            pending.extend(((*path, i), child) for i, child in reversed(list(enumerate(item))))
    return None


def unfit_number_error(path: tuple) -> ValidationError:
    """A 400 naming the field, shaped as DRF's own errors: {"result": [...]} for an object,
    {"1": {"result": [...]}} for the second object of a list."""
    if not path:
        return ValidationError({"detail": unfit_number()})
    where = ".".join(str(part) for part in path)
    detail = [f"{unfit_number()} ({where})"]
    field_end = 2 if isinstance(path[0], int) and len(path) > 1 else 1
    for part in reversed(path[:field_end]):
        detail = {str(part): detail}
    return ValidationError(detail)


class StrictJSONParser(JSONParser):
    """DRF's JSON parser, refusing (400) text that cannot be stored or echoed as UTF-8,
    numbers that do not fit (naming the field), and documents nested beyond what the decoder
    can handle."""

    # NaN and Infinity are read as floats, then refused below naming where they are.
    strict = False

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        path = unfit_number_path(data)
        if path is not None:
            raise unfit_number_error(path)
        if has_unstorable_text(data):
            raise ParseError(UNSTORABLE)
        return data
