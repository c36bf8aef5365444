"""The `stale-sends` job kind: a person's sends left pending by a process that died.

A sequence step's pending row is resolved when its enrollment is claimed again; a send
made through the API would otherwise stay pending for ever, holding a daily-cap slot and
showing no outcome. Once it is far older than any send in progress, it becomes `unknown`
(never resent: it may have gone out) with an event saying why.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db.bulk import skip_locked
from service.domain import timeline
from service.domain.jobs import JobKind, sweep
from service.models import Email

log = logging.getLogger("outreach.sending")
STOPPED_MID_SEND = (
    "The sending process stopped before SendGrid answered; not resent, so "
    "it may or may not have gone out."
)
# Far beyond any send in progress: SENDGRID_TIMEOUT (10 s) within GUNICORN_TIMEOUT (30 s).
STALE_PENDING = timedelta(minutes=5)


def mark_stopped_mid_send(session: Session, email: Email, now: datetime) -> None:
    """A pending email whose sending process died: unknown (never resent), with an event."""
    email.send_state = "unknown"
    email.error = email.error or STOPPED_MID_SEND
    timeline.add(session, email, "unknown", now, {"error": email.error}, key="unknown")


def _stale(now: datetime):
    return select(Email).where(
        Email.send_state == "pending",
        Email.enrollment_id.is_(None),
        Email.created_at < now - STALE_PENDING,
    )


def claim(session: Session, _owner: str, now: datetime, _lease, batch: int) -> list[tuple]:
    """Up to `batch` stale sends: (id, when it became stale), oldest first (nothing is
    leased: prepare re-reads each under a row lock and skips what changed)."""
    query = _stale(now).with_only_columns(Email.id, Email.created_at)
    rows = session.execute(query.order_by(Email.id).limit(batch))
    return [(email_id, created + STALE_PENDING) for email_id, created in rows]


def prepare(session: Session, ids: list[int], _owner: str, now: datetime, _lease):
    """Mark each still-stale send unknown; nothing goes outside."""
    query = _stale(now).where(Email.id.in_(ids)).order_by(Email.id)
    stale = session.scalars(skip_locked(query, session)).all()
    for email in stale:
        mark_stopped_mid_send(session, email, now)
    session.flush()
    if stale:
        log.warning("%s manual sends left pending by a stopped process are now unknown", len(stale))
    return [], Counter(unknown=len(stale))


def kind(_runtime) -> JobKind:
    """Sends left pending by a stopped process: unknown, at most once a minute."""
    return sweep(
        name="stale-sends",
        claim=claim,
        prepare=prepare,
        describe=lambda email_id: f"email {email_id}",
        every=timedelta(minutes=1),
    )
