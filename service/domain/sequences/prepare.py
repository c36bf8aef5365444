"""Sequence steps: enroll, decide whether a step may go, reserve it, record its outcome.

Exactly once rests on three facts: (1) only the lease holder prepares a step; (2) the
email row of (enrollment, step) is reserved and COMMITTED before SendGrid is called, and
the database refuses a second row for the same step; (3) a row found `pending` or
`unknown` is never sent again: it is recorded as a step with an unknown outcome.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from service.db import transaction_memo
from service.domain import audit, limits, rendering, sending
from service.domain.errors import Conflict, Invalid, LimitExceeded, UpstreamRefused
from service.domain.sequences import enrollments
from service.domain.sequences import stop_rules as recheck
from service.models import (
    Email,
    Enrollment,
    Opportunity,
    Sequence,
    SequenceStep,
    Site,
    Template,
)

LEASE = timedelta(minutes=5)  # far above one SendGrid call (10 s timeout)
MAX_ATTEMPTS = 4  # a refused step is tried this often before the enrollment stops
RETRY_BASE = timedelta(minutes=1)  # backoff 1, 4, 16 minutes
UNKNOWN_NOTE = ("SendGrid's answer to step {n} never arrived (timeout or the process "
                "stopped mid-send); the step counts as sent and is not repeated.")


@dataclass
class Prepared:
    """What prepare() decided: an email to dispatch, or what happened instead."""

    outcome: str  # send | stopped | completed | postponed | recovered | failed | lost | due
    email: Email | None = None
    step: SequenceStep | None = None  # "due": the step to reserve, as `number`, rendered
    number: int = 0
    rendered: rendering.Rendered | None = None


def steps_of(session: Session, enrollment: Enrollment) -> list[SequenceStep]:
    """The sequence's steps in order (read once per transaction and sequence)."""
    memo, key = transaction_memo(session), ("steps", enrollment.sequence_id)
    if key not in memo:
        memo[key] = list(session.scalars(select(SequenceStep).where(
            SequenceStep.sequence_id == enrollment.sequence_id)
            .order_by(SequenceStep.position)))
    return memo[key]


def render_step(session: Session, step: SequenceStep, opp: Opportunity) -> rendering.Rendered:
    """The step's template filled from the opportunity."""
    template = session.get(Template, step.template_id)
    return rendering.render(template.subject, template.body, rendering.values_for(opp))


def check_renderable(session: Session, steps: list[SequenceStep], opp: Opportunity) -> None:
    """422 naming the placeholders any step needs but the opportunity lacks."""
    missing = sorted({m for s in steps for m in render_step(session, s, opp).missing})
    if missing:
        names = ", ".join("{{" + m + "}}" for m in missing)
        raise Invalid(f"The sequence uses {names}, which this opportunity has no value for.",
                      {"placeholders": [f"No value for {{{{{m}}}}}." for m in missing]})


def enroll(session: Session, site: Site, opp: Opportunity, sequence: Sequence, to: str,
           actor: int, owner: str, now: datetime) -> tuple[Enrollment, Email]:
    """Create the enrollment and reserve step 1 (LimitExceeded leaves nothing behind)."""
    steps = steps_of_sequence(sequence)
    check_renderable(session, steps, opp)
    if enrollments.active_enrollment(session, opp) is not None:
        raise Conflict("This opportunity already runs a sequence; stop it first.")
    # Held by the caller until step 1 is dispatched; if it dies, the lease expires and
    # the scheduler finds the pending row (never resent).
    enrollment = Enrollment(site_id=site.id, sequence_id=sequence.id, opportunity_id=opp.id,
                            to_email=to, status="active", current_step=0, next_step_at=now,
                            lease_owner=owner, lease_until=now + LEASE, attempts=0,
                            created_by=actor, created_at=now, updated_at=now)
    session.add(enrollment)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict("This opportunity already runs a sequence; stop it first.") from None
    email = _reserve(session, site, opp, enrollment, steps[0], 1,
                     render_step(session, steps[0], opp), now)
    audit.record(session, site, actor, "enrollment.create", "enrollment", enrollment.id,
                 {"sequence_id": sequence.id, "opportunity_id": opp.id, "to": to}, now)
    return enrollment, email


def steps_of_sequence(sequence: Sequence) -> list[SequenceStep]:
    """The loaded steps; a sequence without steps cannot be started."""
    if not sequence.steps:
        raise Invalid("This sequence has no steps.", {"sequence_id": ["Sequence has no steps."]})
    return list(sequence.steps)


