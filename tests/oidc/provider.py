"""A real OpenID Provider for the tests: node's oidc-provider (tests/oidc/op.mjs), one process
per force, each with one client whose redirect URI is the app's callback for that force.

`oidc_providers` gives two running providers, the Met's and GMP's (`.met`, `.gmp`, or
`["met"]`), on free loopback ports, started once per test module; after each test their mode
is back to "ok" and their next person is the default one. The callbacks they accept are at
`oidc_app_base_url` ("http://testserver", the Django test client's host); the browser tests
override that fixture with their app server's URL.

Each provider signs in whoever `set_user(claims)` names, without a login screen, and can spoil
its ID token on demand: `set_mode(mode)` with one of MODES; `hold_callback()` makes it show the
way back to the app as a link rather than redirecting there. `last()` shows the last
authorization request, token response (as sent) and sign-out it saw.

Without node or `make oidc-tools` the tests that need it are skipped, except in CI
(REQUIRE_BROWSER_TESTS=1, set by .ci/run), where they fail and name the make target.
"""

import os
import secrets
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.faults.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
OP_DIR = ROOT / "tests" / "oidc"
STAMP = OP_DIR / "node_modules" / ".installed"
MAKE_TARGET = "make oidc-tools"
START_SECONDS = 30
FORCES = ("met", "gmp")
MODES = (
    "ok",
    "wrong_aud",
    "wrong_iss",
    "expired",
    "future_iat",
    "bad_sig",
    "unknown_kid",
    "wrong_nonce",
    "no_id_token",
    "token_error",
    "deny",
)


def require_op() -> str:
    """The path of node; skip the test when node or the provider's packages are missing, or
    fail in CI, naming the target."""
    node = shutil.which("node")
    missing = None
    if node is None:
        missing = "node is not installed (apt-get install nodejs npm)"
    elif not STAMP.exists():
        missing = f"the test OpenID Provider is not installed ({STAMP.relative_to(ROOT)})"
    if missing is None:
        return node
    message = f"{missing}: run `{MAKE_TARGET}`"
    if os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
        pytest.fail(message)
    pytest.skip(message)


def callback_url(base_url: str, force_code: str) -> str:
    """The app's OpenID Connect callback for a force, as allauth builds it."""
    return f"{base_url.rstrip('/')}/accounts/oidc/force-{force_code}/login/callback/"


def default_user(force_code: str) -> dict:
    return {
        "sub": f"{force_code}-subject-1",
        "email": f"officer.one@{force_code}.demo.example",
        "email_verified": True,
        "name": "Jo Officer",
        "given_name": "Jo",
        "family_name": "Officer",
    }


class OpenIdProvider:
    """One running test OP for one force; `issuer`, `client_id`, `client_secret`."""

    def __init__(self, *, node: str, force_code: str, base_urls: list[str], log_dir: Path):
        self.node = node
        self.force_code = force_code
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.client_id = f"damatters-{force_code}"
        self.client_secret = secrets.token_urlsafe(24)
        self.redirect_uris = [callback_url(base, force_code) for base in base_urls]
        self.post_logout_redirect_uris = [
            f"{base.rstrip('/')}{path}" for base in base_urls for path in ("/", "/accounts/login/")
        ]
        self.log_path = log_dir / f"op-{force_code}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(self.log_path.parent),
            "PORT": str(self.port),
            "HOST": "127.0.0.1",
            "CLIENT_ID": self.client_id,
            "CLIENT_SECRET": self.client_secret,
            "REDIRECT_URIS": ",".join(self.redirect_uris),
            "POST_LOGOUT_REDIRECT_URIS": ",".join(self.post_logout_redirect_uris),
            "COOKIE_PREFIX": f"op_{self.force_code}",
        }
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [self.node, "op.mjs"], cwd=OP_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"The test OP exited with {self.process.returncode}:\n{self.log()}"
                )
            try:
                if requests.get(self.discovery_url, timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"The test OP did not answer in {START_SECONDS} s:\n{self.log()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def discovery(self) -> dict:
        response = requests.get(self.discovery_url, timeout=10)
        response.raise_for_status()
        return response.json()

    def set_user(self, claims: dict) -> None:
        """Who signs in next: these claims (`sub` required) go into the ID token."""
        self._post("user", claims)

    def set_mode(self, mode: str) -> None:
        """How the next token response is spoilt; one of MODES ("ok": not at all)."""
        assert mode in MODES, mode
        self._post("mode", {"mode": mode})

    def hold_callback(self, hold: bool = True) -> None:
        """Show the way back to the app as a link (id "callback") instead of redirecting."""
        self._post("hold", {"hold": hold})

    def last(self) -> dict:
        """{"auth": query of the last authorization request, "token": the last token response
        as sent, with its mode, "logout": the last sign-out request's query, with "confirmed"
        once it was carried out}."""
        response = requests.get(f"{self.issuer}/__test/last", timeout=10)
        response.raise_for_status()
        return response.json()

    def reset(self) -> None:
        self.set_mode("ok")
        self.hold_callback(False)
        self.set_user(default_user(self.force_code))

    def _post(self, what: str, body: dict) -> None:
        response = requests.post(f"{self.issuer}/__test/{what}", json=body, timeout=10)
        response.raise_for_status()


@dataclass
class OpenIdProviders:
    """The two forces' providers."""

    met: OpenIdProvider
    gmp: OpenIdProvider

    def __getitem__(self, key: str | int) -> OpenIdProvider:
        """By force code ("met"), or by position (0 is the Met's, 1 GMP's)."""
        return getattr(self, FORCES[key] if isinstance(key, int) else key)

    def __iter__(self):
        return iter((self.met, self.gmp))


def connect_identity_provider(op: OpenIdProvider, force, **fields):
    """Connect a force to a test OP in this process's database, as a superuser's admin form
    would (the client secret stored encrypted)."""
    from courses.encryption import encrypt
    from courses.models import IdentityProvider

    values = {
        "enabled": True,
        "issuer_url": op.issuer,
        "client_id": op.client_id,
        "secret_encrypted": encrypt(op.client_secret),
        **fields,
    }
    provider, _ = IdentityProvider.objects.update_or_create(force=force, defaults=values)
    return provider


@pytest.fixture(scope="session")
def oidc_app_base_url() -> str:
    """Where the app under test runs: its callbacks are the providers' redirect URIs."""
    return "http://testserver"


@pytest.fixture(scope="module")
def oidc_provider_servers(oidc_app_base_url, tmp_path_factory):
    node = require_op()
    log_dir = tmp_path_factory.mktemp("oidc")
    servers = OpenIdProviders(
        *(
            OpenIdProvider(
                node=node, force_code=code, base_urls=[oidc_app_base_url], log_dir=log_dir
            )
            for code in FORCES
        )
    )
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def oidc_providers(oidc_provider_servers) -> OpenIdProviders:
    """The Met's and GMP's running providers, in mode "ok" with their default person; put
    back so after the test."""
    for server in oidc_provider_servers:
        server.reset()
    yield oidc_provider_servers
    for server in oidc_provider_servers:
        if server.process is not None and server.process.poll() is None:
            server.reset()
