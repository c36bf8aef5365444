"""Gunicorn settings for the outreach API: `gunicorn -c gunicorn.conf.py wsgi:app`.

Every value can be overridden from the environment (GUNICORN_* below) or the command line.
"""

import json
import logging
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile

from gunicorn import util as gunicorn_util
from gunicorn.glogging import Logger


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# Loopback unless told otherwise: a container sets HOST=0.0.0.0 (the Dockerfile does).
bind = os.environ.get("GUNICORN_BIND") or (
    f"{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or '8000'}"
)
# Sync workers: requests are short DB-bound calls. 2 x CPU + 1 is gunicorn's rule of thumb,
# capped so that workers x pool size stays well under PostgreSQL's max_connections.
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9))
worker_class = "sync"
threads = _int("GUNICORN_THREADS", 1)
# A send waits on SendGrid (SENDGRID_TIMEOUT, 10 s); 30 s leaves room for that and the DB.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Request-line and header limits: the signed headers are short; anything larger is abuse.
limit_request_line = 8190
limit_request_fields = 50
limit_request_field_size = 8190
# Recycle workers now and then (memory creep) without all restarting at once. Not too
# often: a new worker spends ~1 s of CPU importing the app, which at 2,000 requests cost
# a fifth of a busy 2-core box (bench/signed_requests.py).
max_requests = _int("GUNICORN_MAX_REQUESTS", 20000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 2000)
# No preload: each worker imports the app after fork, so each opens its own DB pool
# (a pool inherited across fork would share sockets between processes).
preload_app = False
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
loglevel = os.environ.get("OUTREACH_LOG_LEVEL", "info").lower()
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
proc_name = "outreach-api"
# gunicorn >= 24 opens a control socket under $HOME; the container user has no home to use.
control_socket_disable = True

# Shared metric files for prometheus_client's multiprocess mode; must be set before any
# worker imports the app (see service/observability/metrics.py).
_owned_metrics_dir = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _owned_metrics_dir:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="outreach-metrics-")


def on_starting(server):
    """Refuse a configuration that must not serve; start from empty metric files (stale
    files from a previous run would be summed)."""
    from service.config import from_environment, unsubscribe_problem

    problem = unsubscribe_problem(from_environment())
    if problem:  # the workers would answer /readyz 503 and refuse every send
        server.log.error("outreach refuses to start: %s", problem)
        raise SystemExit(1)
    bind = os.environ.get("OUTREACH_METRICS_BIND")
    if bind:  # a wrong value stops the start here, with its message
        from service.metrics_listener import parse_bind

        parse_bind(bind)
    path = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(path, exist_ok=True)
    for name in os.listdir(path):
        if name.endswith(".db"):
            os.remove(os.path.join(path, name))


_metrics_listener = None  # the child serving OUTREACH_METRICS_BIND, if configured


def when_ready(server):
    """Serve /metrics on its own listener (a child process summing the workers' files)."""
    global _metrics_listener
    if os.environ.get("OUTREACH_METRICS_BIND"):
        _metrics_listener = subprocess.Popen([sys.executable, "-m", "service.metrics_listener"])


def on_exit(server):
    if _metrics_listener is not None:
        _metrics_listener.terminate()
        _metrics_listener.wait(10)
    if _owned_metrics_dir:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)


def post_fork(server, worker):
    """JSON logs in the worker before the app is imported (start-up warnings included)."""
    from service.observability import configure_logging

    configure_logging()


def post_worker_init(worker):
    """The app is loaded: keep its long-lived objects out of every garbage collection."""
    from service.serve import settle

    settle()


def child_exit(server, worker):
    """A dead worker's live gauges must stop counting."""
    try:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
    except Exception:  # metrics must never stop the arbiter
        server.log.exception("could not mark worker %s dead for metrics", worker.pid)


class JsonLogger(Logger):
    """Gunicorn's access and error logs as one JSON object per line (the app's formatter)."""

    def access(self, resp, req, environ, request_time):
        if not (self.cfg.accesslog or self.cfg.logconfig or self.cfg.syslog):
            return
        headers = dict(resp.headers) if resp.headers else {}
        request_id = next((v for k, v in headers.items() if k.lower() == "x-request-id"), None)
        duration = request_time.seconds + request_time.microseconds / 1e6
        self.access_log.info(
            "request",
            extra={
                "request_id": request_id,
                "method": environ.get("REQUEST_METHOD"),
                "path": environ.get("PATH_INFO"),
                "status": int(str(resp.status).split()[0]),
                "bytes": getattr(resp, "sent", None),
                "duration_ms": round(duration * 1000, 2),
                "remote": environ.get("REMOTE_ADDR"),
                "user_agent": environ.get("HTTP_USER_AGENT"),
            },
        )

    def setup(self, cfg):
        super().setup(cfg)
        # Imported here, after PROMETHEUS_MULTIPROC_DIR is set (the package loads the metrics).
        from service.observability import JsonFormatter

        for handler in self.error_log.handlers + self.access_log.handlers:
            handler.setFormatter(JsonFormatter())

    def _emit(self, level, msg, *args, **kwargs):
        self.error_log.log(
            getattr(logging, level), msg, *args, exc_info=bool(kwargs.get("exc_info"))
        )

    def info(self, msg, *args, **kwargs):
        self._emit("INFO", msg, *args, **kwargs)

    def warning(self, msg, *args, **kwargs):
        self._emit("WARNING", msg, *args, **kwargs)

    def error(self, msg, *args, **kwargs):
        self._emit("ERROR", msg, *args, **kwargs)

    def critical(self, msg, *args, **kwargs):
        self._emit("CRITICAL", msg, *args, **kwargs)

    def exception(self, msg, *args, **kwargs):
        self._emit("ERROR", msg, *args, exc_info=True)

    def debug(self, msg, *args, **kwargs):
        if self.error_log.isEnabledFor(10):
            self._emit("DEBUG", msg, *args, **kwargs)


logger_class = JsonLogger


def _write_json_error(sock, status_int, reason, mesg):
    """Gunicorn's own refusals (bad request line, header limits) as contract JSON, not HTML."""
    body = json.dumps(
        {
            "code": int(status_int),
            "status": reason,
            "message": f"The HTTP request was refused by the server: {reason}.",
        }
    )
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    gunicorn_util.write_nonblock(sock, (head + body).encode("latin-1"))


# Replaces the HTML writer the workers call for parser-level errors (gunicorn.util).
gunicorn_util.write_error = _write_json_error
