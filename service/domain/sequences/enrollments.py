"""Enrollments as other features see them: the active one, and stopping it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain import audit
from service.models import Enrollment, Site


def active_enrollment(session: Session, opportunity_id: int) -> Enrollment | None:
    """The opportunity's active enrollment, if any."""
    return session.scalar(
        select(Enrollment).where(
            Enrollment.opportunity_id == opportunity_id, Enrollment.status == "active"
        )
    )


def stop(enrollment: Enrollment, reason: str, now: datetime) -> None:
    """Stop an active enrollment for a reason (idempotent: a stopped one stays as it is)."""
    if enrollment.status != "active":
        return
    enrollment.status = "stopped"
    enrollment.stop_reason = reason
    enrollment.last_error = None  # "Step 2 postponed: ..." no longer applies (a failure's
    # caller, stop_audited, sets its own note after this)
    enrollment.stopped_at = now
    enrollment.next_step_at = None
    enrollment.lease_owner = None
    enrollment.lease_until = None
    enrollment.updated_at = now


def stop_audited(
    session: Session,
    enrollment: Enrollment,
    reason: str,
    actor: int,
    now: datetime,
    note: str | None = None,
) -> None:
    """Stop an enrollment on someone's word (a user, or the scheduler as user 0), audited."""
    step = enrollment.current_step + 1
    stop(enrollment, reason, now)
    if note is not None:
        enrollment.last_error = note
    site = session.get(Site, enrollment.site_id)
    audit.log(
        session,
        site,
        actor,
        "enrollment.stop",
        "enrollment",
        enrollment.id,
        {"reason": reason, "step": step},
        now,
    )


def active_of(session: Session, opportunity_ids) -> dict[int, Enrollment]:
    """{card id: its active enrollment} of these cards (one query; none: absent)."""
    if not opportunity_ids:
        return {}
    query = select(Enrollment).where(
        Enrollment.opportunity_id.in_(list(opportunity_ids)), Enrollment.status == "active"
    )
    return {e.opportunity_id: e for e in session.scalars(query)}


def stop_active(session: Session, opportunity_ids, reason: str, now: datetime) -> None:
    """Stop the active enrollment of each of these cards, if it has one (one query)."""
    for enrollment in active_of(session, opportunity_ids).values():
        stop(enrollment, reason, now)
    session.flush()
