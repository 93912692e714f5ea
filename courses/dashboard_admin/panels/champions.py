"""The evidence page's champions panel."""


def panel(*, force, now, request) -> dict | None:
    return {"template": "courses/admin/dashboard/panels/champions.html"}
