"""Stopping sequences on engagement: reply, click, human open (per step switch), bounce.

on_engagement(session, email, kind, now) is called after events are applied (webhook,
inbound reply, manual reply) and by the scheduler right before each send.
kind: "reply" | "click" | "open" | "bounce" | "suppressed".
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.domain.sequences import enrollments
from service.models import Email, Enrollment, SequenceStep

SWITCHES = {"reply": "stop_on_reply", "click": "stop_on_click", "open": "stop_on_open"}
ALWAYS = ("bounce", "suppressed")


def _enrollment_for(session: Session, email: Email) -> tuple[Enrollment | None, int | None]:
    """The email's own enrollment, or the card's active one towards the same address."""
    if email.enrollment_id is not None:
        return session.get(Enrollment, email.enrollment_id), email.step
    active = session.scalar(select(Enrollment).where(
        Enrollment.opportunity_id == email.opportunity_id, Enrollment.status == "active"))
    if active is None or active.to_email.strip().lower() != email.to_normalized:
        return None, None
    return active, active.current_step


def _switch_on(session: Session, enrollment: Enrollment, step: int | None, kind: str) -> bool:
    """The stop switch of the step that sent the email (steps default to on)."""
    if step is None:
        return True
    found = session.scalar(select(getattr(SequenceStep, SWITCHES[kind])).where(
        SequenceStep.sequence_id == enrollment.sequence_id, SequenceStep.position == step))
    return True if found is None else bool(found)


def on_engagement(session: Session, email: Email, kind: str, now: datetime) -> str | None:
    """Stop the enrollment this engagement concerns; return the stop reason, if stopped."""
    if kind not in SWITCHES and kind not in ALWAYS:
        raise ValueError(f"unknown engagement kind {kind!r}")
    if kind in ALWAYS:
        stopped = stop_address(session, email.site_id, email.to_normalized, kind, now)
        return kind if stopped else None
    if email.enrollment_id is None and kind != "reply":
        return None  # a click or open on a manual email says nothing about a sequence
    enrollment, step = _enrollment_for(session, email)
    if enrollment is None or enrollment.status != "active":
        return None
    if not _switch_on(session, enrollment, step, kind):
        return None
    enrollments.stop(enrollment, kind, now)
    session.flush()
    return kind


def stop_address(session: Session, site_id: int, address: str, reason: str,
                 now: datetime) -> int:
    """Stop every active enrollment of the site towards an address that may not be mailed."""
    active = session.scalars(select(Enrollment).where(
        Enrollment.site_id == site_id, Enrollment.status == "active",
        func.lower(Enrollment.to_email) == address.strip().lower())).all()
    for enrollment in active:
        enrollments.stop(enrollment, reason, now)
    if active:
        session.flush()
    return len(active)
