"""An injectable clock: domain code asks it for the time instead of calling datetime.now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class SystemClock:
    """The real wall clock, always UTC-aware."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """A controllable clock for tests."""

    def __init__(self, start: datetime | None = None):
        self._now = start or datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, **kwargs) -> datetime:
        self._now = self._now + timedelta(**kwargs)
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when
