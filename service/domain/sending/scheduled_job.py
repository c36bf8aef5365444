"""The scheduler's `scheduled-sends` job kind: due scheduled emails, each sent exactly once.

claim leases due rows (SKIP LOCKED on PostgreSQL); prepare re-reads each under a row
lock and, only while it is still "scheduled", reserves it under the limits and flips it
to "pending" (committed before SendGrid is called). A row that left "scheduled" is never
claimed again, so two schedulers or a crash cannot send it twice: a process killed after
the flip leaves a pending row that sending.resolve_stale_manual marks unknown.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from service.db.leases import lease_due
from service.domain import limits, scheduled_sends, sending, timeline
from service.domain.errors import Invalid, LimitExceeded, UpstreamRefused
from service.domain.mail import Mailer, OutgoingMail
from service.models import Email, Opportunity, Site


@dataclass
class ScheduledJob:
    """One reserved scheduled email on its way (the message is plain data)."""

    email: Email
    site: Site
    mail: OutgoingMail
    email_id: int
    result: sending.HandOver | None = None


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
    session: Session, ids: list[int], owner: str, now: datetime, lease, reply_domain
) -> tuple[list[ScheduledJob], Counter]:
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
        outcome = _reserve(session, email, now, reply_domain)
        if outcome != "skipped":
            scheduled_sends.refresh_next_send(session, email.opportunity_id)
        if isinstance(outcome, ScheduledJob):
            jobs.append(outcome)
        else:
            counts[outcome] += 1
    return jobs, +counts


def _reserve(session: Session, email: Email, now: datetime, reply_domain) -> ScheduledJob | str:
    """Flip one due email to pending under the limits, or say why not (postponed...)."""
    if email.send_state != "scheduled":
        return "skipped"  # sent or cancelled meanwhile
    site = session.get(Site, email.site_id)
    if session.get(Opportunity, email.opportunity_id).deleted_at is not None:
        return _drop(session, email, now, "The card was deleted before the email was due.")
    go_at = scheduled_sends.may_go_at(session, site, email, now)
    if go_at > now:
        return _postpone(session, email, go_at, now, "Not yet allowed to go.")
    try:
        limits.lock_site(session, site)
        limits.check(session, site, email.to_email, now, email.opportunity_id)
    except LimitExceeded as exc:
        # A pause has no end of its own: look again a little later (resume is by hand).
        return _postpone(
            session, email, exc.retry_at or now + limits.PAUSED_RECHECK, now, exc.message
        )
    except Invalid as exc:
        return _drop(session, email, now, exc.message)
    email.send_state, email.created_at, email.lease_until = "pending", now, None
    session.flush()
    limits.note_reserved(session, site)
    mail = sending.outgoing(site, email, reply_domain)
    return ScheduledJob(email, site, mail, email.id)


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


def call(job: ScheduledJob, mailer: Mailer) -> ScheduledJob:
    """The outside call (a pool thread, no database)."""
    job.result = sending.hand_over_mail(job.mail, mailer, job.email_id)
    return job


def record(session: Session, jobs: list[ScheduledJob], owner: str, now: datetime) -> Counter:
    """Record each answer: sent (card to Reached), or failed/unknown."""
    counts = Counter()
    for job in jobs:
        email = session.get(Email, job.email_id)
        site = session.get(Site, email.site_id)
        try:
            sending.record(session, site, email, job.result, now)
            counts["sent"] += 1
        except UpstreamRefused:
            counts[job.result.state or "failed"] += 1
    return counts
