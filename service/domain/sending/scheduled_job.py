"""The `scheduled-sends` job kind: due scheduled emails, each sent exactly once.

claim leases due rows (SKIP LOCKED on PostgreSQL); prepare re-reads each under a row
lock and, only while it is still "scheduled", reserves it under the limits and flips it
to "pending" (committed before SendGrid is called). A row that left "scheduled" is never
claimed again, so two schedulers or a crash cannot send it twice: a process killed after
the flip leaves a pending row that the stale-sends kind (stale_job.py) marks unknown.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from service.db.leases import lease_due
from service.domain import timeline
from service.domain.errors import Invalid, LimitExceeded
from service.domain.jobs import JobKind
from service.domain.mailboxes import choice
from service.domain.ports import MailPort
from service.domain.sending import limits, pacing, scheduled
from service.domain.sending.send_path import Send, record_sends
from service.models import Email, Opportunity, Site


def _claimable(now: datetime):
    return (
        Email.send_state == "scheduled",
        Email.scheduled_for <= now,
        or_(Email.lease_until.is_(None), Email.lease_until < now),
    )


def claim(
    session: Session, owner: str, now: datetime, lease: timedelta, batch: int
) -> list[tuple[int, datetime]]:
    """Lease up to `batch` due scheduled emails: (id, scheduled_for), oldest first."""
    stamp = {"lease_until": now + lease}
    return lease_due(session, Email, Email.scheduled_for, _claimable(now), stamp, batch)


def release(session: Session, ids: list[int], owner: str) -> None:
    """Give back leases never worked on (a stopping worker)."""
    session.execute(
        update(Email)
        .where(Email.id.in_(ids), Email.send_state == "scheduled")
        .values(lease_until=None)
    )


def prepare(
    session: Session, ids: list[int], owner: str, now: datetime, lease, mail: MailPort
) -> tuple[list[Send], Counter]:
    """Reserve each still-scheduled email under the limits (the caller commits)."""
    jobs, counts = [], Counter()
    emails = session.scalars(
        select(Email)
        .where(Email.id.in_(ids))
        .order_by(Email.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    counts["skipped"] = len(ids) - len(emails)
    for email in emails:
        outcome = _reserve(session, email, now, mail)
        if outcome != "skipped":
            scheduled.refresh_next_send(session, email.opportunity_id)
        if isinstance(outcome, Send):
            jobs.append(outcome)
        else:
            counts[outcome] += 1
    return jobs, +counts


def _reserve(session: Session, email: Email, now: datetime, mail: MailPort) -> Send | str:
    """Flip one due email to pending under the limits, or say why not (postponed...)."""
    if email.send_state != "scheduled":
        return "skipped"  # sent or cancelled meanwhile
    site = session.get(Site, email.site_id)
    if session.get(Opportunity, email.opportunity_id).deleted_at is not None:
        return _drop(session, email, now, "The card was deleted before the email was due.")
    go_at = scheduled.may_go_at(session, site, email, now)
    if go_at > now:
        return _postpone(session, email, go_at, now, "Not yet allowed to go.")
    try:
        limits.lock_site(session, site)
        limits.check(session, site, email.to_email, now, email.opportunity_id)
        pacing.check(session, site, now, spaced=True)
        card = session.get(Opportunity, email.opportunity_id)
        mailbox = choice.choose(session, site, card, now)
    except LimitExceeded as exc:
        # A pause has no end of its own: look again a little later (resume is by hand).
        return _postpone(
            session, email, exc.retry_at or now + limits.PAUSED_RECHECK, now, exc.message
        )
    except Invalid as exc:
        return _drop(session, email, now, exc.message)
    email.send_state, email.created_at, email.lease_until = "pending", now, None
    email.mailbox_id = mailbox.id if mailbox is not None else None
    session.flush()
    limits.note_reserved(session, site)
    return Send.of(site, email, mail)


def _postpone(session: Session, email: Email, retry_at, now: datetime, why: str) -> str:
    """A limit (or the window) holds it: due again at retry_at, never earlier."""
    email.scheduled_for, email.lease_until = retry_at, None
    key = f"postponed:{retry_at.isoformat()}"[:64]
    timeline.add(session, email, "postponed", now, {"until": retry_at.isoformat(), "why": why}, key)
    return "postponed"


def _drop(session: Session, email: Email, now: datetime, why: str) -> str:
    """It can never go (suppressed, card deleted): failed, with the reason."""
    email.send_state, email.error, email.lease_until = "failed", why, None
    timeline.add(session, email, "failed", now, {"error": why}, key="failed")
    return "refused"


def kind(runtime) -> JobKind:
    """Scheduled sends: each due email once, under the limits (postponed by them)."""
    return JobKind(
        name="scheduled-sends",
        claim=claim,
        prepare=lambda *args: prepare(*args, mail=runtime.mailer),
        call=Send.call,
        record=lambda session, sends, _owner, now: record_sends(session, sends, now),
        release=release,
        describe=lambda send: f"scheduled email {send.email_id}",
    )
