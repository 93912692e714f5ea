"""The scenarios: for each, the requests the load generator's clients send in turn.

Signed-in requests carry a learner's session cookie and a CSRF secret as both cookie and
header, as the progress script sends them; managers' requests carry an API key each.
"""

import json

from bench.prepare import LARGEST_FORCE

BATCH = 10  # events per POST in the batch scenario
BARE = "bare view"
FLOOR = "signed-in POST + 1 INSERT"
PROGRESS = "progress POST"
# The same requests while the learners' forces deliver to an LRS (bench/delivery.py).
DELIVERY = f"{PROGRESS}, LRS delivery on"
PLAIN_PAGE = "plain Wagtail page"
LESSON = "lesson page"
SUMMARY = f"summary ({LARGEST_FORCE})"
COMPLETIONS = f"completions page ({LARGEST_FORCE})"


def cookies(session: dict, extra: dict | None = None) -> dict:
    return {"Cookie": session["cookie"], **(extra or {})}


def progress_post(session: dict, body) -> dict:
    headers = {"X-CSRFToken": session["csrf"], "Content-Type": "application/json"}
    return {
        "method": "POST",
        "path": "/api/v1/progress/",
        "headers": cookies(session, headers),
        "body": json.dumps(body),
    }


def scenarios(data: dict) -> dict[str, list[dict]]:
    """Every scenario, in the order they run."""
    lessons, sessions, keys = data["lessons"], data["sessions"], data["keys"]
    bearer = [{"Authorization": f"Bearer {key}"} for key in keys]
    verbs = ("experienced", "completed")

    def event(i: int, verb: str) -> dict:
        return {"id": "{uuid}", "lesson": lessons[i % len(lessons)][0], "verb": verb}

    return {
        BARE: [{"method": "GET", "path": "/bench/bare/"}],
        "bare view + 1 INSERT": [{"method": "GET", "path": "/bench/bare-write/"}],
        # The floor for a progress POST: the session and user read, the CSRF check, one INSERT.
        FLOOR: [
            {
                "method": "POST",
                "path": "/bench/signed-in-write/",
                "headers": cookies(session, {"X-CSRFToken": session["csrf"]}),
                "body": "",
            }
            for session in sessions
        ],
        PROGRESS: [
            progress_post(session, event(i, verbs[(i // len(lessons)) % 2]))
            for i, session in enumerate(sessions)
        ],
        # Right after the plain progress POST, so that the two are measured close together:
        # the same requests, each new event also queued in its force's xAPI outbox.
        DELIVERY: [
            progress_post(session, event(i, verbs[(i // len(lessons)) % 2]))
            for i, session in enumerate(sessions)
        ],
        # The progress script's offline catch-up: one POST carries BATCH events.
        f"{PROGRESS}, batches of {BATCH}": [
            progress_post(session, [event(i + n, "experienced") for n in range(BATCH)])
            for i, session in enumerate(sessions)
        ],
        # A stock Wagtail page (bench.models.PlainPage) for the same signed-in learners: what
        # the lesson page is compared with.
        PLAIN_PAGE: [
            {"method": "GET", "path": data["plain_page"], "headers": cookies(s)} for s in sessions
        ],
        LESSON: [
            {"method": "GET", "path": lessons[i % len(lessons)][1], "headers": cookies(s)}
            for i, s in enumerate(sessions)
        ],
        "dashboard": [
            {"method": "GET", "path": "/my-learning/", "headers": cookies(s)} for s in sessions
        ],
        SUMMARY: [
            {"method": "GET", "path": f"/api/v1/forces/{LARGEST_FORCE}/summary/", "headers": h}
            for h in bearer
        ],
        COMPLETIONS: [
            {"method": "GET", "path": f"/api/v1/forces/{LARGEST_FORCE}/completions/", "headers": h}
            for h in bearer
        ],
    }


def events_per_request(name: str) -> int:
    return BATCH if name.startswith(f"{PROGRESS}, batches") else 1
