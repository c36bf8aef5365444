"""What the public unsubscribe page does with a token: find its email, honour the click."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from service.domain import timeline
from service.domain.deliverability import suppressions, unsubscribe
from service.models import Email, Site


def email_for(session: Session, key: bytes, token: str) -> Email | None:
    """The email a valid token names, or None (forged, malformed or deleted alike)."""
    email_id = unsubscribe.read_token(key, token)
    return None if email_id is None else session.get(Email, email_id)


def sender_name(session: Session, email: Email) -> str:
    """The only thing the page says about whose list it is: the sender's name."""
    site = session.get(Site, email.site_id)
    return site.from_name or site.name


def confirm(session: Session, email: Email, now: datetime) -> None:
    """Suppress the address for the email's site (reason unsubscribe), stop its enrollments
    and record an `unsubscribed` event; a second click changes nothing."""
    site = session.get(Site, email.site_id)
    suppressions.unsubscribe(session, site, email.to_normalized, email.id, now)
    timeline.add(session, email, "unsubscribed", now, {"via": "link"}, key="unsubscribed")
