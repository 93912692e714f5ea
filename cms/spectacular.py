"""drf-spectacular hooks."""


def public_api_only(endpoints):
    """Document our own /api/ routes only, not the Wagtail admin's internal API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]
