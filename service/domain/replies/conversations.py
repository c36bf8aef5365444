"""Replies kept readable: stored once per inbound mail, read and unread per card."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from service.db.bulk import insert_ignore
from service.domain import inbound_mail
from service.domain.errors import require
from service.domain.opportunities import changes
from service.models import Email, Opportunity, Reply, Site


def store(session: Session, email: Email, fields: dict, key: str, now: datetime) -> bool:
    """Keep the reply (once per key) and count it unread on the card; False if seen before."""
    site = session.get(Site, email.site_id)
    text = inbound_mail.full_text(fields)
    values = {
        "site_id": email.site_id,
        "email_id": email.id,
        "opportunity_id": email.opportunity_id,
        "reply_key": key,
        "from_address": (fields.get("from") or "")[:320],
        "subject": (fields.get("subject") or "")[:998],
        "text": inbound_mail.new_part(text),
        "full_text": text,
        "received_at": now,
        "forward_state": "pending" if site.reply_forward_to else "none",
        "forward_attempts": 0,
        "forward_due_at": now if site.reply_forward_to else None,
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


def for_emails(session: Session, emails: list[Email]) -> dict[int, list[Reply]]:
    """Each email's replies, oldest first (one query for all)."""
    found: dict[int, list[Reply]] = defaultdict(list)
    ids = [e.id for e in emails]
    if ids:
        rows = session.scalars(
            select(Reply).where(Reply.email_id.in_(ids)).order_by(Reply.received_at, Reply.id)
        )
        for reply in rows:
            found[reply.email_id].append(reply)
    return found


def unread_count(session: Session, site: Site) -> int:
    """Unread replies on the site's live cards (the dashboard's count)."""
    return int(
        session.scalar(
            select(func.coalesce(func.sum(Opportunity.unread_replies), 0)).where(
                Opportunity.site_id == site.id, Opportunity.deleted_at.is_(None)
            )
        )
    )
