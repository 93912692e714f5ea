"""Reading query parameters and body fields the managers' endpoints share."""

import datetime
import re

from django.utils.translation import gettext
from rest_framework.exceptions import ValidationError

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value, *, field: str) -> datetime.date:
    """A YYYY-MM-DD date, or a 400 naming `field`."""
    try:
        if isinstance(value, str) and ISO_DATE.match(value):
            return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    raise ValidationError({field: [gettext("Give the date as YYYY-MM-DD, e.g. 2026-11-30.")]})
