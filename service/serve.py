"""Process runners for `outreach serve` and `outreach scheduler`.

`outreach serve` runs the API on waitress (a production WSGI server: worker threads, and
idle or half-sent connections closed after OUTREACH_SERVE_TIMEOUT) with the scheduler in
the same process. Waitress reads each request whole before a worker thread sees it, so a
client that stops sending holds a socket until the timeout, never a thread.
"""

from __future__ import annotations

import gc
import logging
import os
import signal

from waitress.server import create_server

from service import metrics_listener, process_memory
from service.app import create_app
from service.domain.key_check import KeyMismatch

log = logging.getLogger("outreach.serve")
# Above the largest body any route accepts (Inbound Parse, 40 MiB); routes refuse less.
MAX_REQUEST_BODY = 64 * 1024 * 1024


def _int_env(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def server_settings() -> dict:
    """Waitress settings from the environment (documented in docs/operations.md)."""
    timeout = _int_env("OUTREACH_SERVE_TIMEOUT", 60)
    return {
        "threads": _int_env("OUTREACH_SERVE_THREADS", 8),
        "channel_timeout": timeout,
        # how often idle connections are looked for: a fraction of the timeout
        "cleanup_interval": max(1, min(30, timeout // 2)),
        "connection_limit": _int_env("OUTREACH_SERVE_CONNECTIONS", 200),
        "max_request_body_size": MAX_REQUEST_BODY,
        "ident": "outreach",
        # Kept as sent: the service trusts no proxy header (nor any caller address).
        "clear_untrusted_proxy_headers": False,
    }


def settle() -> None:
    """Move what start-up loaded (modules, mappers, schemas) out of the collector's reach.

    It lives as long as the process; without this every full collection walks it again,
    which cost a 10,000-row CSV import ~15 % of its time in a fresh process
    (bench/import.py). gunicorn workers call it too (gunicorn.conf.py).
    """
    gc.collect()  # start-up's garbage first: frozen objects are never collected
    gc.freeze()
    process_memory.keep_big_blocks_mapped()


def _app(config: dict | None = None):
    """The app, or a clean stop naming both key sources when the key does not match."""
    try:
        return create_app(config)
    except KeyMismatch as exc:
        log.error("outreach refuses to start: %s", exc)
        raise SystemExit(f"outreach refuses to start: {exc}") from None


def refuse_if_unready(app) -> None:
    """Stop here, with the reason, when this configuration must not serve (no unsubscribe
    links for real mail: config.unsubscribe_problem)."""
    problem = app.extensions["outreach"].unready
    if problem:
        log.error("outreach refuses to start: %s", problem)
        raise SystemExit(f"outreach refuses to start: {problem}")


def run(host: str, port: int) -> None:
    """Serve the API and, when enabled, the scheduler in this process until SIGTERM."""
    app = _app()
    refuse_if_unready(app)
    settle()
    bind = app.config.get("METRICS_BIND")
    metrics = metrics_listener.start_thread(bind) if bind else None
    scheduler = _start_scheduler(app) if app.config["SCHEDULER_ENABLED"] else None
    server = create_server(app, host=host, port=port, **server_settings())
    log.info(
        "outreach serving on http://%s:%s (waitress, %s threads)",
        host,
        server.effective_port,
        server.adj.threads,
    )

    def _stop(*_):
        raise SystemExit(0)  # waitress's loop catches it and stops its worker threads

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        server.run()
    finally:
        server.close()
        if metrics is not None:
            metrics.close()
        if scheduler is not None:
            scheduler.shutdown()
        log.info("outreach stopped")


def _start_scheduler(app):
    """Start the sequence scheduler if the feature is installed."""
    try:
        from service.worker.scheduler import start_background
    except ImportError:
        log.info("sequence scheduler not available in this build")
        return None
    return start_background(app)


def scheduler_app():
    """The app of `outreach scheduler`: no API routes (it serves no request)."""
    return _app({"SCHEDULER_ENABLED": True, "ROUTES": False})


def run_scheduler_only() -> None:
    """Run only the scheduler until SIGTERM."""
    from service.worker.scheduler import run_blocking

    app = scheduler_app()
    refuse_if_unready(app)
    settle()
    run_blocking(app)
