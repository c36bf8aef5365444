"""Engine and session factory: plain SQLAlchemy 2, no Flask."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, sessionmaker
from sqlalchemy.types import TypeDecorator

from service.files import private_file

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Tables whose rows are updated again and again in columns no index holds (an email by
# each of its events, a card by its counters): room left on each page lets PostgreSQL
# update a row in place (HOT) instead of adding an entry to every index. Migration 0021.
ROOM_FOR_UPDATES = {"postgresql_with": {"fillfactor": 80}}


class Base(DeclarativeBase):
    """Declarative base with stable constraint names for Alembic."""

    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, always returns aware UTC datetimes (SQLite keeps no offset)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def result_processor(self, dialect, coltype):
        """PostgreSQL: one function a value, not TypeDecorator's wrapper around the method
        above (psycopg already gives datetimes): every datetime the board, a webhook batch
        or a step reads goes through here (7 % of a 500-event batch's CPU)."""
        if dialect.name != "postgresql":
            return super().result_processor(dialect, coltype)

        def aware(value, utc=UTC):
            if value is None:
                return None
            return value.replace(tzinfo=utc) if value.tzinfo is None else value.astimezone(utc)

        return aware


def is_sqlite(url_or_engine) -> bool:
    """True for a SQLite URL or engine."""
    url = getattr(url_or_engine, "url", url_or_engine)
    return str(url).startswith("sqlite")


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine tuned for the backend (SQLite: WAL, busy timeout, real BEGIN)."""
    if is_sqlite(url):
        _private_database_file(url)
        engine = create_engine(
            url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs
        )
        _configure_sqlite(engine)
        return engine
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 20)
    engine = create_engine(url, **kwargs)
    _ping_idle_connections(engine)
    return engine


PING_AFTER_IDLE = 2.0  # seconds a pooled connection may rest before it is checked


def _ping_idle_connections(engine: Engine) -> None:
    """Pre-ping only connections that rested in the pool (a busy one just worked).

    pool_pre_ping costs a round trip on every checkout, a quarter of a small signed
    request. A connection killed while in use (the server restarted under load) fails
    its next statement instead; SQLAlchemy then invalidates the whole pool, so each
    process sees at most one such error (a JSON 503), and every rested connection is
    still checked before use.
    """

    @event.listens_for(engine, "connect")
    @event.listens_for(engine, "checkin")
    def _rested_since(_dbapi_conn, record):
        record.info["checked_in"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _check(dbapi_conn, record, _proxy):
        if time.monotonic() - record.info.get("checked_in", 0.0) < PING_AFTER_IDLE:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)  # outside any transaction, as pre_ping does
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError(str(exc)) from exc  # the pool retries a new one


def _private_database_file(url: str) -> None:
    """The SQLite file holds personal data and key secrets: 0600 from its creation on
    (SQLite gives its -wal and -shm files the database file's mode)."""
    database = make_url(url).database
    if (
        database
        and database != ":memory:"
        and not database.startswith("file:")
        and os.path.isdir(os.path.dirname(os.path.abspath(database)))
    ):
        private_file(database)


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling defers BEGIN; we take control and open every
    # transaction with BEGIN IMMEDIATE, so SQLite serialises writers up front: a
    # check-then-insert (limits, claims) can never hit SQLITE_BUSY_SNAPSHOT half-way.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()
        # SQLite's built-in lower() folds ASCII only; search must be case-insensitive for
        # "Über" as on PostgreSQL.
        dbapi_conn.create_function("lower", 1, _unicode_lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


def make_session_factory(engine: Engine) -> sessionmaker:
    """Sessions that keep loaded values after commit (responses serialise after commit)."""
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


def answers(engine: Engine) -> bool:
    """Whether the database answers a trivial query now (the readiness probe)."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:  # any driver error means "not ready"; details stay in the logs
        return False
    return True