def _reserve(session, site, opp, enrollment, step, number, rendered, now) -> Email:
    return sending.reserve(session, site, opp, enrollment.to_email, rendered,
                           template_id=step.template_id, actor=enrollment.created_by,
                           now=now, enrollment=enrollment, step=number)


def prepare(session: Session, enrollment: Enrollment, now: datetime) -> Prepared:
    """Under the lease: stop, complete, postpone, recover, or reserve the next step."""
    decided = decide(session, enrollment, now)
    return reserve_due(session, enrollment, decided, now) if decided.outcome == "due" else decided


def decide(session: Session, enrollment: Enrollment, now: datetime) -> Prepared:
    """prepare() up to the site lock: "due" (rendered) when the step should be reserved."""
    steps = steps_of(session, enrollment)
    number = enrollment.current_step + 1
    emails = recheck.enrollment_emails(session, enrollment)  # one read for both questions
    existing = next((e for e in emails if e.enrollment_id == enrollment.id and e.step == number),
                    None)
    if existing is not None and existing.send_state != "failed":
        return _recover(session, enrollment, steps, existing, now)
    if number > len(steps):
        _complete(enrollment, now)
        return Prepared("completed")
    reason = recheck.stop_reason(session, enrollment, steps, emails)
    if reason is not None:
        stop(session, enrollment, reason, now)
        return Prepared("stopped")
    if existing is not None:  # a refused attempt: make room for the retry
        session.delete(existing)
        session.flush()
    opp = session.get(Opportunity, enrollment.opportunity_id)
    step = steps[number - 1]
    return Prepared("due", step=step, number=number, rendered=render_step(session, step, opp))


def reserve_due(session: Session, enrollment: Enrollment, decided: Prepared,
                now: datetime) -> Prepared:
    """prepare() from the site lock on: reserve the step, or postpone or stop it."""
    site = session.get(Site, enrollment.site_id)
    opp = session.get(Opportunity, enrollment.opportunity_id)
    number = decided.number
    try:
        email = _reserve(session, site, opp, enrollment, decided.step, number,
                         decided.rendered, now)
    except LimitExceeded as exc:
        postpone(enrollment, exc.retry_at, f"Step {number} postponed: {exc.message}", now)
        return Prepared("postponed")
    except Invalid as exc:
        stop(session, enrollment, "suppressed", now, f"Step {number} not sent: {exc.message}")
        return Prepared("stopped")
    return Prepared("send", email)


def stop(session: Session, enrollment: Enrollment, reason: str, now: datetime,
         note: str | None = None) -> None:
    """The scheduler stops an enrollment (audited as a system action, user 0)."""
    enrollments.stop(enrollment, reason, now)
    if note is not None:
        enrollment.last_error = note
    site = session.get(Site, enrollment.site_id)
    audit.record(session, site, 0, "enrollment.stop", "enrollment", enrollment.id,
                 {"reason": reason, "step": enrollment.current_step + 1}, now)


def postpone(enrollment: Enrollment, until: datetime, note: str, now: datetime) -> None:
    """A limit blocks the step: keep it, try again at `until` (never earlier)."""
    enrollment.next_step_at = until
    enrollment.last_error = note
    release(enrollment, now)


def release(enrollment: Enrollment, now: datetime) -> None:
    """Give the lease back."""
    enrollment.lease_owner = None
    enrollment.lease_until = None
    enrollment.updated_at = now


def _complete(enrollment: Enrollment, now: datetime) -> None:
    enrollment.status = "completed"
    enrollment.next_step_at = None
    release(enrollment, now)


def _recover(session, enrollment, steps, email: Email, now: datetime) -> Prepared:
    """The step already has a row: never send it again, just move on."""
    if email.send_state == "pending":
        # The process that reserved it died or lost its lease mid-send.
        sending.mark_stopped_mid_send(session, email, now)
    advance(enrollment, steps, email, now)
    return Prepared("recovered")


def advance(enrollment: Enrollment, steps: list[SequenceStep], email: Email,
            now: datetime) -> None:
    """Step `email.step` is done: schedule the next from its send time, or complete."""
    for name, value in advance_values(steps, email, now).items():
        setattr(enrollment, name, value)


