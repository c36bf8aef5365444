"""Email timelines: stored events, first-time stamps and the monotonic status; and the
emails of a site read back with their story (events and replies).

Everything here is order-independent: applying the same events in any order, any number
of times, gives the same email row (stamps keep the earliest time, status is derived).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db import unit_of_work
from service.db.bulk import insert_ignore
from service.db.unit_of_work import TransactionState
from service.domain.errors import require
from service.models import Email, EmailEvent, Mailbox, Reply, Site
from service.models.email import STATUS_RANK

# Which first-time stamp each event kind sets (opens only when a person opened it).
STAMPS = {
    "delivered": "delivered_at",
    "open": "opened_at",
    "click": "clicked_at",
    "bounce": "bounced_at",
    "dropped": "bounced_at",
    "replied": "replied_at",
}
STATUS_OF_STAMP = (
    ("replied_at", "replied"),
    ("clicked_at", "clicked"),
    ("opened_at", "opened"),
    ("delivered_at", "delivered"),
)
STATUS_INPUTS = ("bounced_at", "send_state", *(col for col, _ in STATUS_OF_STAMP))
# Events a batch of sends stores together, in one INSERT at its end (adding_once).
EVENTS_TO_ADD: TransactionState[list[dict]] = TransactionState(list)


def event_key(kind: str, at: datetime, url: str | None = None, extra: str = "") -> str:
    """Fallback identity of an event (duplicates may carry a fresh sg_event_id)."""
    raw = f"{kind}\n{int(at.timestamp())}\n{url or ''}\n{extra}"
    return hashlib.sha256(raw.encode()).hexdigest()


def event_row(
    site_id: int,
    email_id: int,
    kind: str,
    at: datetime,
    now: datetime,
    detail: dict | None,
    key: str,
    sg_event_id: str | None = None,
    machine_open: bool = False,
) -> dict:
    """An email_events row as a plain dict (for set-based inserts)."""
    return {
        "site_id": site_id,
        "email_id": email_id,
        "type": kind,
        "occurred_at": at,
        "received_at": now,
        "machine_open": machine_open,
        "sg_event_id": sg_event_id,
        "event_key": key[:64],
        "detail": detail or None,
    }


def add(
    session: Session,
    email: Email,
    kind: str,
    at: datetime,
    detail: dict | None,
    key: str,
    now: datetime | None = None,
) -> bool:
    """Store one event unless it is already stored; True when it is new."""
    got = insert_ignore(
        session,
        EmailEvent,
        [event_row(email.site_id, email.id, kind, at, now or at, detail, key)],
        returning=(EmailEvent.id,),
    )
    return bool(got)


def add_soon(
    session: Session, email: Email, kind: str, at: datetime, detail: dict | None, key: str
) -> None:
    """add(), for a caller that needs no answer: inside adding_once(), stored with the
    batch's other events (the same row, the same skip of a stored one), else at once."""
    later = EVENTS_TO_ADD.peek(session)
    if later is None:
        add(session, email, kind, at, detail, key)
    else:
        later.append(event_row(email.site_id, email.id, kind, at, at, detail, key))


def adding_once(session: Session):
    """Inside: add_soon() events wait, and go in one INSERT ... ON CONFLICT DO NOTHING at
    the end (a chunk of steps: one statement, not one per step)."""
    return unit_of_work.collecting(session, EVENTS_TO_ADD, _insert_events)


def _insert_events(session: Session, rows: list[dict]) -> None:
    insert_ignore(session, EmailEvent, rows)


class Columns:
    """An Email object seen as the column mapping apply_event() works on."""

    __slots__ = ("email",)

    def __init__(self, email: Email):
        self.email = email

    def __getitem__(self, name: str):
        return getattr(self.email, name)

    def __setitem__(self, name: str, value) -> None:
        setattr(self.email, name, value)


