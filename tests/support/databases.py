"""Throwaway databases: a SQLite file or a fresh PostgreSQL database per test session."""

from __future__ import annotations

import os
import secrets
import tempfile

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from service.migrate import upgrade

PG_ADMIN_URL = os.environ.get(
    "OUTREACH_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def backend() -> str:
    """Which backend this test run targets: OUTREACH_TEST_DB=sqlite|postgres."""
    return os.environ.get("OUTREACH_TEST_DB", "sqlite")


def empty_postgres_database() -> str:
    """Create an empty PostgreSQL database (no schema); return its URL."""
    name = "outreach_t_" + secrets.token_hex(6)
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def create_database(kind: str | None = None) -> str:
    """Create and migrate an empty database; return its URL."""
    kind = kind or backend()
    if kind == "postgres":
        url = empty_postgres_database()
    else:
        folder = tempfile.mkdtemp(prefix="outreach-test-")
        url = f"sqlite:///{folder}/test.sqlite3"
    upgrade(url)
    return url


def drop_database(url: str) -> None:
    """Remove a database made by create_database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


def wipe(engine) -> None:
    """Empty every table (between tests), children first."""
    from service.db import Base

    tables = list(reversed(Base.metadata.sorted_tables))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())
