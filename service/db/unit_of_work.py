"""The unit of work: one session, and what its current transaction has taken and owes.

Opened by the request boundary (service.api.context) per request and by the worker per
pass; its commit() is the only commit. Domain code reaches it through of(session), reads
and records locks and caches on it, and only flushes. Everything but the session is
forgotten when the transaction ends (commit or rollback): locks are released then, and
what was counted under them is no longer true.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger("outreach.db")
T = TypeVar("T")
KEY = "unit_of_work"


@dataclass(eq=False)
class UnitOfWork:
    """A session plus its transaction's locks, caches, cards to refresh and after-commit work."""

    session: Session
    # Locks taken (held until the transaction ends): taking one again is a no-op.
    site_locks: set[int] = field(default_factory=set)
    board_locks: set[int] = field(default_factory=set)
    locked_emails: set[int] = field(default_factory=set)  # re-read under a row lock
    fresh_cards: set[int] = field(default_factory=set)  # re-read under the board lock
    # Per-transaction caches, valid while the locks above are held.
    sequence_steps: dict[int, list] = field(default_factory=dict)  # sequence id -> steps
    enrollment_emails: dict[int, list] = field(default_factory=dict)  # prefetched, read once
    suppressions: dict[tuple[int, str], object] = field(default_factory=dict)  # Listed | None
    daily_counts: dict[int, tuple[datetime, int]] = field(default_factory=dict)  # (at, n)
    column_ends: dict[tuple[int, str], int] = field(default_factory=dict)  # next position
    # Cards whose email_status a batch refreshes once before commit (None: at once).
    cards_to_refresh: set[int] | None = None
    # (site id, card id) proven sent by an event: moved to Reached after commit.
    cards_to_reach: set[tuple[int, int]] = field(default_factory=set)
    # Run after commit, each in a transaction of its own (best effort).
    after_commit: list[Callable[[Session], None]] = field(default_factory=list)

    @classmethod
    def open(cls, factory: sessionmaker) -> UnitOfWork:
        """A new session with its unit of work (close() it, or use `with`)."""
        return of(factory())

    def commit(self) -> None:
        """Commit, then run the after-commit actions (a failing one is logged, not raised)."""
        actions, self.after_commit = self.after_commit, []
        self.session.commit()
        for action in actions:
            try:
                action(self.session)
                self.session.commit()
            except DBAPIError:
                self.session.rollback()
                log.warning("an after-commit action failed", exc_info=True)

    def rollback(self) -> None:
        """Roll back (locks, caches and pending after-commit actions go with it)."""
        self.session.rollback()
        self._forget()  # also when no transaction had begun (nothing ended to tell us)

    def retry(
        self,
        work: Callable[[], T],
        tries: int,
        retryable: Callable[[Exception], bool] = lambda _exc: True,
        errors: type[Exception] | tuple = DBAPIError,
    ) -> T:
        """Run `work` and commit; on a retryable error roll back and run it again (a
        deadlock victim, a busy SQLite). The last error is raised."""
        for attempt in range(1, tries + 1):
            try:
                result = work()
                self.commit()
                return result
            except errors as exc:
                self.rollback()
                if attempt == tries or not retryable(exc):
                    raise
                log.warning(
                    "transaction failed (%s), attempt %s of %s; running it again",
                    type(getattr(exc, "orig", exc)).__name__,
                    attempt,
                    tries,
                )
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Roll back anything uncommitted and give the connection back."""
        self.session.rollback()
        self.session.close()

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def _forget(self) -> None:
        """The transaction ended: its locks are released, its counts and actions void."""
        for name in _TRANSACTIONAL:  # new objects: an after-commit action keeps its own
            setattr(self, name, type(getattr(self, name))())
        self.cards_to_refresh = None


_TRANSACTIONAL = tuple(
    f.name for f in fields(UnitOfWork) if f.name not in ("session", "cards_to_refresh")
)


def of(session: Session) -> UnitOfWork:
    """The session's unit of work (one is attached on first use, e.g. a bare test session)."""
    found = session.info.get(KEY)
    if found is None:
        found = session.info[KEY] = UnitOfWork(session)
    return found


@event.listens_for(Session, "after_transaction_end")
def _transaction_ended(session: Session, transaction) -> None:
    # Savepoints end inside the transaction: its locks are still held.
    if transaction.parent is None and (uow := session.info.get(KEY)) is not None:
        uow._forget()
