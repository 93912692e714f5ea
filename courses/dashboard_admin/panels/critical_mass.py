"""The evidence page's critical mass panel."""


def panel(*, force, now, request) -> dict | None:
    return {"template": "courses/admin/dashboard/panels/critical_mass.html"}