def advance_values(steps: list[SequenceStep], email: Email, now: datetime) -> dict:
    """The enrollment's columns once step `email.step` is done (lease given back)."""
    number = email.step
    values = {"current_step": number, "attempts": 0, "lease_owner": None, "lease_until": None,
              "updated_at": now, "last_error": (None if email.send_state == "sent"
                                                else UNKNOWN_NOTE.format(n=number))}
    if number >= len(steps):
        values.update(status="completed", next_step_at=None)
    else:
        sent = email.sent_at or email.created_at or now
        values["next_step_at"] = sent + timedelta(hours=steps[number].delay_hours)
    return values


class Unrecorded(Exception):
    """SendGrid accepted the step but recording it failed (e.g. a deadlock); retry the record."""

    def __init__(self, message_id: str | None):
        super().__init__("accepted by SendGrid, not yet recorded")
        self.message_id = message_id


def deliver(session: Session, enrollment: Enrollment, email: Email, mailer, owner: str,
            now_fn, site: Site | None = None) -> str:
    """Dispatch a reserved step (caller committed the reservation); record the outcome.

    Returns sent | unknown | retry | failed | lost. A refused step is retried with
    backoff by the scheduler, or ends the enrollment visibly. Raises Unrecorded when
    SendGrid accepted but the database refused the record (the caller rolls back and
    calls record_accepted).
    """
    site = site or session.get(Site, enrollment.site_id)
    result = sending.hand_over(site, email, mailer)  # no transaction open meanwhile
    try:
        # The site lock first, before any row lock, as in every other board write:
        # concurrent senders recording card moves of one site cannot deadlock.
        limits.lock_site(session, site)
        return record_step(session, enrollment, email, site, result, owner, now_fn())
    except DBAPIError:
        if result.accepted is None:
            raise
        raise Unrecorded(result.accepted.message_id) from None


def record_step(session: Session, enrollment: Enrollment, email: Email, site: Site,
                result: sending.HandOver, owner: str, now: datetime) -> str:
    """Record SendGrid's answer to a step and advance, retry or stop the enrollment."""
    error = None
    try:
        sending.record(session, site, email, result, now)
    except UpstreamRefused as exc:
        error = exc
    return finish(session, enrollment, email, owner, error, now)


def record_accepted(session: Session, enrollment_id: int, email_id: int,
                    message_id: str | None, owner: str, now: datetime) -> str:
    """Second try at recording an accepted step, serialised under the site lock."""
    email = session.get(Email, email_id, populate_existing=True)
    enrollment = session.get(Enrollment, enrollment_id, populate_existing=True)
    site = session.get(Site, enrollment.site_id)
    limits.lock_site(session, site)
    if email.send_state == "pending":
        sending.record_sent(session, site, email, message_id, now)
    return finish(session, enrollment, email, owner, None, now)


def _permanent(error: Exception | None) -> bool:
    """SendGrid's 4xx (but 429) will say the same next time: no point retrying."""
    status = (getattr(error, "extra", None) or {}).get("provider_status")
    return status is not None and 400 <= int(status) < 500 and int(status) != 429


def finish(session: Session, enrollment: Enrollment, email: Email, owner: str,
           error: Exception | None, now: datetime) -> str:
    """Advance, schedule a retry, or fail the enrollment, if we still hold its lease.

    One guarded UPDATE decides and (for a step that went) writes: no second statement.
    """
    steps = steps_of(session, enrollment)
    went = email.send_state in ("sent", "unknown", "pending")
    values = advance_values(steps, email, now) if went else {"updated_at": now}
    locked = session.scalars(update(Enrollment).where(
        Enrollment.id == enrollment.id, Enrollment.lease_owner == owner,
        Enrollment.current_step == email.step - 1, Enrollment.status == "active")
        .values(**values).returning(Enrollment),
        execution_options={"populate_existing": True}).first()
    if locked is None:
        return "lost"  # another scheduler recovered it after our lease ran out
    if went:
        return "sent" if email.send_state == "sent" else "unknown"
    message = getattr(error, "message", None) or email.error or "SendGrid refused the send."
    enrollment.attempts += 1
    note = f"Step {email.step} attempt {enrollment.attempts} failed: {message}"
    if enrollment.attempts >= MAX_ATTEMPTS or _permanent(error):
        stop(session, enrollment, "failed", now, note + " Giving up.")
        return "failed"
    retry_at = now + RETRY_BASE * (4 ** (enrollment.attempts - 1))
    postpone(enrollment, retry_at, note + f" Retrying at {retry_at:%H:%M:%S} UTC.", now)
    return "retry"
