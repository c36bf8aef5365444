"""A mailbox send the SMTP server refused for good (5xx to the recipient or the message,
docs/api.md §15): bounced at once, as a SendGrid bounce report would make it. Nothing went
out, so the slot is freed (send_state failed); the email shows `bounced`, the address goes
on the do-not-contact list (reason bounced) and what it covers stops."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from service.domain import events, timeline
from service.domain.deliverability import suppressions
from service.models import Email


def record(session: Session, email: Email, message: str, now: datetime) -> None:
    """Call with the email row locked (send_path.lock_email)."""
    email.send_state, email.error, email.bounced_at = "failed", message, now
    timeline.refresh_status(email)
    timeline.add(session, email, "bounce", now, {"error": message}, key="bounce")
    suppressions.list_bounced(session, email, now)
    events.publish_about(session, events.EmailBounced, email)
    session.flush()
