"""Scheduled sends (docs/api.md, conversations): an email stored for later, sent when due.

A scheduled email is a row with send_state "scheduled" and scheduled_for; it holds no
limit slot until it is due. The job kind (scheduled_job.py) then reserves it under
the limits exactly as a manual send would, flipping it to "pending" in a committed
transaction before SendGrid is called: a row that left "scheduled" is never sent again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from service.domain import audit, timeline
from service.domain.cards import changes
from service.domain.cards.board import append_to, lock_board
from service.domain.deliverability import listing, windows
from service.domain.errors import Conflict, Invalid
from service.domain.sending import limits
from service.domain.sending.compose import new_email, refuse_missing
from service.domain.sending.send_path import lock_email
from service.domain.templates import rendering
from service.models import Email, Enrollment, Opportunity, Site

MAX_AHEAD = timedelta(days=365)


def may_go_at(session: Session, site: Site, email: Email, now: datetime) -> datetime:
    """When this scheduled email may go: its time, never earlier, moved to the site's next
    sending-window opening (spread over its first 30 minutes) when it falls outside."""
    return windows.next_send_time(site, max(email.scheduled_for, now), email.id)


def refresh_next_send(session: Session, opportunity_id: int) -> None:
    """The card's next_send_at = its earliest still-scheduled email (in SQL; board deltas)."""
    session.flush()
    earliest = (
        select(func.min(Email.scheduled_for))
        .where(Email.opportunity_id == opportunity_id, Email.send_state == "scheduled")
        .scalar_subquery()
    )
    session.execute(
        update(Opportunity)
        .where(Opportunity.id == opportunity_id)
        .values(next_send_at=earliest)
        .execution_options(synchronize_session=False)
    )
    opp = session.identity_map.get(identity_key(Opportunity, opportunity_id))
    if opp is not None:
        session.expire(opp, ["next_send_at"])
    changes.mark_cards(session, [opportunity_id])


def at_next_window(site: Site, now: datetime, spread_key: int) -> datetime | None:
    """The site's next sending-window opening (spread as steps are), or None while the
    window is open or off: then "at the next opening" means now."""
    go_at = windows.next_send_time(site, now, spread_key)
    return go_at if go_at > now else None


def queue_card(session: Session, site: Site, opp: Opportunity, actor: int, now: datetime):
    """A `new` card with an email waiting moves to Queued (the board lock, then re-read)."""
    if opp.status == "new":
        lock_board(session, site, opp)
        if opp.status == "new":
            append_to(session, site, opp, "queued", actor, now)


def check_send_at(send_at: datetime, now: datetime) -> None:
    """422 unless send_at is in the future and at most a year ahead."""
    if send_at <= now:
        raise Invalid(
            "send_at is in the past; give a future time, or leave it out to send now.",
            {"send_at": ["Must be in the future."]},
        )
    if send_at > now + MAX_AHEAD:
        raise Invalid(
            "send_at is more than a year ahead.", {"send_at": ["At most one year ahead."]}
        )


def schedule(
    session: Session,
    site: Site,
    opp: Opportunity,
    to: str,
    rendered: rendering.Rendered,
    *,
    template_id,
    actor: int,
    now: datetime,
    send_at: datetime,
) -> Email:
    """Store the email for later; a `new` card moves to Queued. Suppression is checked now
    (it never lifts); cooldown and the daily cap when it is due."""
    check_send_at(send_at, now)
    refuse_missing(rendered)
    limits.check_suppression(session, site, listing.normalize(to))
    email = new_email(
        site,
        opp,
        to,
        rendered,
        template_id=template_id,
        actor=actor,
        now=now,
        send_state="scheduled",
        scheduled_for=send_at,
    )
    session.add(email)
    queue_card(session, site, opp, actor, now)
    refresh_next_send(session, opp.id)
    timeline.add(session, email, "scheduled", now, {"send_at": send_at.isoformat()}, "scheduled")
    audit.log(
        session,
        site,
        actor,
        "email.schedule",
        "email",
        email.id,
        {"to": email.to_normalized, "opportunity_id": opp.id, "send_at": send_at.isoformat()},
        now,
    )
    return email


def cancel(session: Session, site: Site, email: Email, actor: int, now: datetime) -> None:
    """DELETE /emails/{id}: a scheduled email is cancelled; 409 once it left for sending.
    A Queued card with nothing else waiting (no other scheduled email, no step 1 in the
    queue) goes back to New."""
    opp = session.get(Opportunity, email.opportunity_id)
    lock_board(session, site, opp)  # before the email row (the lock order)
    lock_email(session, email)
    if email.send_state != "scheduled":
        raise Conflict(
            "This email is not waiting to be sent (it was sent, is being sent, or was "
            "cancelled), so it cannot be cancelled."
        )
    email.send_state = "cancelled"
    refresh_next_send(session, email.opportunity_id)
    unqueue_card(session, site, opp, actor, now)
    timeline.add(session, email, "cancelled", now, {"user": actor}, "cancelled")
    audit.log(session, site, actor, "email.cancel", "email", email.id, {}, now)
    session.flush()


def unqueue_card(session: Session, site: Site, opp: Opportunity, actor: int, now: datetime):
    """A Queued card with nothing waiting any more (a cancelled email, a sequence stopped
    before its step 1) goes back to New. Call it under lock_board(session, site, opp)."""
    if opp.status == "queued" and not _waiting(session, opp.id):
        append_to(session, site, opp, "new", actor, now)


def _waiting(session: Session, opportunity_id: int) -> bool:
    """Whether the card still has an email scheduled or a step 1 waiting in the queue."""
    email = select(Email.id).where(
        Email.opportunity_id == opportunity_id, Email.send_state == "scheduled"
    )
    step_one = select(Enrollment.id).where(
        Enrollment.opportunity_id == opportunity_id,
        Enrollment.status == "active",
        Enrollment.current_step == 0,
    )
    return session.scalar(email.union_all(step_one).limit(1)) is not None
