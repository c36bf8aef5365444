"""Domain errors; service.api.errors is the one place that maps them to HTTP."""

from __future__ import annotations

from datetime import datetime


class DomainError(Exception):
    """Base class: a rule of the domain refused the operation."""

    def __init__(self, message: str, **extra):
        super().__init__(message)
        self.message = message
        self.extra = extra


class NotFound(DomainError):
    """No such resource in this site (another site's id looks exactly the same)."""


class Conflict(DomainError):
    """Duplicate, already active, or still in use."""


class Invalid(DomainError):
    """A field fails a rule; `fields` maps each field name to its messages."""

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None, **extra):
        super().__init__(message, **extra)
        self.fields = fields or {}


class LimitExceeded(DomainError):
    """A safety limit blocks the send until retry_at (None: until a person acts)."""

    def __init__(
        self, message: str, limit: str, retry_at: datetime | None, retry_after: int | None
    ):
        super().__init__(message, limit=limit, retry_at=retry_at, retry_after=retry_after)
        self.limit = limit
        self.retry_at = retry_at


class UpstreamRefused(DomainError):
    """An outside service refused or failed: the mail provider (a send), DNS (a lookup)."""


def require(entity, what: str):
    """Return entity, or raise NotFound with a sentence naming what was missing."""
    if entity is None:
        raise NotFound(f"{what} not found.")
    return entity
