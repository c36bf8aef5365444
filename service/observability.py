"""Operator surface: JSON logs with request ids, Prometheus metrics and GET /metrics.

Other features record what happens through three calls, safe anywhere (no Flask needed):
    observability.count("outreach_sends_total", outcome="sent")
    observability.observe("outreach_webhook_batch_seconds", 0.12)
    observability.gauge("outreach_scheduler_lag_seconds", 3.5)

Metrics live in prometheus_client. Under gunicorn, `gunicorn.conf.py` sets
PROMETHEUS_MULTIPROC_DIR before any worker imports this module, so every worker writes to
shared files and GET /metrics (answered by any one worker) sums them all. Without that
variable (tests, `outreach serve`) the registry is this process's own.
"""
from __future__ import annotations

import json
import logging
import os
import re
import sys
import threading
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, Response, g, has_request_context, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from service.redact import redact

REQUEST_ID_HEADER = "X-Request-Id"
# A caller's id is honoured only when it is short and plain (it ends up in every log line).
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

# name -> (kind, help, label names); other features may add names at first use.
CATALOG: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "outreach_http_requests_total": (
        "counter", "HTTP requests answered, by route template, method and status.",
        ("route", "method", "status")),
    "outreach_http_request_duration_seconds": (
        "histogram", "Time to answer an HTTP request, by route template and method.",
        ("route", "method")),
    "outreach_sends_total": (
        "counter", "Emails handed to SendGrid, by outcome (sent, failed, unknown).",
        ("outcome",)),
    "outreach_limit_hits_total": (
        "counter", "Sends refused or postponed by a safety limit (cooldown, daily_cap, "
                   "suppressed).", ("limit",)),
    "outreach_webhook_events_total": (
        "counter", "SendGrid webhook events received, by type and result (stored, "
                   "duplicate, unmatched, unknown).", ("type", "result")),
    "outreach_scheduler_lag_seconds": (
        "gauge", "How late the oldest due sequence step was at the last scheduler pass.", ()),
    "outreach_scheduler_steps_total": (
        "counter", "Sequence steps handled by the scheduler, by outcome.", ("outcome",)),
}

_metrics: dict[str, object] = {}
_lock = threading.Lock()
_local_registry = CollectorRegistry(auto_describe=True)
log = logging.getLogger("outreach.observability")


def multiprocess_dir() -> str | None:
    """The shared metrics folder when running under gunicorn (None: in-process registry)."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def _metric(name: str, kind: str, labels: tuple[str, ...]):
    """The metric object for `name`, created once per process."""
    found = _metrics.get(name)
    if found is not None:
        return found
    with _lock:
        if name in _metrics:
            return _metrics[name]
        kind, help_text, labelnames = CATALOG.get(name, (kind, name.replace("_", " "), labels))
        base = name.removesuffix("_total") if kind == "counter" else name
        kwargs = {"labelnames": labelnames, "registry": _local_registry}
        if kind == "counter":
            metric = Counter(base, help_text, **kwargs)
        elif kind == "histogram":
            metric = Histogram(base, help_text, buckets=LATENCY_BUCKETS, **kwargs)
        else:  # gauges: under gunicorn report the highest live value across processes
            metric = Gauge(base, help_text, multiprocess_mode="livemax", **kwargs)
        _metrics[name] = metric
        return metric


def _labelled(metric, labels: dict):
    return metric.labels(**{k: str(v) for k, v in labels.items()}) if labels else metric


def count(name: str, amount: float = 1, **labels) -> None:
    """Increment a counter; never raises (metrics must not break a send)."""
    try:
        _labelled(_metric(name, "counter", tuple(sorted(labels))), labels).inc(amount)
    except Exception:  # a wrong label set is a programming error: log it, carry on
        log.exception("metric %s not recorded", name)


def observe(name: str, value: float, **labels) -> None:
    """Record one observation in a histogram; never raises."""
    try:
        _labelled(_metric(name, "histogram", tuple(sorted(labels))), labels).observe(value)
    except Exception:
        log.exception("metric %s not recorded", name)


def gauge(name: str, value: float, **labels) -> None:
    """Set a gauge; never raises."""
    try:
        _labelled(_metric(name, "gauge", tuple(sorted(labels))), labels).set(value)
    except Exception:
        log.exception("metric %s not recorded", name)


def exposition() -> bytes:
    """The Prometheus text of every metric (summed over gunicorn workers when shared)."""
    for name, (kind, _, labels) in CATALOG.items():
        _metric(name, kind, labels)  # declared metrics show up even before first use
    path = multiprocess_dir()
    if path is None:
        return generate_latest(_local_registry)
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=path)
    return generate_latest(registry)


# --- logs -------------------------------------------------------------------------------

class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, extras."""

    RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message"}

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name,
            "msg": redact(record.getMessage()),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
            "pid": record.process,
        }
        for key, value in vars(record).items():
            if key not in self.RESERVED and key not in entry:
                entry[key] = value if isinstance(value, int | float | bool) else redact(str(value))
        if record.exc_info:
            entry["exc"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def current_request_id() -> str | None:
    """The id of the request being served by this thread, if any."""
    if has_request_context():
        return g.get("request_id")
    return None


def configure_logging(level: str | None = None) -> None:
    """Send every log record to stderr as JSON (OUTREACH_LOG_FORMAT=text keeps plain text)."""
    if os.environ.get("OUTREACH_LOG_FORMAT", "json").lower() == "text":
        return
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_outreach_json", False) or type(handler) is logging.StreamHandler:
            root.removeHandler(handler)  # basicConfig's plain handler, or ours from before
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler._outreach_json = True
    root.addHandler(handler)
    root.setLevel(level or os.environ.get("OUTREACH_LOG_LEVEL", "INFO"))


# --- Flask wiring -----------------------------------------------------------------------

def _begin_request() -> None:
    supplied = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = supplied if REQUEST_ID_RE.match(supplied) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish_request(response: Response) -> Response:
    request_id = g.get("request_id") or uuid.uuid4().hex
    response.headers[REQUEST_ID_HEADER] = request_id
    started = g.get("request_started")
    # Route templates, never raw paths: label sets stay bounded whatever callers send.
    route = request.url_rule.rule if request.url_rule is not None else "unmatched"
    count("outreach_http_requests_total", route=route, method=request.method,
          status=response.status_code)
    if started is not None:
        observe("outreach_http_request_duration_seconds", time.perf_counter() - started,
                route=route, method=request.method)
    return response


def metrics_view() -> Response:
    """GET /metrics: counts only (no secrets, no site data), behind its own access check."""
    from service.api.metrics_access import check_metrics_access

    check_metrics_access()
    return Response(exposition(), mimetype=CONTENT_TYPE_LATEST.split(";")[0],
                    headers={"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"})


def init_app(app: Flask) -> None:
    """Request ids, JSON logs, request metrics and GET /metrics for one app."""
    if not app.testing:
        configure_logging()
    # Run first: the signature hook may abort, and its answer still needs an id.
    app.before_request_funcs.setdefault(None, []).insert(0, _begin_request)
    app.after_request(_finish_request)
    app.add_url_rule("/metrics", "metrics", metrics_view, methods=["GET"])
