"""Enrollments as other features see them: the active one, stopping it, card summaries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.domain import audit
from service.models import Enrollment, Opportunity, Sequence, SequenceStep, Site


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
    audit.record(
        session,
        site,
        actor,
        "enrollment.stop",
        "enrollment",
        enrollment.id,
        {"reason": reason, "step": step},
        now,
    )


def stop_active(
    session: Session, opportunity: Opportunity, reason: str, now: datetime
) -> Enrollment | None:
    """Stop the opportunity's active enrollment, if it has one."""
    enrollment = active_enrollment(session, opportunity.id)
    if enrollment is not None:
        stop(enrollment, reason, now)
        session.flush()
    return enrollment


def summaries(session: Session, site: Site, opportunity_ids=None) -> dict[int, dict]:
    """{opportunity_id: card summary of its active or latest enrollment} in one query."""
    latest = select(func.max(Enrollment.id)).where(Enrollment.site_id == site.id)
    if opportunity_ids is not None:
        latest = latest.where(Enrollment.opportunity_id.in_(list(opportunity_ids)))
    latest = latest.group_by(Enrollment.opportunity_id)
    total_steps = (
        select(func.count())
        .where(SequenceStep.sequence_id == Enrollment.sequence_id)
        .correlate(Enrollment)
        .scalar_subquery()
    )
    # Columns, not entities: a board with thousands of enrollments pays no ORM identity map.
    rows = session.execute(
        select(
            Enrollment.opportunity_id,
            Enrollment.id,
            Enrollment.sequence_id,
            Sequence.name,
            Enrollment.status,
            Enrollment.stop_reason,
            Enrollment.current_step,
            total_steps.label("total_steps"),
            Enrollment.next_step_at,
            Enrollment.last_error,
        )
        .join(Sequence, Sequence.id == Enrollment.sequence_id)
        .where(Enrollment.id.in_(latest))
    )
    return {
        r.opportunity_id: {
            "id": r.id,
            "sequence_id": r.sequence_id,
            "name": r.name,
            "status": r.status,
            "stop_reason": r.stop_reason,
            "current_step": r.current_step,
            "total_steps": r.total_steps,
            "next_step_at": r.next_step_at,
            "last_error": r.last_error,
        }
        for r in rows
    }
