"""Process runners for `outreach serve` and `outreach scheduler`."""
from __future__ import annotations

import logging
import signal
import threading

import werkzeug.serving
from werkzeug.serving import make_server

from service.app import create_app

log = logging.getLogger("outreach.serve")


def run(host: str, port: int) -> None:
    """Serve the API (threaded) and, when enabled, the scheduler in this process."""
    app = create_app()
    werkzeug.serving._log_add_style = False  # no ANSI colour codes inside JSON log lines
    stop = threading.Event()
    scheduler = _start_scheduler(app) if app.config["SCHEDULER_ENABLED"] else None
    server = make_server(host, port, app, threaded=True)
    log.info("outreach serving on http://%s:%s", host, server.server_port)

    def _shutdown(*_):
        stop.set()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, _shutdown)
    signal.signal(signal.SIGINT, _shutdown)
    try:
        server.serve_forever()
    finally:
        if scheduler is not None:
            scheduler.shutdown()


def _start_scheduler(app):
    """Start the sequence scheduler if the feature is installed."""
    try:
        from service.worker.scheduler import start_background
    except ImportError:
        log.info("sequence scheduler not available in this build")
        return None
    return start_background(app)


def run_scheduler_only() -> None:
    """Run only the scheduler until SIGTERM."""
    from service.worker.scheduler import run_blocking

    run_blocking(create_app({"SCHEDULER_ENABLED": True}))
