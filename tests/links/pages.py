"""Local web servers for link checks: routes per path, and a log of every request."""

from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Tracker:
    """Every request any server answered: (host, path, start, end), and the most at once."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str, float, float]] = []
        self.active = self.max_active = 0

    def enter(self) -> float:
        with self.lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        return time.monotonic()

    def leave(self, host: str, path: str, start: float) -> None:
        with self.lock:
            self.active -= 1
            self.requests.append((host, path, start, time.monotonic()))


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        server = self.server.owner
        start = server.tracker.enter()
        try:
            route = server.routes.get(self.path.split("?")[0])
            if route is None:
                send(self, 404, b"not found")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the checker gave up on purpose (size, time)
        finally:
            server.tracker.leave(self.headers.get("Host", ""), self.path, start)

    def log_message(self, *_args):
        pass


def send(handler, status: int, body: bytes, content_type="text/html; charset=utf-8", **headers):
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in headers.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.end_headers()
    handler.wfile.write(body)


def html(body: str | bytes, status=200, **headers):
    """A route answering an HTML page."""
    data = body.encode() if isinstance(body, str) else body
    return lambda h: send(h, status, data, **headers)


def gzipped(body: str):
    data = gzip.compress(body.encode())
    return lambda h: send(h, 200, data, Content_Encoding="gzip")


def redirect(location: str, status=302):
    return lambda h: send(h, status, b"", Location=location)


def trickle(seconds: float):
    """Headers at once, then one byte a second for `seconds` (no Content-Length)."""

    def route(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            h.wfile.write(b"<")
            h.wfile.flush()
            time.sleep(1)  # the slow server under test, not the test waiting

    return route


def slow(seconds: float, body: str):
    """Answer after `seconds` (a host answering in 100 ms, say)."""

    def route(h):
        time.sleep(seconds)  # the server's own latency
        send(h, 200, body.encode())

    return route


class PageServer:
    """One threaded HTTP server on a loopback address; `routes` maps paths to answers."""

    def __init__(self, address="127.0.0.1", tracker: Tracker | None = None):
        self.tracker = tracker or Tracker()
        self.routes: dict = {}
        self.httpd = ThreadingHTTPServer((address, 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self
        self.base = f"http://{address}:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
