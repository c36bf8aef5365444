"""Email timelines: stored events, first-time stamps and the monotonic status.

Everything here is order-independent: applying the same events in any order, any number
of times, gives the same email row (stamps keep the earliest time, status is derived).
"""
from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from sqlalchemy import JSON, Text, bindparam, cast, column, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from service.db import UTCDateTime
from service.models import Email, EmailEvent, Opportunity
from service.models.email import STATUS_RANK

# Which first-time stamp each event kind sets (opens only when a person opened it).
STAMPS = {"delivered": "delivered_at", "open": "opened_at", "click": "clicked_at",
          "bounce": "bounced_at", "dropped": "bounced_at", "replied": "replied_at"}
STATUS_OF_STAMP = (("replied_at", "replied"), ("clicked_at", "clicked"),
                   ("opened_at", "opened"), ("delivered_at", "delivered"))
STATUS_INPUTS = ("bounced_at", "send_state", *(col for col, _ in STATUS_OF_STAMP))


def dialect_insert(session: Session, model):
    """INSERT that can skip conflicting rows on this backend (ON CONFLICT DO NOTHING)."""
    name = session.get_bind().dialect.name
    return (postgresql.insert(model) if name == "postgresql" else sqlite.insert(model))


def insert_ignore(session: Session, model, rows: list[dict], returning=()) -> list:
    """Insert rows, skipping those violating a unique constraint; returns the inserted.

    One executemany of a cached statement: SQLAlchemy's "insertmanyvalues" batches it into
    multi-row INSERT ... RETURNING on psycopg 3 and SQLite, without compiling a fresh
    statement per chunk (which cost ~60 % of a webhook batch).
    """
    if not rows:
        return []
    if session.get_bind().dialect.name == "postgresql" and len(rows) > 1:
        return _insert_recordset(session, model.__table__, rows, returning)
    stmt = dialect_insert(session, model.__table__).on_conflict_do_nothing()
    if returning:
        return session.execute(stmt.returning(*returning), rows).all()
    session.execute(stmt, rows)
    return []


def recordset(session: Session, table, rows: list[dict], names: list[str]):
    """FROM json_to_recordset(one JSON text parameter) AS u(typed columns) (PostgreSQL).

    Many rows in one short statement with a single parameter: psycopg caches its parsing
    (a 500-row VALUES list is re-parsed in Python every time, ~2/3 of a batch), and one
    json.dumps (C) replaces thousands of per-value adaptations.
    """
    dialect = session.get_bind().dialect
    cols = [column(n, table.c[n].type) for n in names]
    binders = {n: table.c[n].type.bind_processor(dialect)
               if isinstance(table.c[n].type, UTCDateTime) else None for n in names}
    data = [{n: _jsonable(r[n], binders[n]) for n in names} for r in rows]
    param = cast(bindparam("recordset_rows", json.dumps(data), type_=Text), JSON)
    source = func.json_to_recordset(param).table_valued(*cols).render_derived(
        name="u", with_types=True)
    return source, [source.c[n] for n in names]


def _jsonable(value, binder):
    """Datetimes as naive-UTC ISO text (what UTCDateTime stores); the rest as is."""
    if binder is not None and value is not None:
        return binder(value).isoformat()
    return value


def _insert_recordset(session: Session, table, rows: list[dict], returning) -> list:
    """PostgreSQL: INSERT ... SELECT FROM json_to_recordset(...) ON CONFLICT DO NOTHING."""
    names = list(rows[0])
    _, columns = recordset(session, table, rows, names)
    stmt = postgresql.insert(table).from_select(names, select(*columns))
    stmt = stmt.on_conflict_do_nothing()
    if returning:
        return session.execute(stmt.returning(*returning)).all()
    session.execute(stmt)
    return []

def event_key(kind: str, at: datetime, url: str | None = None, extra: str = "") -> str:
    """Fallback identity of an event (duplicates may carry a fresh sg_event_id)."""
    raw = f"{kind}\n{int(at.timestamp())}\n{url or ''}\n{extra}"
    return hashlib.sha256(raw.encode()).hexdigest()


def event_row(site_id: int, email_id: int, kind: str, at: datetime, now: datetime,
              detail: dict | None, key: str, sg_event_id: str | None = None,
              machine_open: bool = False) -> dict:
    """An email_events row as a plain dict (for set-based inserts)."""
    return {"site_id": site_id, "email_id": email_id, "type": kind, "occurred_at": at,
            "received_at": now, "machine_open": machine_open, "sg_event_id": sg_event_id,
            "event_key": key[:64], "detail": detail or None}


def row(email: Email, kind: str, at: datetime, now: datetime, detail: dict | None,
        key: str, sg_event_id: str | None = None, machine_open: bool = False) -> dict:
    """An email_events row for an Email object."""
    return event_row(email.site_id, email.id, kind, at, now, detail, key, sg_event_id,
                     machine_open)