def apply_event(values, kind: str, at: datetime, machine_open: bool = False) -> bool:
    """One event's effect on an email's columns (a dict, or Columns(email)).

    Any event proves SendGrid accepted a send that ended `unknown`; a first-time stamp
    keeps the earliest time (opens only when a person opened it). True when it proved
    such a send (the card then counts it: counters.confirm_sent). Status is derived after.
    """
    confirmed = values["send_state"] == "unknown"
    if confirmed:
        values["send_state"], values["error"] = "sent", None
        values["sent_at"] = values["sent_at"] or values["created_at"]
    column = STAMPS.get(kind)
    if (
        column
        and not (kind == "open" and machine_open)
        and (values[column] is None or at < values[column])
    ):
        values[column] = at
    return confirmed


def derive_status(values) -> str | None:
    """Status = the furthest stage reached; a bounce overrides everything (any mapping)."""
    if values["bounced_at"] is not None:
        status = "bounced"
    else:
        status = next(
            (s for col, s in STATUS_OF_STAMP if values[col] is not None),
            "sent" if values["send_state"] == "sent" else None,
        )
    assert status is None or status == "bounced" or status in STATUS_RANK
    return status


def refresh_status(email: Email) -> str | None:
    """Set an Email object's status from its stamps."""
    email.status = derive_status({c: getattr(email, c) for c in STATUS_INPUTS})
    return email.status


def get_email(session: Session, site: Site, email_id: int) -> Email:
    """An email of this site, or NotFound (another site's id looks the same)."""
    return require(
        session.scalar(select(Email).where(Email.id == email_id, Email.site_id == site.id)), "Email"
    )


def emails_of(session: Session, opportunity_id: int) -> list[Email]:
    """Every email sent for a card, newest first."""
    return list(
        session.scalars(
            select(Email)
            .where(Email.opportunity_id == opportunity_id)
            .order_by(Email.created_at.desc(), Email.id.desc())
        )
    )


def with_history(session: Session, emails: list[Email]) -> list[Email]:
    """The emails, each with its `events`, `replies` and `mailbox_email` (three queries
    for all)."""
    events, replies = history(session, emails), replies_to(session, emails)
    senders = mailbox_addresses(session, emails)
    for email in emails:
        email.events, email.replies = events[email.id], replies[email.id]
        email.mailbox_email = senders.get(email.mailbox_id)
    return emails


def mailbox_addresses(session: Session, emails: list[Email]) -> dict[int, str]:
    """The address of each mailbox these emails went through (docs/api.md §15), by id: a
    card's history shows who writes to the prospect."""
    ids = {e.mailbox_id for e in emails if e.mailbox_id is not None}
    if not ids:
        return {}
    rows = session.execute(select(Mailbox.id, Mailbox.email).where(Mailbox.id.in_(ids)))
    return {mailbox_id: email for mailbox_id, email in rows}


def replies_to(session: Session, emails: list[Email]) -> dict[int, list[Reply]]:
    """Each email's replies, oldest first (one query for all)."""
    found: dict[int, list[Reply]] = {e.id: [] for e in emails}
    if found:
        for reply in session.scalars(
            select(Reply)
            .where(Reply.email_id.in_(list(found)))
            .order_by(Reply.received_at, Reply.id)
        ):
            found[reply.email_id].append(reply)
    return found


def history(session: Session, emails: list[Email]) -> dict[int, list[dict]]:
    """{email_id: [{type, at, detail}]} oldest first, for many emails in one query."""
    found: dict[int, list[dict]] = {e.id: [] for e in emails}
    if not found:
        return found
    for ev in session.scalars(
        select(EmailEvent)
        .where(EmailEvent.email_id.in_(list(found)))
        .order_by(EmailEvent.occurred_at, EmailEvent.id)
    ):
        detail = dict(ev.detail or {})
        if ev.machine_open:
            detail["machine_open"] = True
        found[ev.email_id].append({"type": ev.type, "at": ev.occurred_at, "detail": detail})
    return found
