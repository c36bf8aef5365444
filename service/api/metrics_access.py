"""Who may read GET /metrics on the API's own port: only a caller with the bearer token.

There is no trust in the caller's address: a reverse proxy on the same host connects
from loopback on behalf of anyone and need not add a forwarding header (nginx's plain
`proxy_pass` adds none). Without OUTREACH_METRICS_TOKEN the endpoint is hidden (404);
scrape the listener of its own instead (OUTREACH_METRICS_BIND, service/metrics_listener.py).
"""

from __future__ import annotations

import hmac

from flask import abort, current_app, request


def check_metrics_access() -> None:
    """Abort unless the caller sent the metrics bearer token (404 hides the endpoint)."""
    token = current_app.config.get("METRICS_TOKEN")
    if not token:
        abort(404)
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), token.encode()
    ):
        abort(401, "GET /metrics needs `Authorization: Bearer <OUTREACH_METRICS_TOKEN>`.")
