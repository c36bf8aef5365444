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


def summary_columns():
    """The columns of a card's sequence summary, labelled, for a SELECT joined to
    `enrollments` and `sequences` (summaries() and the board delta's one card query)."""
    # Table columns, not ORM attributes: the statements stay Core (no ORM compile step).
    enrollment, sequence = Enrollment.__table__.c, Sequence.__table__.c
    steps = SequenceStep.__table__
    total_steps = (
        select(func.count())
        .where(steps.c.sequence_id == enrollment.sequence_id)
        .correlate(Enrollment.__table__)
        .scalar_subquery()
    )
    return (
        enrollment.id.label("seq_id"),
        enrollment.sequence_id.label("seq_sequence_id"),
        sequence.name.label("seq_name"),
        enrollment.status.label("seq_status"),
        enrollment.stop_reason.label("seq_stop_reason"),
        enrollment.current_step.label("seq_current_step"),
        total_steps.label("seq_total_steps"),
        enrollment.next_step_at.label("seq_next_step_at"),
        enrollment.last_error.label("seq_last_error"),
    )


SUMMARY_KEYS = (
    "id",
    "sequence_id",
    "name",
    "status",
    "stop_reason",
    "current_step",
    "total_steps",
    "next_step_at",
    "last_error",
)


def summary(values) -> dict | None:
    """A card summary from summary_columns()' values in order (None: no enrollment)."""
    return None if values[0] is None else dict(zip(SUMMARY_KEYS, values, strict=True))


def summaries(session: Session, site: Site, opportunity_ids=None) -> dict[int, dict]:
    """{opportunity_id: card summary of its active or latest enrollment} in one query."""
    latest = select(func.max(Enrollment.id)).where(Enrollment.site_id == site.id)
    if opportunity_ids is not None:
        latest = latest.where(Enrollment.opportunity_id.in_(list(opportunity_ids)))
    latest = latest.group_by(Enrollment.opportunity_id)
    # Columns, not entities: a board with thousands of enrollments pays no ORM identity map.
    rows = session.execute(
        select(Enrollment.opportunity_id, *summary_columns())
        .join(Sequence, Sequence.id == Enrollment.sequence_id)
        .where(Enrollment.id.in_(latest))
    )
    return {row[0]: summary(row[1:]) for row in rows}
