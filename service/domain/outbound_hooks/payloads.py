"""What an event says (docs/api.md §17): `{"type", "timestamp", "data"}` where `data` is
the object as the API shows it, and the one-line Slack summary of the same event."""

from __future__ import annotations

from datetime import datetime

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain.cards.fields import CARD_FIELDS
from service.models import Email, Opportunity, Site

EMAIL_FIELDS = (
    "id",
    "opportunity_id",
    "to_email",
    "subject",
    "status",
    "send_state",
    "sequence_id",
    "step",
    "sent_at",
    "bounced_at",
    "replied_at",
)
CHUNK = 500  # ids per IN (...) when an import announces thousands of cards


def plain(value):
    return value.isoformat() if isinstance(value, datetime) else value


def _fields(row, names) -> dict:
    return {name: plain(getattr(row, name, None)) for name in names}


def cards(session: Session, ids) -> list[dict]:
    """The cards as GET /opportunities/{id} shows their fields, in id order."""
    ids = sorted(set(ids))
    found = []
    for i in range(0, len(ids), CHUNK):
        query = select(Opportunity).where(Opportunity.id.in_(ids[i : i + CHUNK]))
        found += [_fields(c, CARD_FIELDS) for c in session.scalars(query.order_by(Opportunity.id))]
    return found


def email(session: Session, email_id: int) -> dict:
    return _fields(session.get(Email, email_id), EMAIL_FIELDS)


def reply(session: Session, ev) -> dict:
    """The reply as the event knows it (its text is kept just after the event)."""
    found = session.get(Email, ev.email_id)
    return {
        "email_id": ev.email_id,
        "opportunity_id": ev.card_id,
        "from": ev.sender,
        "subject": ev.subject,
        "received_at": plain(found.replied_at) if found is not None else None,
        "source": ev.source,
    }


def body(event_type: str, at: datetime, data: dict) -> str:
    """The JSON body every attempt sends as is (the signature covers these bytes)."""
    document = {"type": event_type, "timestamp": at.isoformat(), "data": data}
    return orjson.dumps(document).decode()


def card_link(site: Site, card_id: int) -> str:
    """The card opened in wp-admin (the bridge opens its detail panel on `card=`)."""
    return f"{site.url.rstrip('/')}/wp-admin/admin.php?page=almaseo-outreach&card={card_id}"


SUMMARIES = {
    "opportunity.created": "New opportunity: {page}",
    "opportunity.moved": "Opportunity moved to {status}: {page}",
    "email.sent": "Email sent to {to}: \u201c{subject}\u201d",
    "email.bounced": "Email to {to} bounced",
    "reply.received": "Reply received from {sender}",
    "link.won": "Link won: {page}",
    "link.lost": "Link lost: {page}",
    "suppression.added": "Added to do-not-contact: {value} ({reason})",
    "site.paused": "Sending paused: {reason}",
    "ping": "Test notification from AlmaSEO Outreach",
}
STATUS_NAMES = {"new": "New", "queued": "Queued", "reached": "Reached", "won": "Won"}


def _card_id(event_type: str, data: dict) -> int | None:
    if event_type.startswith(("opportunity.", "link.")):
        return data.get("id")
    return data.get("opportunity_id")


def slack_text(site: Site, document: dict) -> str:
    """One line a person reads in a channel, with a link to the card when there is one."""
    kind, data = document["type"], document.get("data") or {}
    values = {
        "page": data.get("source_url") or data.get("domain") or "",
        "status": STATUS_NAMES.get(data.get("status"), data.get("status")),
        "to": data.get("to_email"),
        "subject": data.get("subject"),
        "sender": data.get("from") or "a prospect",
        "value": data.get("value"),
        "reason": data.get("reason"),
    }
    text = SUMMARIES.get(kind, kind).format(**values)
    text = " ".join(text.replace("<", "\u2039").replace(">", "\u203a").split())
    card_id = _card_id(kind, data)
    if card_id:
        text += f" <{card_link(site, card_id)}|Open card>"
    return f"[{site.name}] {text}"
