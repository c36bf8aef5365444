"""Prometheus metrics: what happens, counted, and the text GET /metrics answers with.

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

import logging
import os
import threading

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

CONTENT_TYPE = CONTENT_TYPE_LATEST  # of exposition()
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

# name -> (kind, help, label names); other features may add names at first use.
CATALOG: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "outreach_http_requests_total": (
        "counter",
        "HTTP requests answered, by route template, method and status.",
        ("route", "method", "status"),
    ),
    "outreach_http_request_duration_seconds": (
        "histogram",
        "Time to answer an HTTP request, by route template and method.",
        ("route", "method"),
    ),
    "outreach_sends_total": (
        "counter",
        "Emails handed to SendGrid, by outcome (sent, failed, unknown).",
        ("outcome",),
    ),
    "outreach_limit_hits_total": (
        "counter",
        "Sends refused or postponed by a safety limit "
        "(cooldown, daily_cap, hourly_cap, spacing, domain_cap, paused, suppressed).",
        ("limit",),
    ),
    "outreach_webhook_events_total": (
        "counter",
        "SendGrid webhook events received, by type and result (stored, "
        "duplicate, unmatched, unknown).",
        ("type", "result"),
    ),
    "outreach_scheduled_sends_total": (
        "counter",
        "Scheduled emails handled by the scheduler, by outcome.",
        ("outcome",),
    ),
    "outreach_scheduled_sends_lag_seconds": (
        "gauge",
        "How late the oldest due scheduled email was at the last scheduler pass.",
        (),
    ),
    "outreach_reply_forwards_total": (
        "counter",
        "Replies forwarded to reply_forward_to, by outcome (sent, retry, failed).",
        ("outcome",),
    ),
    "outreach_reply_forwards_lag_seconds": (
        "gauge",
        "How late the oldest due reply forward was at the last scheduler pass.",
        (),
    ),
    "outreach_inbound_replies_total": (
        "counter",
        "Inbound Parse posts, by result (stored, duplicate, unmatched: counted, not kept).",
        ("result",),
    ),
    "outreach_scheduler_lag_seconds": (
        "gauge",
        "How late the oldest due sequence step was at the last scheduler pass.",
        (),
    ),
    "outreach_scheduler_steps_total": (
        "counter",
        "Sequence steps handled by the scheduler, by outcome.",
        ("outcome",),
    ),
    "outreach_link_checks_lag_seconds": (
        "gauge",
        "How late the oldest due link check was at the last scheduler pass.",
        (),
    ),
    "outreach_link_checks_total": (
        "counter",
        "Link checks handled by the scheduler, by outcome (live, nofollow, missing, "
        "unreachable, deferred, lease_lost).",
        ("outcome",),
    ),
    "outreach_stale_sends_total": (
        "counter",
        "Sends a stopped process left pending, marked unknown (never resent).",
        ("outcome",),
    ),
    "outreach_stale_sends_lag_seconds": (
        "gauge",
        "How long the oldest stale send had been stale at the last sweep.",
        (),
    ),
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


_children: dict[tuple, object] = {}  # (name, *label items) -> the labelled child


def _labelled(name: str, kind: str, labels: dict):
    """The child for these label values, found once per process: every request counts
    and times itself (two lookups that sorted, stringified and locked each time). As
    bounded as prometheus' own children, which it keeps as long."""
    key = (name, *labels.items())
    found = _children.get(key)
    if found is None:
        metric = _metric(name, kind, tuple(sorted(labels)))
        found = metric.labels(**{k: str(v) for k, v in labels.items()}) if labels else metric
        _children[key] = found
    return found


def count(name: str, amount: float = 1, **labels) -> None:
    """Increment a counter; never raises (metrics must not break a send)."""
    try:
        _labelled(name, "counter", labels).inc(amount)
    except Exception:  # a wrong label set is a programming error: log it, carry on
        log.exception("metric %s not recorded", name)


def observe(name: str, value: float, **labels) -> None:
    """Record one observation in a histogram; never raises."""
    try:
        _labelled(name, "histogram", labels).observe(value)
    except Exception:
        log.exception("metric %s not recorded", name)


def gauge(name: str, value: float, **labels) -> None:
    """Set a gauge; never raises."""
    try:
        _labelled(name, "gauge", labels).set(value)
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
