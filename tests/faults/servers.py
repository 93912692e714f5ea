"""Servers of the tests' own: a Redis on a free port, and the app under gunicorn."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server")
# Skipped without redis-server, except in CI (.ci/run installs it and requires these tests).
needs_redis_server = pytest.mark.skipif(
    REDIS_SERVER is None and not os.environ.get("REQUIRE_REDIS_SERVER"),
    reason="needs redis-server (bash .ci/run installs it)",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The test database's URL, for app servers started as processes of their own."""
    from django.db import connection

    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing answered on port {port} in {seconds} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class RedisServer:
    """`redis-server` on a free port, without persistence; `kill()` takes it down hard."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [REDIS_SERVER or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, self.process, seconds=10)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()


@contextmanager
def redis_server():
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.kill()


@contextmanager
def gunicorn(**env: str):
    """The app under gunicorn.conf.py (one worker, one thread, so each request reuses the same
    database connection), with these environment variables; yields its base URL."""
    port = free_port()
    environment = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "1",
        **env,
    }
    for name in ("CONN_HEALTH_CHECKS", "CONN_MAX_AGE"):
        if name not in env:
            environment.pop(name, None)
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=environment,  # its output goes to the test's, which pytest shows on a failure
    )
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def get(url: str, **kwargs) -> requests.Response:
    return requests.get(url, timeout=30, allow_redirects=False, **kwargs)


def post(url: str, **kwargs) -> requests.Response:
    return requests.post(url, timeout=30, allow_redirects=False, **kwargs)
