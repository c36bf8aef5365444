"""Local web servers for link checks: routes per path, and a log of every request."""

from __future__ import annotations

import gzip
import selectors
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
    """One threaded HTTP server on a loopback address; `routes` maps paths to answers.
    `serve=False`: a PageFleet's thread accepts its connections."""

    def __init__(self, address="127.0.0.1", tracker: Tracker | None = None, serve=True):
        self.tracker = tracker or Tracker()
        self.routes: dict = {}
        self.httpd = ThreadingHTTPServer((address, 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self
        self.address = address
        self.base = f"http://{address}:{self.httpd.server_port}"
        self.thread = None
        if serve:
            self.thread = threading.Thread(
                target=self.httpd.serve_forever, args=(0.05,), daemon=True
            )
            self.thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def stop(self) -> None:
        if self.thread is not None:
            self.httpd.shutdown()
        self.httpd.server_close()


def loopback(i: int) -> str:
    """The i-th host's loopback address: 127.0.0.2, ... 127.0.0.251, 127.0.1.2, ... (Linux
    answers the whole 127/8 on lo; .0, .1 and .255 of each /24 are left out)."""
    return f"127.0.{i // 250}.{i % 250 + 2}"


class PageFleet:
    """`hosts` page servers, one per loopback address, accepted by ONE thread (a thousand
    hosts without a thousand threads polling); each request is answered in a thread."""

    def __init__(self, hosts: int, tracker: Tracker):
        self.servers = [PageServer(loopback(i), tracker, serve=False) for i in range(hosts)]
        self.selector = selectors.DefaultSelector()
        for server in self.servers:
            self.selector.register(server.httpd, selectors.EVENT_READ, server.httpd)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            for key, _events in self.selector.select(0.05):
                key.data._handle_request_noblock()  # socketserver's own accept-and-handle

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join()
        self.selector.close()
        for server in self.servers:
            server.stop()
