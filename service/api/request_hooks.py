"""Per-request observability for the Flask app: request ids, request metrics, GET /metrics."""

from __future__ import annotations

import re
import time
import uuid

from flask import Flask, Response, g, request

from service import process_memory
from service.api.metrics_access import check_metrics_access
from service.observability.logs import REQUEST_ID, configure_logging
from service.observability.metrics import CONTENT_TYPE, count, exposition, observe

REQUEST_ID_HEADER = "X-Request-Id"
# The service's own time for the answer (W3C Server Timing): browsers' developer tools show
# it, and benchmarks read it to tell server time from the network's.
SERVER_TIMING_HEADER = "Server-Timing"
# A caller's id is honoured only when it is short and plain (it ends up in every log line).
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


def begin_request() -> None:
    """Give the request an id (the caller's, when plain) and start its clock."""
    supplied = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = supplied if REQUEST_ID_RE.match(supplied) else uuid.uuid4().hex
    g.request_id_token = REQUEST_ID.set(g.request_id)
    g.request_started = time.perf_counter()


def end_request(_exc=None) -> None:
    """Log lines after this request carry no id of it."""
    token = g.pop("request_id_token", None)
    if token is not None:
        REQUEST_ID.reset(token)


def finish_request(response: Response) -> Response:
    """Echo the request id, say the server time, and count the answer by route template."""
    request_id = g.get("request_id") or uuid.uuid4().hex
    response.headers[REQUEST_ID_HEADER] = request_id
    started = g.get("request_started")
    # Route templates, never raw paths: label sets stay bounded whatever callers send.
    route = request.url_rule.rule if request.url_rule is not None else "unmatched"
    count(
        "outreach_http_requests_total",
        route=route,
        method=request.method,
        status=response.status_code,
    )
    if started is not None:
        elapsed = time.perf_counter() - started
        response.headers[SERVER_TIMING_HEADER] = f"app;dur={elapsed * 1000:.2f}"
        observe(
            "outreach_http_request_duration_seconds", elapsed, route=route, method=request.method
        )
    big = max(response.content_length or 0, request.content_length or 0)
    if big >= process_memory.TRIM_AFTER_BYTES:  # the whole board, an export, a CSV import
        # Once the answer is written: what reading or building it took goes back.
        response.call_on_close(process_memory.give_back_free_memory)
    return response


def metrics_view() -> Response:
    """GET /metrics: counts only (no secrets, no site data), behind its own access check."""
    check_metrics_access()
    return Response(
        exposition(),
        mimetype=CONTENT_TYPE.split(";")[0],
        headers={"Content-Type": CONTENT_TYPE, "Cache-Control": "no-store"},
    )


def init_app(app: Flask) -> None:
    """Request ids, JSON logs, request metrics and GET /metrics for one app."""
    if not app.testing:
        configure_logging()
    # Run first: the signature hook may abort, and its answer still needs an id.
    app.before_request_funcs.setdefault(None, []).insert(0, begin_request)
    app.after_request(finish_request)
    app.teardown_request(end_request)
    app.add_url_rule("/metrics", "metrics", metrics_view, methods=["GET"])