def add(session: Session, email: Email, kind: str, at: datetime, detail: dict | None,
        key: str, now: datetime | None = None) -> bool:
    """Store one event unless it is already stored; True when it is new."""
    got = insert_ignore(session, EmailEvent, [row(email, kind, at, now or at, detail, key)],
                        returning=(EmailEvent.id,))
    return bool(got)


def stamp(email: Email, kind: str, at: datetime, machine_open: bool = False) -> bool:
    """Apply one event's first-time stamp; True when it changed the email."""
    column = STAMPS.get(kind)
    if column is None or (kind == "open" and machine_open):
        return False
    current = getattr(email, column)
    if current is not None and current <= at:
        return False
    setattr(email, column, at)
    return True


def derive_status(values) -> str | None:
    """Status = the furthest stage reached; a bounce overrides everything (any mapping)."""
    if values["bounced_at"] is not None:
        status = "bounced"
    else:
        status = next((s for col, s in STATUS_OF_STAMP if values[col] is not None),
                      "sent" if values["send_state"] == "sent" else None)
    assert status is None or status == "bounced" or status in STATUS_RANK
    return status


def refresh_status(email: Email) -> str | None:
    """Set an Email object's status from its stamps."""
    email.status = derive_status({c: getattr(email, c) for c in STATUS_INPUTS})
    return email.status


def refresh_cards(session: Session, opportunity_ids) -> None:
    """Each card's email_status = its latest accepted email's status (executemany UPDATE)."""
    ids = sorted(set(opportunity_ids))
    if not ids:
        return
    latest = (select(func.max(Email.id)).where(
        Email.opportunity_id.in_(ids), Email.send_state == "sent")
        .group_by(Email.opportunity_id))
    rows = session.execute(select(Opportunity.id, Opportunity.email_status, Email.status)
                           .join(Email, Email.opportunity_id == Opportunity.id)
                           .where(Email.id.in_(latest))).all()
    todo = [{"b_id": i, "email_status": new} for i, old, new in sorted(rows) if old != new]
    if not todo:
        return
    table = Opportunity.__table__
    session.execute(update(table).where(table.c.id == bindparam("b_id")), todo)
    for r in todo:
        obj = session.identity_map.get(identity_key(Opportunity, r["b_id"]))
        if obj is not None:
            session.expire(obj, ["email_status"])


def history(session: Session, emails: list[Email]) -> dict[int, list[dict]]:
    """{email_id: [{type, at, detail}]} oldest first, for many emails in one query."""
    found: dict[int, list[dict]] = {e.id: [] for e in emails}
    if not found:
        return found
    for ev in session.scalars(select(EmailEvent).where(EmailEvent.email_id.in_(list(found)))
                              .order_by(EmailEvent.occurred_at, EmailEvent.id)):
        detail = dict(ev.detail or {})
        if ev.machine_open:
            detail["machine_open"] = True
        found[ev.email_id].append({"type": ev.type, "at": ev.occurred_at, "detail": detail})
    return found


# ---- Webhook helpers (the batch itself is in webhook_batch.py) ----------------------

MAX_TS = 10_000_000_000  # seconds; anything beyond is not a SendGrid timestamp


def occurred_at(value) -> datetime | None:
    """SendGrid's Unix-seconds timestamp as an aware datetime (None when it is not one)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    if not 0 < seconds < MAX_TS:
        return None
    return datetime.fromtimestamp(int(seconds), UTC)


def confirm_accepted(session: Session, email: Email, now: datetime) -> None:
    """An event proves SendGrid accepted an email whose send ended 'unknown'."""
    if email.send_state != "unknown":
        return
    email.send_state = "sent"
    email.sent_at = email.sent_at or email.created_at
    email.error = None
    count_accepted(session, email.opportunity_id, email.sent_at)
    note_confirmed(session, email.site_id, email.opportunity_id)


def note_confirmed(session: Session, site_id: int, opportunity_id: int) -> None:
    """Remember a card whose email turned out to be sent: it moves to Reached after commit.

    Not in this transaction: it holds email row locks, and the board lock must come
    before row locks (sending.move_confirmed_cards takes it in a transaction of its own).
    """
    session.info.setdefault("confirmed_cards", set()).add((site_id, opportunity_id))


def count_accepted(session: Session, opportunity_id: int, sent_at: datetime) -> None:
    """One more accepted email on the card (in SQL: concurrent sends never lose one)."""
    opp = session.get(Opportunity, opportunity_id)
    opp.emails_sent = Opportunity.emails_sent + 1
    opp.last_emailed_at = max(filter(None, [opp.last_emailed_at, sent_at]))
