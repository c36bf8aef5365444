"""A real webhook receiver on loopback: records every POST, answers as a test plans, and
verifies Standard Webhooks signatures with the official `standardwebhooks` package (the
receiving side a customer would run)."""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook

from tests.support.processes import wait_for


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    at: float  # time.monotonic() when it arrived

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]

    def json(self) -> dict:
        return json.loads(self.body)

    def verified(self, secret: str) -> dict:
        """The event, once the official library accepted its signature (else it raises)."""
        return Webhook(secret).verify(self.body, self.headers)


class HookReceiver:
    """POST /<name> is one endpoint; `plan(name, statuses, delay)` sets its answers."""

    def __init__(self):
        self.received: list[Received] = []
        self.statuses: dict[str, list[int]] = defaultdict(list)
        self.delays: dict[str, float] = {}
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def plan(self, name: str, statuses=(), delay: float = 0.0) -> str:
        """Answer the next POSTs to /name with `statuses` (then 200), each after `delay`
        seconds; returns the endpoint's URL."""
        with self.lock:
            self.statuses[name] = list(statuses)
            self.delays[name] = delay
        return f"{self.url}/{name}"

    def at(self, name: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.path == "/" + name]

    def wait_count(self, name: str, count: int, timeout: float = 30) -> list[Received]:
        wait_for(lambda: len(self.at(name)) >= count, timeout, every=0.02)
        return self.at(name)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _answer(self, path: str, headers: dict, body: bytes) -> tuple[int, float]:
        name = path.lstrip("/")
        with self.lock:
            self.received.append(Received(path, headers, body, time.monotonic()))
            planned = self.statuses.get(name) or []
            status = planned.pop(0) if planned else 200
            return status, self.delays.get(name, 0.0)

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                size = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(size)
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, delay = receiver._answer(self.path, headers, body)
                if delay:
                    time.sleep(delay)  # the endpoint is slow: the sender must not wait
                payload = b'{"ok": true}' if status < 300 else b"nope " * 500
                try:
                    self.send_response(status)
                    self.send_header("content-length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the sender gave up (its timeout)

            def log_message(self, *_args):
                pass

        return Handler
