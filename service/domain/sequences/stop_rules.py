"""When engagement stops a sequence: reply, click, human open (per step switch), bounce.

One rule, stops(), asked from both sides: by the scheduler right before a step goes
(stop_reason: has anything happened since it started?) and when events arrive (webhook,
inbound or manual reply: on_engagement stops the enrollment the email belongs to).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from service.db.unit_of_work import TransactionState
from service.domain.deliverability import listing
from service.domain.sending import limits
from service.domain.sequences import enrollments
from service.domain.sequences.definitions import steps_of
from service.models import Email, Enrollment, Opportunity, SequenceStep

SWITCHES = {"reply": "stop_on_reply", "click": "stop_on_click", "open": "stop_on_open"}
ALWAYS = ("bounce", "suppressed")  # the address may not be mailed again: every switch
ENGAGED = (("replied_at", "reply"), ("clicked_at", "click"), ("opened_at", "open"))
# Emails of a chunk's enrollments read at once, each taken once (prefetch_emails).
PREFETCHED: TransactionState[dict[int, list]] = TransactionState(dict)


def stops(kind: str, email: Email, step: SequenceStep | None) -> bool:
    """Whether engagement `kind` on `email` (sent by `step`, if any) stops its sequence."""
    if kind in ALWAYS:
        return True
    if kind not in SWITCHES:
        raise ValueError(f"unknown engagement kind {kind!r}")
    if email.enrollment_id is None and kind != "reply":
        return False  # a click or open on a manual email says nothing about the sequence
    # The switch of the step that sent the engaged email decides (machine opens never
    # set opened_at, so they never stop anything); steps default to on.
    return step is None or bool(getattr(step, SWITCHES[kind]))


def stop_reason(
    session: Session,
    enrollment: Enrollment,
    steps: list[SequenceStep],
    emails: list[Email] | None = None,
) -> str | None:
    """Why this enrollment must not send its next step, or None (`emails`: as read by
    enrollment_emails() in this transaction, if the caller has them)."""
    opp = session.get(Opportunity, enrollment.opportunity_id)
    if opp is None or opp.deleted_at is not None:
        return "deleted"
    if (
        limits.suppression_reason(
            session, enrollment.site_id, listing.normalize(enrollment.to_email)
        )
        is not None
    ):
        return "suppressed"
    emails = enrollment_emails(session, enrollment) if emails is None else emails
    if any(e.bounced_at for e in emails):
        return "bounce"
    by_position = {s.position: s for s in steps}
    for column, kind in ENGAGED:
        for email in emails:
            step = by_position.get(email.step or enrollment.current_step)
            if getattr(email, column) is not None and stops(kind, email, step):
                return kind
    return None


def on_engagement(session: Session, email: Email, kind: str, now: datetime) -> str | None:
    """Stop the enrollment this engagement concerns; return the stop reason, if stopped.

    kind: "reply" | "click" | "open" | "bounce" | "suppressed".
    """
    if kind in ALWAYS:
        return (
            kind if stop_address(session, email.site_id, email.to_normalized, kind, now) else None
        )
    enrollment, number = _enrollment_for(session, email)
    if enrollment is None or enrollment.status != "active":
        return None
    step = next(
        (s for s in steps_of(session, enrollment.sequence_id) if s.position == number), None
    )
    if not stops(kind, email, step):
        return None
    enrollments.stop(enrollment, kind, now)
    session.flush()
    return kind


def _enrollment_for(session: Session, email: Email) -> tuple[Enrollment | None, int | None]:
    """The email's own enrollment, or the card's active one towards the same address."""
    if email.enrollment_id is not None:
        return session.get(Enrollment, email.enrollment_id), email.step
    active = enrollments.active_enrollment(session, email.opportunity_id)
    if active is None or listing.normalize(active.to_email) != email.to_normalized:
        return None, None
    return active, active.current_step


def stop_address(session: Session, site_id: int, address: str, reason: str, now: datetime) -> int:
    """Stop every active enrollment of the site towards an address that may not be mailed."""
    active = session.scalars(
        select(Enrollment).where(
            Enrollment.site_id == site_id,
            Enrollment.status == "active",
            func.lower(Enrollment.to_email).in_(listing.spellings(listing.normalize(address))),
        )
    ).all()
    for enrollment in active:
        enrollments.stop(enrollment, reason, now)
    if active:
        session.flush()
    return len(active)


def enrollment_emails(session: Session, enrollment: Enrollment) -> list[Email]:
    """Its own emails, plus any email to the opportunity since it started (a reply counts).

    A chunk of steps reads them for all its enrollments at once (prefetch_emails).
    """
    prefetched = PREFETCHED.of(session).pop(enrollment.id, None)
    if prefetched is not None:
        return prefetched
    return [
        email
        for email in session.scalars(_candidates([enrollment]))
        if _belongs_to(email, enrollment)
    ]


def prefetch_emails(session: Session, held: list[Enrollment]) -> list[Email]:
    """enrollment_emails() of many enrollments from one query (read back once each)."""
    emails = session.scalars(_candidates(held).execution_options(populate_existing=True)).all()
    cache = PREFETCHED.of(session)
    for enrollment in held:
        cache[enrollment.id] = [e for e in emails if _belongs_to(e, enrollment)]
    return list(emails)


def prefetch_listings(session: Session, held: list[Enrollment]) -> None:
    """stop_reason()'s do-not-contact question for many enrollments, one query a site."""
    for site_id in sorted({e.site_id for e in held}):
        addresses = [listing.normalize(e.to_email) for e in held if e.site_id == site_id]
        listing.read_many(session, site_id, addresses)


def _candidates(enrollments: list[Enrollment]):
    """Every email that may belong to these enrollments (_belongs_to() decides)."""
    return select(Email).where(
        or_(
            Email.enrollment_id.in_([e.id for e in enrollments]),
            Email.opportunity_id.in_({e.opportunity_id for e in enrollments}),
        )
    )


def _belongs_to(email: Email, enrollment: Enrollment) -> bool:
    """Its own email, or one to its address on its opportunity since it started."""
    return email.enrollment_id == enrollment.id or (
        email.opportunity_id == enrollment.opportunity_id
        and email.to_normalized == listing.normalize(enrollment.to_email)
        and email.created_at >= enrollment.created_at
    )
