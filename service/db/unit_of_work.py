"""The unit of work: one session, its transaction boundaries, and what the transaction owes.

A use case owns its transactions: `with uow:` around its work, `uow.commit()` where its
changes must be on record (before a call to SendGrid, say), `uow.retry()` for work that a
deadlock or a busy database may refuse. Domain code below the use cases only flushes.

What a transaction has taken (locks) and may reuse while it holds them (caches) belongs to
the feature that takes it: a feature declares a `TransactionState` and reads it through
the session; the unit of work only keeps it, and forgets it when the transaction ends
(commit or rollback): locks are released then, and what was counted under them is no
longer true. Work that must run in a transaction of its own after the commit goes to
`after_commit`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger("outreach.db")
T = TypeVar("T")
KEY = "unit_of_work"
# Deadlock and serialization failure (PostgreSQL): the transaction may simply run again.
TRANSIENT_STATES = {"40P01", "40001"}


class UnitOfWork:
    """A session, its after-commit work and the per-transaction state features keep on it."""

    def __init__(self, session: Session):
        self.session = session
        # Run after commit, each in a transaction of its own (best effort).
        self.after_commit: list[Callable[[Session], None]] = []
        self._state: dict = {}

    @classmethod
    def open(cls, factory: sessionmaker) -> UnitOfWork:
        """A new session with its unit of work (close() it: `with closing(...)`)."""
        return of(factory())

    def state(self, key, factory: Callable[[], T] | None = None) -> T | None:
        """The value `key` holds in this transaction: made by `factory` on first use, or
        None when there is none and no factory is given."""
        found = self._state.get(key)
        if found is None and factory is not None:
            found = self._state[key] = factory()
        return found

    def drop_state(self, key) -> None:
        """Forget one value before the transaction ends (a batch that is done with it)."""
        self._state.pop(key, None)

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

    def run(self, work: Callable[..., T], *args, **kwargs) -> T:
        """`work(session, *args, **kwargs)` as one transaction of its own: committed when it
        returns, rolled back when it raises; its result."""
        with self:
            result = work(self.session, *args, **kwargs)
            self.commit()
        return result

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
        """Roll back anything uncommitted and give the connection back: close() ends the
        transaction by rolling it back without expiring every loaded object first (they
        are let go), which a rollback() before it did for nothing."""
        self.session.close()

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(self, exc_type, _exc, _tb) -> None:
        """A use case's block: an error rolls back what it did not commit. A block that
        ends normally leaves the session as it is: what the use case returns is read from
        it (a rollback would expire every object), and the owner of the session (the
        request, the worker's pass) rolls back and closes it at the end."""
        if exc_type is not None:
            self.rollback()

    def _forget(self) -> None:
        """The transaction ended: its locks are released, its counts and actions void."""
        self._state = {}  # a new dict: an after-commit action keeps the values it holds
        self.after_commit = []


class TransactionState(Generic[T]):
    """A value one feature keeps for the current transaction only (a set of locks taken,
    a cache valid under them), found through the session's unit of work."""

    __slots__ = ("factory",)

    def __init__(self, factory: Callable[[], T]):
        self.factory = factory

    def of(self, session: Session) -> T:
        """This transaction's value (made on first use)."""
        return of(session).state(self, self.factory)

    def peek(self, session: Session) -> T | None:
        """This transaction's value, or None when nothing made one."""
        return of(session).state(self)


@contextmanager
def collecting(
    session: Session, rows: TransactionState[list], write: Callable[[Session, list], None]
) -> Iterator[None]:
    """Inside: what a feature appends to `rows` (found with rows.peek) waits, and
    `write` stores it all at the end: one statement for a batch, not one per item. Inside
    another such block, the outer one writes."""
    if rows.peek(session) is not None:
        yield
        return
    waiting = rows.of(session)
    try:
        yield
    finally:
        of(session).drop_state(rows)
    write(session, waiting)


def autocommit_read(session: Session) -> None:
    """Let the coming statements commit one by one (PostgreSQL autocommit: no BEGIN and
    ROLLBACK round trips) when no transaction is open; `session.commit()` ends it.

    Only for statements that need no common snapshot or lock (at READ COMMITTED each
    statement has its own snapshot anyway): a signature check, a clock peek, a count.
    SQLite keeps its transactions (they cost no round trip there).
    """
    if session.get_bind().dialect.name == "postgresql" and not session.in_transaction():
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def is_transient(exc: Exception) -> bool:
    """A deadlock, a serialization failure (PostgreSQL) or a busy SQLite: safe to run again."""
    orig = getattr(exc, "orig", exc)
    return getattr(orig, "sqlstate", None) in TRANSIENT_STATES or "database is locked" in str(orig)


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
