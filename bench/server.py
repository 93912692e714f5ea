"""The app under gunicorn, as deployed (gunicorn.conf.py), on a free loopback port."""

import http.client
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.prepare import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(env: dict, workers: int, threads: int) -> tuple[subprocess.Popen, int]:
    """Start gunicorn with the deployment's configuration and the mix asked for; return it
    and its port once /healthz answers 200."""
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        f"--config={ROOT / 'gunicorn.conf.py'}",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server, port
        except OSError:
            pass
        time.sleep(0.3)
    stop(server)
    sys.exit("gunicorn did not become healthy within 60 s.")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=30)


def workers_of(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [int(pid) for pid in children]
