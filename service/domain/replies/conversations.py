"""Replies kept readable: stored once per inbound mail, read and unread per card."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from service.db.bulk import insert_ignore
from service.domain.cards import changes
from service.domain.errors import require
from service.domain.replies.reading import Reading
from service.models import Email, Opportunity, Reply, Site

# The kinds that are replies: they count, stop sequences and are forwarded (docs/api.md §16).
COUNTED_KINDS = ("human", "unsubscribe_request")


def store(
    session: Session, email: Email, fields: dict, reading: Reading, key: str, now: datetime
) -> bool:
    """Keep the reply (once per key) and count it unread on the card; False if seen before.

    Only what a person wrote is forwarded: an auto-reply or a bounce is kept and shown,
    but it is no reply (docs/api.md §16)."""
    site = session.get(Site, email.site_id)
    forward = bool(site.reply_forward_to) and reading.kind in COUNTED_KINDS
    values = {
        "site_id": email.site_id,
        "email_id": email.id,
        "opportunity_id": email.opportunity_id,
        "reply_key": key,
        "from_address": (fields.get("from") or "")[:320],
        "subject": (fields.get("subject") or "")[:998],
        "text": reading.text,
        "full_text": reading.full_text,
        "kind": reading.kind,
        "suggested_contacts": reading.suggested_contacts or None,
        "received_at": now,
        "forward_state": "pending" if forward else "none",
        "forward_attempts": 0,
        "forward_due_at": now if forward else None,
    }
    if not insert_ignore(session, Reply, [values], (Reply.__table__.c.id,)):
        return False
    _add_unread(session, email.opportunity_id, 1)
    return True


def _add_unread(session: Session, opportunity_id: int, delta: int) -> None:
    """In SQL, so concurrent replies and reads never lose a count; the board sees it."""
    session.execute(
        update(Opportunity)
        .where(Opportunity.id == opportunity_id)
        .values(unread_replies=Opportunity.unread_replies + delta)
        .execution_options(synchronize_session=False)
    )
    opp = session.identity_map.get(identity_key(Opportunity, opportunity_id))
    if opp is not None:
        session.expire(opp, ["unread_replies"])
    changes.mark_cards(session, [opportunity_id])


def get(session: Session, site: Site, reply_id: int) -> Reply:
    """A reply of this site, or NotFound (another site's id looks the same)."""
    return require(
        session.scalar(select(Reply).where(Reply.id == reply_id, Reply.site_id == site.id)),
        "Reply",
    )


def mark_read(session: Session, reply: Reply, now: datetime) -> Reply:
    """Read once: only the request that flips read_at takes one off the card's count."""
    flipped = session.execute(
        update(Reply)
        .where(Reply.id == reply.id, Reply.read_at.is_(None))
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if flipped:
        _add_unread(session, reply.opportunity_id, -1)
    session.refresh(reply)
    return reply


def set_label(session: Session, reply: Reply, label: str | None) -> Reply:
    """A person's label on the reply (docs/api.md §16); null clears it."""
    reply.label = label
    session.flush()
    return reply
