"""A small LRS on loopback for the delivery tests: a real HTTP server in a thread that
stores statements as an LRS does (an identical repeat is skipped, a differing one is 409 for
the whole batch), can be told to reject statements (400), and answers from a script first
(any status, slowly, or by closing the connection). It records every request it receives."""

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    """A scripted answer: `status` and `body`, after `delay` seconds, or once `wait` is set;
    `close` drops the connection without answering."""

    status: int = 200
    body: Any = ""
    delay: float = 0
    close: bool = False
    wait: threading.Event | None = None


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict
    body: Any


@dataclass
class ScriptedLrs:
    credentials: tuple[str, str] | None = None  # when set, anything else gets 401
    versions: list = field(default_factory=lambda: ["1.0.3", "2.0.0"])
    about_status: int = 200  # 404: an LRS without /about (as Ralph)

    def __post_init__(self):
        self.received: list[Received] = []
        self.script: list[Reply] = []  # answered first, in order
        self.stored: dict[str, dict] = {}
        self.reject: set[str] = set()  # statement ids answered with 400
        self.lock = threading.Lock()
        self.server = _Server(("127.0.0.1", 0), _handler(self))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/xAPI/"

    def posted(self) -> list[list[dict]]:
        """The statement lists of every POST, in order."""
        return [r.body for r in self.received if r.method == "POST"]

    def posted_ids(self) -> list[list[str]]:
        return [[statement["id"] for statement in batch] for batch in self.posted()]

    def answer(self, method: str, path: str, headers: dict, body) -> Reply:
        with self.lock:
            self.received.append(Received(method, path, headers, body))
            if self.script:
                return self.script.pop(0)
            if self.credentials and headers.get("authorization") != _basic(*self.credentials):
                return Reply(401, {"detail": "Invalid authentication credentials"})
            if method == "GET" and path.startswith("/xAPI/about"):
                return Reply(self.about_status, {"version": self.versions})
            if method == "GET" and path.startswith("/xAPI/statements"):
                return Reply(200, {"statements": [], "more": ""})
            if method == "POST" and path == "/xAPI/statements":
                return self._store(body if isinstance(body, list) else [body])
            return Reply(404, {"detail": "Not Found"})

    def _store(self, batch: list[dict]) -> Reply:
        for statement in batch:
            if statement["id"] in self.reject:
                return Reply(400, {"detail": f"Invalid statement {statement['id']}"})
            known = self.stored.get(statement["id"])
            if known is not None and known != statement:
                return Reply(
                    409,
                    {
                        "detail": f"Differing statements already exist with the same ID: "
                        f"{statement['id']}"
                    },
                )
        new = [statement for statement in batch if statement["id"] not in self.stored]
        for statement in new:
            self.stored[statement["id"]] = statement
        return Reply(200, [s["id"] for s in new]) if new else Reply(204)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):
        """A client that gave up on a slow answer: nothing to report."""


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def _handler(lrs: ScriptedLrs):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            self._answer(None)

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            self._answer(json.loads(raw) if raw else None)

        def _answer(self, body):
            headers = {name.lower(): value for name, value in self.headers.items()}
            reply = lrs.answer(self.command, self.path, headers, body)
            if reply.delay:
                time.sleep(reply.delay)
            if reply.wait is not None:
                reply.wait.wait(timeout=30)
            if reply.close:
                self.close_connection = True
                return
            payload = reply.body if isinstance(reply.body, str) else json.dumps(reply.body)
            data = payload.encode()
            self.send_response(reply.status)
            if data:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    return Handler
