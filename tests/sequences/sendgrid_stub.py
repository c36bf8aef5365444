"""A tiny SendGrid v3 mail/send stand-in on a real socket that counts every message.

Failures can be scripted (`fail_next`), and `on_accept` runs after a message is
counted but before the answer goes back (the crash tests kill the sender there).
"""
from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GATHER_TIMEOUT = 30


class SendGridStub:
    """Accepts POST /v3/mail/send with 202 and an X-Message-Id; records each message."""

    def __init__(self):
        self.messages: list[dict] = []
        self.failures: list[int] = []
        self.stalls: list[float] = []
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        # > 0: answers wait until that many requests are in flight at once (a proof of
        # concurrency that needs no clock); after GATHER_TIMEOUT they go on regardless.
        self.gather = 0
        self.on_accept = None
        self.delay = 0.0  # every answer waits this long (SendGrid's latency)
        self.active = self.peak = 0  # requests being answered now / at most at once
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_):
                pass

            def do_POST(self):  # noqa: N802 (http.server API)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, message_id = stub._handle(self.path, body)
                payload = b"" if status == 202 else json.dumps(
                    {"errors": [{"message": f"stub error {status}"}]}).encode()
                try:
                    self.send_response(status)
                    if message_id:
                        self.send_header("X-Message-Id", message_id)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the caller gave up waiting (timeout tests, killed senders)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _handle(self, path: str, body: bytes) -> tuple[int, str | None]:
        if path != "/v3/mail/send":
            return 404, None
        with self.changed:
            self.active += 1
            self.peak = max(self.peak, self.active)
            self.changed.notify_all()
            if self.gather and not self.changed.wait_for(lambda: self.peak >= self.gather,
                                                         GATHER_TIMEOUT):
                self.gather = 0  # never reached: stop holding the others back
        try:
            time.sleep(self.delay)
            return self._answer(body)
        finally:
            with self.lock:
                self.active -= 1

    def _answer(self, body: bytes) -> tuple[int, str | None]:
        with self.lock:
            if self.failures:
                return self.failures.pop(0), None
            data = json.loads(body)
            message_id = uuid.uuid4().hex
            self.messages.append({**data, "_message_id": message_id})
        if self.on_accept is not None:
            self.on_accept(data)
        with self.lock:
            stall = self.stalls.pop(0) if self.stalls else 0
        time.sleep(stall)  # accepted, but the answer comes too late for the caller
        return 202, message_id

    def fail_next(self, *statuses: int) -> None:
        """Answer the next requests with these HTTP statuses (nothing is counted)."""
        with self.lock:
            self.failures.extend(statuses)

    def stall_next(self, seconds: float) -> None:
        """Accept (and count) the next message, but answer only after `seconds`."""
        with self.lock:
            self.stalls.append(seconds)

    def custom_args(self) -> list[dict]:
        """The custom_args of every accepted message, in arrival order."""
        with self.lock:
            return [m["personalizations"][0].get("custom_args", {}) for m in self.messages]

    def subjects_to(self, address: str) -> list[str]:
        """Subjects of the messages to one address, in arrival order."""
        with self.lock:
            return [m["subject"] for m in self.messages
                    if m["personalizations"][0]["to"][0]["email"] == address]

    def start(self) -> SendGridStub:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
