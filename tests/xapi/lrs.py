"""Ralph, a real LRS, started by the tests: the fixtures are in tests/xapi/conftest.py.

Ralph runs from .lrs-venv (`make xapi-tools`), a venv of its own, under uvicorn on a free
loopback port, with its file-system backend in a temporary directory (tests/lrs/ralph_app.py
corrects two bugs of that backend) and HTTP Basic authentication for one user. Without
.lrs-venv the tests that need it are skipped, except in CI (REQUIRE_BROWSER_TESTS=1, set by
.ci/run), where they fail and name the make target.
"""

import os
import secrets
import signal
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

from tests.faults.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
LRS_VENV = ROOT / ".lrs-venv"
LRS_BIN = LRS_VENV / "bin"
LRS_APP_DIR = ROOT / "tests" / "lrs"
VALIDATOR_DIR = ROOT / "tests" / "xapi" / "validator"
MAKE_TARGET = "make xapi-tools"
XAPI_VERSION_HEADER = {"X-Experience-API-Version": "1.0.3"}
START_SECONDS = 30


def require(path: Path, what: str) -> None:
    """Skip the test when a test tool is not installed, or fail in CI, naming the target."""
    if path.exists():
        return
    message = f"{what} is not installed ({path.relative_to(ROOT)}): run `{MAKE_TARGET}`"
    if os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
        pytest.fail(message)
    pytest.skip(message)


def require_ralph() -> None:
    require(LRS_VENV / ".installed", "Ralph (the LRS the xAPI tests deliver to)")


class RalphLrs:
    """One Ralph LRS: `start()` it, `kill()` it hard (SIGKILL), `start()` it again on the
    same port with the same data; `statements()` reads back everything it holds."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.endpoint = f"{self.base}/xAPI/"
        self.username = "damatters-tests"
        self.password = secrets.token_urlsafe(16)
        self.process: subprocess.Popen | None = None
        (directory / "data").mkdir(parents=True, exist_ok=True)
        (directory / "app").mkdir(exist_ok=True)
        self._write_auth_file()

    @property
    def auth(self) -> tuple[str, str]:
        return (self.username, self.password)

    def _environment(self) -> dict[str, str]:
        return {
            "PATH": f"{LRS_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "HOME": str(self.directory),
            "LANG": "C.UTF-8",
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.directory / "data"),
            "RALPH_AUTH_FILE": str(self.directory / "auth.json"),
            "RALPH_APP_DIR": str(self.directory / "app"),
        }

    def _write_auth_file(self) -> None:
        """One Basic user, written by Ralph's own `ralph auth` (the password bcrypt-hashed)."""
        subprocess.run(  # noqa: S603 - fixed arguments
            [str(LRS_BIN / "ralph"), "auth", "-u", self.username, "-p", self.password]
            + ["-s", "all", "-M", "mailto:lrs-tests@example.org", "-N", "LRS tests", "-w"],
            env=self._environment(),
            capture_output=True,
            check=True,
            timeout=60,
        )

    def start(self) -> None:
        """Start Ralph and return once its heartbeat answers."""
        log = (self.directory / "server.log").open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [str(LRS_BIN / "uvicorn"), "ralph_app:app", "--app-dir", str(LRS_APP_DIR)]
            + ["--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"],
            env=self._environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Ralph exited with {self.process.returncode}:\n{self.log()}")
            try:
                if requests.get(f"{self.base}/__heartbeat__", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"Ralph did not answer in {START_SECONDS} s:\n{self.log()}")

    def log(self) -> str:
        path = self.directory / "server.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """Take Ralph down at once (SIGKILL): no clean shutdown, connections reset."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if not self.running:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()

    def statements(self) -> list[dict]:
        """Every statement Ralph holds, following its `more` links page by page."""
        found = []
        url = urljoin(self.endpoint, "statements?limit=100")
        while url:
            response = requests.get(url, auth=self.auth, headers=XAPI_VERSION_HEADER, timeout=30)
            response.raise_for_status()
            page = response.json()
            found.extend(page["statements"])
            more = page.get("more")
            url = urljoin(self.base, more) if more and page["statements"] else None
        return found
