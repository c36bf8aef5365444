"""GET /metrics on a listener of its own: OUTREACH_METRICS_BIND (`host:port`).

The operator's port answers /metrics and nothing else, without a token: whoever can
reach it may read the counts, so bind it where only Prometheus can (loopback, a private
interface). `outreach serve` runs it on a thread of its own process; under gunicorn the
arbiter starts it as a child process (`python -m service.metrics_listener`), which sums
every worker's metric files like any worker would (PROMETHEUS_MULTIPROC_DIR).
"""

from __future__ import annotations

import json
import logging
import os
import threading

from waitress.server import create_server

from service.observability.metrics import CONTENT_TYPE, exposition

log = logging.getLogger("outreach.metrics")
ENV = "OUTREACH_METRICS_BIND"


def parse_bind(value: str) -> tuple[str, int]:
    """`host:port` (an IPv6 host in brackets) → (host, port); ValueError says what is wrong."""
    host, sep, port = value.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"{ENV} must be host:port (e.g. 127.0.0.1:9464), not {value!r}.")
    return host, int(port)


def metrics_app(environ, start_response):
    """The listener's WSGI app: GET /metrics, and a JSON 404 for anything else."""
    if environ.get("PATH_INFO") == "/metrics" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
        start_response("200 OK", [("Content-Type", CONTENT_TYPE)])
        return [exposition()]
    body = json.dumps({"code": 404, "status": "Not Found", "message": "Only GET /metrics here."})
    start_response("404 Not Found", [("Content-Type", "application/json")])
    return [body.encode()]


def create(bind: str):
    """A waitress server for `bind`, listening (not yet serving)."""
    host, port = parse_bind(bind)
    return create_server(
        metrics_app, host=host, port=port, threads=2, channel_timeout=10, ident="outreach"
    )


def start_thread(bind: str):
    """Serve the metrics on a daemon thread of this process; returns the server (close())."""
    server = create(bind)
    threading.Thread(target=server.run, name="metrics-listener", daemon=True).start()
    log.info("metrics on http://%s:%s/metrics", parse_bind(bind)[0], server.effective_port)
    return server


def main() -> None:
    """`python -m service.metrics_listener`: serve until SIGTERM (gunicorn.conf.py)."""
    from service.observability import configure_logging

    configure_logging()
    server = create(os.environ[ENV])
    log.info("metrics on %s/metrics", os.environ[ENV])
    server.run()


if __name__ == "__main__":
    main()
