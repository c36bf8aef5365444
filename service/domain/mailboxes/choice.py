"""Which mailbox sends an email (docs/api.md §15), decided under the site lock when the
email is reserved, so racing sends cannot pass a mailbox's cap.

The site's channel: `sending_channel` ("sendgrid" | "mailboxes"); unset, SendGrid when the
service has SENDGRID_API_KEY, else the site's mailboxes when it has one. With mailboxes, a
card keeps the mailbox that first wrote to it (follow-ups and manual sends come from the
same person); a new conversation takes the active mailbox with the most room left today.
No room: LimitExceeded "mailboxes" with retry_at (the next UTC midnight for caps).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain.errors import LimitExceeded
from service.domain.mailboxes import caps
from service.models import Email, Mailbox, Opportunity, Site


class ChannelDefault:
    """Whether SendGrid is this process's configured provider (set by the app factory):
    it decides the channel of a site that never chose one."""

    sendgrid = False


def uses_mailboxes(session: Session, site: Site) -> bool:
    if site.sending_channel:
        return site.sending_channel == "mailboxes"
    if ChannelDefault.sendgrid:
        return False
    return session.scalar(select(Mailbox.id).where(Mailbox.site_id == site.id).limit(1)) is not None


def choose(session: Session, site: Site, card: Opportunity, now: datetime) -> Mailbox | None:
    """The mailbox for the next email to `card` (None: the site sends through SendGrid);
    call under the site lock. Its first send starts the ramp."""
    if not uses_mailboxes(session, site):
        return None
    mailbox = _sticky(session, card) or _most_room(session, site, now)
    _check_room(session, mailbox, now)
    if mailbox.first_send_on is None:
        mailbox.first_send_on = caps.day_start(now).date()
    return mailbox


def would_choose(session: Session, site: Site, card: Opportunity | None, now) -> Mailbox | None:
    """The mailbox `choose` would pick now, read only (a preview's sender): no lock, no
    ramp started, no refusal; None for SendGrid or when no mailbox is active."""
    if not uses_mailboxes(session, site):
        return None
    sticky = _sticky(session, card) if card is not None else None
    if sticky is not None:
        return sticky
    try:
        return _most_room(session, site, now)
    except LimitExceeded:
        return None


def _sticky(session: Session, card: Opportunity) -> Mailbox | None:
    """The mailbox that wrote to this card first (if it still exists)."""
    first = session.scalar(
        select(Email.mailbox_id)
        .where(Email.opportunity_id == card.id, Email.mailbox_id.is_not(None))
        .order_by(Email.id)
        .limit(1)
    )
    return session.get(Mailbox, first) if first is not None else None


def _most_room(session: Session, site: Site, now: datetime) -> Mailbox:
    active = list(
        session.scalars(
            select(Mailbox)
            .where(Mailbox.site_id == site.id, Mailbox.status == "active")
            .order_by(Mailbox.id)
        )
    )
    if not active:
        raise LimitExceeded(
            "No active mailbox can send: add one, or resume or fix one.", "mailboxes", None, None
        )
    counts = caps.sent_today(session, [m.id for m in active], now)
    return max(active, key=lambda m: (caps.cap_today(m, now) - counts[m.id], -m.id))


def _check_room(session: Session, mailbox: Mailbox, now: datetime) -> None:
    if mailbox.status != "active":
        message = f"The mailbox {mailbox.email} that writes to this prospect is {mailbox.status}."
        raise LimitExceeded(message, "mailboxes", None, None)
    used = caps.sent_today(session, [mailbox.id], now)[mailbox.id]
    if used >= caps.cap_today(mailbox, now):
        retry_at = caps.next_day(now)
        message = f"The mailbox {mailbox.email} has sent its {used} emails for today."
        retry_after = max(1, int((retry_at - now).total_seconds()))
        raise LimitExceeded(message, "mailboxes", retry_at, retry_after)
