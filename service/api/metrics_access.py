"""Who may read GET /metrics: a bearer token when configured, else loopback callers only."""

from __future__ import annotations

import hmac
import ipaddress

from flask import abort, current_app, request

PROXY_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Real-IP")


def check_metrics_access() -> None:
    """Abort unless the caller may read the operator metrics (404 hides the endpoint)."""
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode(), token.encode()
        ):
            abort(401, "GET /metrics needs `Authorization: Bearer <OUTREACH_METRICS_TOKEN>`.")
        return
    if not _direct_loopback_caller():
        abort(404)


def _direct_loopback_caller() -> bool:
    """True for a caller on this host that did not come through a proxy (which would be
    loopback too, for a reverse proxy on the same machine, whoever its client is)."""
    if any(name in request.headers for name in PROXY_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False
