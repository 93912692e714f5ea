"""Talking to a force's LRS over HTTP: addresses, answers as kept, and the connection test
(the admin's "Test connection" button). Sending itself is courses.xapi.delivery."""

import base64

import requests
from django.conf import settings

from courses.xapi.secrets import SecretUnavailable, connection_secret

ANSWER_MAX = 2000


def resource_url(connection, resource: str) -> str:
    """The address of one of the LRS's resources, such as `statements` or `about`."""
    return f"{connection.endpoint.rstrip('/')}/{resource}"


def hidden(connection, secret: str) -> tuple[str, ...]:
    """What must never be kept from an answer: the secret, alone or in a Basic header."""
    if not secret:
        return ()
    basic = base64.b64encode(f"{connection.username}:{secret}".encode()).decode("ascii")
    return (secret, basic)


def shorten(answer: str, *secrets: str) -> str:
    """An LRS's answer as kept on a row: without our secrets, at most ANSWER_MAX characters."""
    for secret in secrets:
        if secret:
            answer = answer.replace(secret, "[secret]")
    answer = answer.replace("\x00", "")
    return answer if len(answer) <= ANSWER_MAX else answer[: ANSWER_MAX - 1] + "…"


def connection_test(connection) -> tuple[bool, str]:
    """Ask the LRS who it is (GET {endpoint}/about) and whether it accepts our credentials
    (GET {endpoint}/statements?limit=1), with the connection's version header; nothing is
    written. Returns (ok, a message an administrator can act on); never raises."""
    try:
        secret = connection_secret(connection)
    except SecretUnavailable as error:
        return False, str(error)
    session = requests.Session()
    session.auth = (connection.username, secret)
    session.headers["X-Experience-API-Version"] = connection.xapi_version
    about = _get(session, resource_url(connection, "about"))
    if isinstance(about, str):
        return False, about
    versions_note = ""
    if about.status_code == 200:
        versions = _about_versions(about)
        if versions is None:
            return False, "The address answers, but not as an LRS: its /about is not xAPI."
        if not _version_supported(connection.xapi_version, versions):
            return False, (
                f"The LRS supports xAPI {', '.join(versions)}, not {connection.xapi_version}: "
                "choose a version it supports."
            )
        versions_note = f" It supports xAPI {', '.join(versions)}."
    elif about.status_code in (401, 403):
        return False, _refused(about.status_code)
    elif about.status_code != 404:  # some LRSs (Ralph) have no /about
        return False, _unexpected(about, "/about", hidden(connection, secret))
    probe = _get(session, resource_url(connection, "statements"), params={"limit": 1})
    if isinstance(probe, str):
        return False, probe
    if probe.status_code == 200:
        return True, "Connected: the LRS accepted the username and secret." + versions_note
    if probe.status_code == 401:
        return False, _refused(401)
    if probe.status_code == 403:
        return True, (
            "Connected: the LRS accepted the username and secret, but they may not read "
            "statements. Sending needs only permission to write them." + versions_note
        )
    if probe.status_code == 404:
        return False, (
            "There is no xAPI endpoint at this address (404): check the endpoint, which "
            "usually ends in /xAPI/."
        )
    return False, _unexpected(probe, "/statements", hidden(connection, secret))


def _get(session: requests.Session, url: str, **kwargs) -> requests.Response | str:
    """The response, or why there was none."""
    try:
        return session.get(
            url, timeout=settings.XAPI_TIMEOUT_SECONDS, allow_redirects=False, **kwargs
        )
    except requests.Timeout:
        return f"No answer from the LRS within {settings.XAPI_TIMEOUT_SECONDS} seconds."
    except requests.RequestException as error:
        return f"Could not reach the LRS: {error}"


def _about_versions(response: requests.Response) -> list[str] | None:
    try:
        versions = response.json()["version"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(versions, list) or not all(isinstance(v, str) for v in versions):
        return None
    return versions


def _version_supported(version: str, versions: list[str]) -> bool:
    """2.0.0 must be listed; for 1.0.3 any 1.0.x will do (the patch levels are compatible)."""
    if version.startswith("1.0."):
        return any(v.startswith("1.0.") for v in versions)
    return version in versions


def _refused(status: int) -> str:
    return f"The LRS refused the username or secret ({status}): check them and save again."


def _unexpected(response: requests.Response, resource: str, secrets: tuple[str, ...]) -> str:
    answer = shorten(response.text, *secrets)[:300]
    return f"The LRS answered {response.status_code} to {resource}: {answer}"
