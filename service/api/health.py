"""Liveness and readiness probes (unsigned, outside /api/v1)."""

from __future__ import annotations

from flask import Blueprint, jsonify

from service.api.context import runtime
from service.api.errors import error_body
from service.db.engine import answers

blp = Blueprint("health", __name__)


@blp.get("/healthz")
def healthz():
    """200 while the process runs."""
    return jsonify({"status": "ok"})


@blp.get("/readyz")
def readyz():
    """200 when the database answers and the configuration may serve, 503 (JSON) otherwise."""
    problem = runtime().unready
    if problem:
        response = jsonify(error_body(503, problem))
        response.status_code = 503
        return response
    if not answers(runtime().engine):
        response = jsonify(error_body(503, "The database does not answer."))
        response.status_code = 503
        return response
    return jsonify({"status": "ready", "database": "ok"})
