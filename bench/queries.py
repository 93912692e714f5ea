"""Queries per request at the benchmark's scale: the largest force's against the smallest's.

Run in the bench's own process through Django's test client (the same settings, database and
cache as the app server), each request once to warm the caches and once counted. Equal counts
for forces whose data differ many times over show query counts flat in the data's size.
"""

from bench.prepare import LARGEST_FORCE


def per_request(client, path: str, **headers) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path, **headers)  # warm: the site, the page tree, the key's forces
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}")
    return len(queries)


def signed_in_client(force: str):
    from django.test import Client

    from courses.models import LearnerProfile

    profile = LearnerProfile.objects.filter(force__code=force).order_by("pk").first()
    client = Client(HTTP_HOST="localhost")
    client.force_login(profile.user)
    return client


def query_counts(data: dict) -> dict[str, dict[str, int]]:
    """{row: {force code: queries}} for the managers' reports and two learner pages."""
    from django.test import Client

    forces = (LARGEST_FORCE, data["small_force"])
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {data['keys'][-1]}"}
    manager = Client(HTTP_HOST="localhost")
    lesson_url = data["lessons"][0][1]
    counts: dict[str, dict[str, int]] = {}
    for force in forces:
        learner = signed_in_client(force)
        rows = {
            "summary": per_request(manager, f"/api/v1/forces/{force}/summary/", **bearer),
            "completions page": per_request(
                manager, f"/api/v1/forces/{force}/completions/", **bearer
            ),
            "dashboard": per_request(learner, "/my-learning/"),
            "lesson page": per_request(learner, lesson_url),
        }
        for row, count in rows.items():
            counts.setdefault(row, {})[force] = count
    return counts
