"""The last look before a sequence step goes: has anything happened that must stop it?"""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from service.db import transaction_memo
from service.domain import limits
from service.models import Email, Enrollment, Opportunity, SequenceStep


def stop_reason(session: Session, enrollment: Enrollment, steps: list[SequenceStep],
                emails: list[Email] | None = None) -> str | None:
    """Why this enrollment must not send its next step, or None (`emails`: as read by
    enrollment_emails() in this transaction, if the caller has them)."""
    opp = session.get(Opportunity, enrollment.opportunity_id)
    if opp is None or opp.deleted_at is not None:
        return "deleted"
    if _suppressed(session, enrollment):
        return "suppressed"
    emails = enrollment_emails(session, enrollment) if emails is None else emails
    if any(e.bounced_at for e in emails):
        return "bounce"
    by_position = {s.position: s for s in steps}
    for switch, column, reason in (("stop_on_reply", "replied_at", "reply"),
                                   ("stop_on_click", "clicked_at", "click"),
                                   ("stop_on_open", "opened_at", "open")):
        for email in emails:
            if getattr(email, column) is None:
                continue
            if email.enrollment_id is None and reason != "reply":
                continue  # a click or open on a manual email says nothing about the sequence
            # The switch of the step that sent the engaged email decides (machine opens
            # never set opened_at, so they never stop anything).
            step = by_position.get(email.step or enrollment.current_step)
            if step is None or getattr(step, switch):
                return reason
    return None


def _suppressed(session: Session, enrollment: Enrollment) -> bool:
    return limits.suppression_reason(session, enrollment.site_id,
                                     limits.normalize(enrollment.to_email)) is not None


def enrollment_emails(session: Session, enrollment: Enrollment) -> list[Email]:
    """Its own emails, plus any email to the opportunity since it started (a reply counts).

    A chunk of steps reads them for all its enrollments at once (transaction memo).
    """
    prefetched = transaction_memo(session).pop(("enrollment_emails", enrollment.id), None)
    if prefetched is not None:
        return prefetched
    return [email for email in session.scalars(candidates([enrollment]))
            if belongs_to(email, enrollment)]


def candidates(enrollments: list[Enrollment]):
    """Every email that may belong to these enrollments (belongs_to() decides)."""
    return select(Email).where(or_(
        Email.enrollment_id.in_([e.id for e in enrollments]),
        Email.opportunity_id.in_({e.opportunity_id for e in enrollments})))


def belongs_to(email: Email, enrollment: Enrollment) -> bool:
    """Its own email, or one to its address on its opportunity since it started."""
    return email.enrollment_id == enrollment.id or (
        email.opportunity_id == enrollment.opportunity_id
        and email.to_normalized == enrollment.to_email.strip().lower()
        and email.created_at >= enrollment.created_at)
