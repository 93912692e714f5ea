"""The evidence page's panels, one module each. Every module has

    panel(*, force, now, request) -> dict | None

returning at least {"template": "<its template>"} and the context that template needs (or None
to show nothing). A panel reads through courses.selectors only and names no learner."""
