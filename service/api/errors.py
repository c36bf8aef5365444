"""The one place where errors become HTTP: JSON bodies, never HTML or stack traces."""

from __future__ import annotations

import logging
from datetime import UTC

from flask import Flask, jsonify, request
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.exceptions import NotFound as NotFoundHTTP
from werkzeug.http import HTTP_STATUS_CODES

from service.api import plain_errors
from service.domain.errors import (
    Conflict,
    DomainError,
    Invalid,
    LimitExceeded,
    NotFound,
    UpstreamRefused,
)
from service.models import ID_MAX

log = logging.getLogger("outreach.errors")

DOMAIN_STATUS = {
    NotFound: 404,
    Conflict: 409,
    Invalid: 422,
    LimitExceeded: 429,
    UpstreamRefused: 502,
}
DEFAULT_MESSAGES = {
    400: "The request body is not valid JSON.",
    404: "Not found.",
    405: "This method is not allowed on this path.",
    413: "The request body is larger than 1 MiB.",
    422: "Some fields are not valid.",
    500: "An unexpected error happened; it has been logged.",
    503: "The database is unavailable; try again shortly.",
}
DB_RETRY_AFTER = "5"  # seconds: a restarting database is usually back within that


def error_body(code: int, message: str, **extra) -> dict:
    """The contract's error shape."""
    body = {"code": code, "status": HTTP_STATUS_CODES.get(code, "Unknown"), "message": message}
    body.update(extra)
    return body


def _flatten(messages) -> dict:
    """webargs nests errors by location ({"json": {...}}); the contract names fields only."""
    if not isinstance(messages, dict):
        return {"_schema": messages}
    flat = {}
    for location, fields in messages.items():
        if isinstance(fields, dict):
            flat.update(fields)
        else:
            flat[location] = fields
    return flat


def handle_http_exception(exc: HTTPException):
    """Werkzeug/smorest HTTP errors in the contract shape."""
    code = exc.code or 500
    message = exc.description if _is_custom(exc) else DEFAULT_MESSAGES.get(code, exc.description)
    extra = {}
    data = getattr(exc, "data", None) or {}
    if code == 422 and "messages" in data:
        extra["errors"] = _flatten(data["messages"])
        message = plain_errors.sentence(extra["errors"])  # plain words for a person
    if code == 400 and "messages" in data:
        message = DEFAULT_MESSAGES[400]
    response = jsonify(error_body(code, message or HTTP_STATUS_CODES.get(code, ""), **extra))
    response.status_code = code
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    if code == 405 and exc.get_response().headers.get("Allow"):
        response.headers["Allow"] = exc.get_response().headers["Allow"]
    return response


def _is_custom(exc: HTTPException) -> bool:
    return bool(exc.description) and exc.description != type(exc).description


def handle_domain_error(exc: DomainError):
    """Domain errors mapped by type."""
    code = next(c for t, c in DOMAIN_STATUS.items() if isinstance(exc, t))
    extra = {k: v for k, v in exc.extra.items() if v is not None}
    headers = {}
    if isinstance(exc, Invalid):
        extra["errors"] = exc.fields
    if isinstance(exc, LimitExceeded) and exc.retry_at is not None:
        extra["retry_at"] = exc.retry_at.astimezone(UTC).isoformat()
        headers["Retry-After"] = str(exc.extra.get("retry_after", 1))
    response = jsonify(error_body(code, exc.message, **extra))
    response.status_code = code
    response.headers.update(headers)
    return response


def handle_unexpected(exc: Exception):
    """Anything else: log it with its traceback, answer a plain JSON 500."""
    if isinstance(exc, HTTPException):
        return handle_http_exception(exc)
    log.exception("unhandled error", exc_info=exc)
    return handle_http_exception(InternalServerError())


def handle_database_unavailable(exc: Exception):
    """Database down, unreachable or pool exhausted: a JSON 503, never a 500 with a trace."""
    log.error("database unavailable: %s", type(exc).__name__, exc_info=exc)
    response = jsonify(error_body(503, DEFAULT_MESSAGES[503]))
    response.status_code = 503
    response.headers["Retry-After"] = DB_RETRY_AFTER
    return response


def handle_value_out_of_range(exc: Exception):
    """A number the database cannot hold: an id that cannot exist (404), else a 422."""
    view_args = request.view_args or {}
    if any(isinstance(v, int) and abs(v) > ID_MAX for v in view_args.values()):
        return handle_http_exception(NotFoundHTTP())
    log.info("value out of storage range: %s", type(exc).__name__)
    message = "A value is too large to store (a number out of range or a text too long)."
    response = jsonify(error_body(422, message, errors={"_schema": [message]}))
    response.status_code = 422
    return response


def register_error_handlers(app: Flask) -> None:
    """Install the handlers (after flask-smorest's own, so ours win)."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(PoolTimeout, handle_database_unavailable)
    app.register_error_handler(DataError, handle_value_out_of_range)
    app.register_error_handler(OverflowError, handle_value_out_of_range)  # sqlite3 > 64 bits
    app.register_error_handler(Exception, handle_unexpected)
