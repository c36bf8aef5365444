"""JSON logs: one object per line, with the id of the request being served (no Flask)."""

from __future__ import annotations

import json
import logging
import os
import sys
from contextvars import ContextVar
from datetime import UTC, datetime

from service.redact import redact

# Set by the HTTP layer for the request being served (service.api.request_hooks).
REQUEST_ID: ContextVar[str | None] = ContextVar("outreach_request_id", default=None)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, extras."""

    RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message"}

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": redact(record.getMessage()),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
            "pid": record.process,
        }
        for key, value in vars(record).items():
            if key not in self.RESERVED and key not in entry:
                plain = value is None or isinstance(value, int | float | bool)
                entry[key] = value if plain else redact(str(value))
        if record.exc_info:
            entry["exc"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def current_request_id() -> str | None:
    """The id of the request being served in this context, if any."""
    return REQUEST_ID.get()


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
