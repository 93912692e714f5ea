"""Temporary: two test OpenID Providers (the research harness's op.mjs) until tests/oidc lands."""

import os
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

OP_DIR = Path("/work/oidc-research/op")
CALLBACK = "http://testserver/accounts/oidc/force-{code}/login/callback/"


@dataclass
class Op:
    issuer: str
    client_id: str
    client_secret: str
    process: subprocess.Popen

    def _post(self, path, data):
        requests.post(self.issuer + path, json=data, timeout=5).raise_for_status()

    def set_user(self, claims):
        self._post("/__test/user", claims)

    def set_mode(self, mode):
        self._post("/__test/mode", {"mode": mode})


def _free_port(host):
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _start(code, host):
    port = _free_port(host)
    env = {
        **os.environ,
        "PORT": str(port),
        "HOST": host,
        "CLIENT_ID": f"client-{code}",
        "CLIENT_SECRET": f"secret-{code}",
        "REDIRECT_URIS": CALLBACK.format(code=code),
        "POST_LOGOUT_REDIRECT_URIS": "http://testserver/",
        "COOKIE_PREFIX": f"op{code}",
    }
    command = ["node", str(OP_DIR / "op.mjs")]  # node from PATH, as CI provides it
    process = subprocess.Popen(  # noqa: S603 - the test OP, a fixed script
        command, cwd=OP_DIR, env=env, stdout=subprocess.PIPE, text=True
    )
    assert "ready" in process.stdout.readline()
    return Op(f"http://{host}:{port}", f"client-{code}", f"secret-{code}", process)


@pytest.fixture(scope="session")
def oidc_providers():
    ops = [_start("met", "127.0.0.1"), _start("gmp", "127.0.0.2")]
    yield ops
    for op in ops:
        op.process.terminate()
        op.process.wait(5)
