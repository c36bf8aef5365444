"""Bulk SQL and the few statements that differ per dialect (SQLite, PostgreSQL), in one place.

Everything else is portable SQLAlchemy; a new dialect-specific statement belongs here.
"""

from __future__ import annotations

import functools

import orjson
from sqlalchemy import (
    ARRAY,
    JSON,
    Text,
    any_,
    bindparam,
    cast,
    column,
    func,
    insert,
    literal,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from service.db.engine import UTCDateTime


def is_postgresql(bind) -> bool:
    """True when a session, connection or engine talks to PostgreSQL."""
    engine = bind.get_bind() if isinstance(bind, Session) else bind
    return engine.dialect.name == "postgresql"


def skip_locked(query, session: Session):
    """FOR UPDATE SKIP LOCKED on PostgreSQL (racing workers take disjoint rows); SQLite
    serialises writers with BEGIN IMMEDIATE, so the query stays as it is."""
    return query.with_for_update(skip_locked=True) if is_postgresql(session) else query


def dialect_insert(session: Session, model):
    """INSERT that can skip conflicting rows on this backend (ON CONFLICT DO NOTHING)."""
    return postgresql.insert(model) if is_postgresql(session) else sqlite.insert(model)


def insert_ignore(session: Session, model, rows: list[dict], returning=()) -> list:
    """Insert rows, skipping those violating a unique constraint; returns the inserted.

    One executemany of a cached statement: SQLAlchemy's "insertmanyvalues" batches it into
    multi-row INSERT ... RETURNING on psycopg 3 and SQLite, without compiling a fresh
    statement per chunk (which cost ~60 % of a webhook batch).
    """
    if not rows:
        return []
    postgres = is_postgresql(session)
    if postgres and len(rows) > 1:
        return _insert_recordset(session, model.__table__, rows, returning)
    stmt = _ignoring_insert(postgres, model.__table__, tuple(c.key for c in returning))
    if returning:
        return session.execute(stmt, rows).all()
    session.execute(stmt, rows)
    return []


@functools.cache
def _ignoring_insert(postgres: bool, table, returning: tuple[str, ...]):
    """INSERT ... ON CONFLICT DO NOTHING [RETURNING], built once per table: Core, not the
    ORM's bulk path, and no statement or cache key built again for every event a send
    records (that was a tenth of a scheduler pass's CPU)."""
    stmt = (postgresql.insert(table) if postgres else sqlite.insert(table)).on_conflict_do_nothing()
    return stmt.returning(*(table.c[name] for name in returning)) if returning else stmt


def insert_ignore_logged(
    session: Session, model, rows: list[dict], log_model, log_row: dict, logged: tuple
) -> list[int]:
    """insert_ignore(), and one `log_model` row per inserted row: `log_row`'s values, the
    new id as `resource_id` and the inserted row's `logged` fields as `changes`; the ids.

    PostgreSQL: one statement, the log rows built by the server from what the INSERT
    returned (a data-modifying CTE); a CSV import no longer builds, sends and parses
    10,000 JSON objects of its audit trail. SQLite: the same rows by two statements.
    """
    table, log = model.__table__, log_model.__table__
    if not rows:
        return []
    if not (is_postgresql(session) and len(rows) > 1):
        found = insert_ignore(session, model, rows, (table.c.id, *(table.c[f] for f in logged)))
        insert_many(
            session,
            log_model,
            [
                {
                    **log_row,
                    "resource_id": str(row[0]),
                    "changes": dict(zip(logged, row[1:], strict=True)),
                }
                for row in found
            ],
        )
        return [row[0] for row in found]
    names = list(rows[0])
    _, columns = recordset(session, table, rows, names)
    created = (
        postgresql.insert(table)
        .from_select(names, select(*columns))
        .on_conflict_do_nothing()
        .returning(table.c.id, *(table.c[f] for f in logged))
        .cte("created")
    )
    changes = func.json_build_object(*(v for f in logged for v in (literal(f), created.c[f])))
    values = [
        bindparam(f"log_{name}", value, type_=log.c[name].type) for name, value in log_row.items()
    ]
    stmt = (
        postgresql.insert(log)
        .from_select(
            [*log_row, "resource_id", "changes"],
            select(*values, cast(created.c.id, Text), changes),
        )
        .returning(log.c.resource_id)
    )
    return [int(row[0]) for row in session.execute(stmt)]


def one_of(session: Session, column, values: list):
    """`column IN values` for thousands of values: one array parameter on PostgreSQL.

    An IN list of 5,000 parameters cost ~130 ms of parsing and planning per import slice
    on PostgreSQL; `= ANY(:array)` is one parameter. SQLite keeps the IN list.
    """
    return _one_of(is_postgresql(session), column, "one_of_values", list(values))


def one_of_param(postgresql_: bool, column, name: str):
    """one_of() with the values left to a parameter `name`: for statements built once."""
    return _one_of(postgresql_, column, name, None)


def _one_of(postgresql_: bool, column, name: str, values):
    if postgresql_:
        return column == any_(bindparam(name, values, type_=ARRAY(column.type)))
    return column.in_(bindparam(name, values, expanding=True))


def insert_many(session: Session, model, rows: list[dict]) -> None:
    """Insert rows that cannot conflict (log rows): one statement on PostgreSQL.

    psycopg pipelines a plain executemany as one INSERT per row: 10,000 audit or change
    log rows of a CSV import were ~40 % of its time; json_to_recordset makes them one.
    """
    if not rows:
        return
    if is_postgresql(session) and len(rows) > 1:
        _insert_recordset(session, model.__table__, rows, (), ignore=False)
    else:
        session.execute(insert(model.__table__), rows)


def recordset(session: Session, table, rows: list[dict], names: list[str]):
    """FROM json_to_recordset(one JSON text parameter) AS u(typed columns) (PostgreSQL).

    Many rows in one short statement with a single parameter: psycopg caches its parsing
    (a 500-row VALUES list is re-parsed in Python every time, ~2/3 of a batch), and one
    json.dumps (C) replaces thousands of per-value adaptations.
    """
    return typed_recordset(session, rows, {n: table.c[n].type for n in names})


def typed_recordset(session: Session, rows: list[dict], types: dict):
    """recordset() with the columns' types given ({name: type}): for rows that carry more
    than one table's columns (a guarded UPDATE's old and new values)."""
    dialect = session.get_bind().dialect
    cols = [column(n, t) for n, t in types.items()]
    stamps = {n: t.bind_processor(dialect) for n, t in types.items() if isinstance(t, UTCDateTime)}
    # Only datetimes need converting (keys the column list does not name are ignored by
    # json_to_recordset); a batch shares a few instants, each converted once.
    memo: dict = {}
    data = rows if not stamps else [{**r, **_stamped(r, stamps, memo)} for r in rows]
    text = orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS).decode()
    param = cast(bindparam("recordset_rows", text, type_=Text), JSON)
    source = (
        func.json_to_recordset(param).table_valued(*cols).render_derived(name="u", with_types=True)
    )
    return source, [source.c[n] for n in types]


def _stamped(row: dict, stamps: dict, memo: dict) -> dict:
    """The row's datetimes as naive-UTC ISO text (what UTCDateTime stores)."""
    out = {}
    for name, binder in stamps.items():
        value = row.get(name)
        if value is not None and value not in memo:
            memo[value] = binder(value).isoformat()
        out[name] = None if value is None else memo[value]
    return out


def _insert_recordset(session: Session, table, rows: list[dict], returning, ignore=True) -> list:
    """PostgreSQL: INSERT ... SELECT FROM json_to_recordset(...) [ON CONFLICT DO NOTHING]."""
    names = list(rows[0])
    _, columns = recordset(session, table, rows, names)
    stmt = postgresql.insert(table).from_select(names, select(*columns))
    if ignore:
        stmt = stmt.on_conflict_do_nothing()
    if returning:
        return session.execute(stmt.returning(*returning)).all()
    session.execute(stmt)
    return []
