"""Politeness shared by every process through the database: at most
OUTREACH_LINKCHECK_CONCURRENCY fetches at once in the whole fleet (leased rows of
`link_slots`: every scheduler process and API worker takes its turns from the same rows),
at most one request a second per host and a growing pause for a host that keeps failing
(`link_hosts`).

The times here are the wall clock, not the service clock: they pace real requests. A
slot's lease outlives any one request, so a process killed mid-fetch frees its slot
when the lease ends.
"""

from __future__ import annotations

import secrets
import time
from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select, update

from service.db.bulk import insert_ignore, skip_locked
from service.db.unit_of_work import UnitOfWork
from service.models import LinkHost, LinkSlot

CONCURRENCY = 8  # fleet-wide fetches at once, by default (docs/links.md)
SPACING = timedelta(seconds=1)  # between two requests to one host
SLOT_LEASE = timedelta(seconds=60)  # far above one request (10 s)
POLL = 0.05  # seconds between two looks for a free slot
BACKOFF_AFTER = 2  # failures in a row before a host is paused
BACKOFF_MAX = timedelta(hours=6)


class Deferred(Exception):
    """No fetch now: the host is backing off, or no slot came free in time."""

    def __init__(self, message: str, until: datetime):
        super().__init__(message)
        self.until = until


def _now() -> datetime:
    return datetime.now(UTC)


def backoff(failures: int) -> timedelta | None:
    """The pause after `failures` in a row: 1 min, doubling, at most BACKOFF_MAX."""
    if failures < BACKOFF_AFTER:
        return None
    return min(timedelta(minutes=2 ** (failures - BACKOFF_AFTER)), BACKOFF_MAX)


class Gate:
    """Hands out turns to fetch: a slot of the fleet and the host's next second."""

    def __init__(
        self,
        session_factory,
        slots: int = CONCURRENCY,
        honour_backoff: bool = True,
        spacing: timedelta = SPACING,
    ):
        self.session_factory, self.slots, self.spacing = session_factory, slots, spacing
        self.honour_backoff = honour_backoff  # a person's "check now" goes ahead anyway
        self._ready = False  # the slot rows exist (inserted once per process)

    @contextmanager
    def turn(self, host: str, deadline: float):
        """Wait for a slot and the host's turn (until `deadline`, time.monotonic()), fetch,
        then free the slot and book the outcome against the host."""
        holder = secrets.token_hex(8)
        while (wait := self._take(holder, host)) > 0:
            if time.monotonic() + wait > deadline:
                raise Deferred("no fetch slot came free in time", _now() + self.spacing)
            time.sleep(wait)  # the slot holders are other processes: nothing to wait on
        failed = False
        try:
            yield
        except Exception as exc:
            failed = getattr(exc, "host_failed", False)
            raise
        finally:
            self._give_back(holder, host, failed)

    def _take(self, holder: str, host: str) -> float:
        """In one transaction: the host's turn and a free slot (0), or neither (the seconds
        to wait before asking again)."""
        with closing(UnitOfWork.open(self.session_factory)) as uow:
            session = uow.session
            pace = self._pace(session, host)
            now = _now()  # read under the lock: a time read while waiting for it is stale
            self._check_backoff(pace, now)
            if pace.next_at > now:
                return max((pace.next_at - now).total_seconds(), POLL)
            slot = session.scalar(
                skip_locked(
                    select(LinkSlot)
                    .where(
                        LinkSlot.id <= self.slots,
                        or_(LinkSlot.held_until.is_(None), LinkSlot.held_until < now),
                    )
                    .limit(1),
                    session,
                )
            )
            if slot is None:
                return POLL
            slot.holder, slot.held_until = holder, now + SLOT_LEASE
            pace.next_at = now + self.spacing
            uow.commit()
            return 0.0

    def _pace(self, session, host: str) -> LinkHost:
        """The host's row, locked (created at its first fetch; the slot rows at ours)."""
        if not self._ready:
            insert_ignore(session, LinkSlot, [{"id": i} for i in range(1, self.slots + 1)])
            self._ready = True
        query = select(LinkHost).where(LinkHost.host == host).with_for_update()
        pace = session.scalar(query)
        if pace is None:
            insert_ignore(session, LinkHost, [{"host": host, "next_at": _now(), "failures": 0}])
            pace = session.scalar(query)
        return pace

    def _check_backoff(self, pace: LinkHost, now: datetime) -> None:
        if self.honour_backoff and pace.backoff_until is not None and pace.backoff_until > now:
            raise Deferred(
                f"{pace.host} failed {pace.failures} times in a row; paused", pace.backoff_until
            )

    def _give_back(self, holder: str, host: str, failed: bool) -> None:
        with closing(UnitOfWork.open(self.session_factory)) as uow:
            session = uow.session
            session.execute(
                update(LinkSlot)
                .where(LinkSlot.holder == holder)
                .values(holder=None, held_until=None)
            )
            pace = self._pace(session, host)
            now = _now()
            pace.failures = pace.failures + 1 if failed else 0
            pause = backoff(pace.failures)
            pace.backoff_until = now + pause if pause else None
            uow.commit()
