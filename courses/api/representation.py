"""Values written exactly as DRF's fields would write them, without their per-value overhead.

For the hot paths that build their output by hand while their serializers still declare it for
the OpenAPI schema: completion rows and the CSV export, and the progress result.
"""

from django.utils import timezone


def drf_time(moment, zone=None) -> str | None:
    """A time as DRF's DateTimeField writes it: ISO 8601 in the current timezone, "Z" for UTC."""
    if moment is None:
        return None
    text = moment.astimezone(zone or timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
