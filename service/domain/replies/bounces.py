"""A bounce that arrives as a message (a DSN, a mailer-daemon text) applies the bounce rules
of the Event Webhook (docs/deliverability.md, docs/api.md §16): a hard bounce stamps the
email `bounced`, lists the address, stops its sequences and counts for the brake; a soft
one is only recorded (`deferred`)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain import events, timeline
from service.domain.cards import counters
from service.domain.deliverability import brake, listing, suppressions
from service.domain.sequences import stop_rules
from service.models import Email

if TYPE_CHECKING:  # reading the bounce loads the rules (service/domain/replies/rules.py)
    from service.domain import reply_reading


def match(session: Session, bounce: reply_reading.Bounce | None) -> Email | None:
    """The email a bounce names by our Message-ID, when it bounced at that email's recipient
    (a Message-ID is no secret: the recipient must match too)."""
    if bounce is None or not bounce.original_message_id or not bounce.recipient:
        return None
    message_id = bounce.original_message_id[:300]
    candidates = session.scalars(
        select(Email)
        .where(
            (Email.smtp_id == f"<{message_id}>") | (Email.message_id == message_id.split("@", 1)[0])
        )
        .order_by(Email.id.desc())
        .limit(10)
    ).all()
    recipient = listing.normalize(bounce.recipient)
    return next((e for e in candidates if e.to_normalized == recipient), None)


def record(
    session: Session,
    email: Email,
    bounce: reply_reading.Bounce | None,
    detail: dict,
    key: str,
    now: datetime,
) -> bool:
    """Apply the bounce once (per key); True when it is new. A report about another address
    than the email's recipient is kept as a reply and changes nothing else."""
    ours = bounce is not None and listing.normalize(bounce.recipient or "") == email.to_normalized
    hard = ours and bounce.severity == "hard"
    if ours:
        detail = {**detail, "status": bounce.status, "reason": (bounce.diagnostic or "")[:500]}
    kind = "bounce" if hard else "deferred" if ours else "bounce_report"
    if not timeline.add(session, email, kind, now, detail, key, now=now):
        return False
    if hard:
        _apply_hard(session, email, now)
    return True


def _apply_hard(session: Session, email: Email, now: datetime) -> None:
    session.refresh(email, with_for_update=True)  # a webhook may be stamping it right now
    first = email.bounced_at is None
    if timeline.apply_event(timeline.Columns(email), "bounce", now):
        counters.confirm_sent(
            session, email.site_id, email.id, email.opportunity_id, email.sent_at, now
        )
    timeline.refresh_status(email)
    session.flush()
    stop_rules.on_engagement(session, email, "bounce", now)  # first: stopped as "bounce"
    suppressions.list_bounced(session, email, now)
    counters.refresh_cards(session, [email.opportunity_id])
    brake.judge(session, [email.site_id], now)
    if first:
        events.publish_about(session, events.EmailBounced, email)
