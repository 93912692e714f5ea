"""The evidence page's surveys panel."""


def panel(*, force, now, request) -> dict | None:
    return {"template": "courses/admin/dashboard/panels/surveys.html"}
