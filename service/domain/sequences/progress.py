"""An enrollment moving on: advance after a step, postpone, retry, complete, give the lease back."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case
from sqlalchemy.orm import Session

from service.domain.sequences import enrollments
from service.models import Email, Enrollment, SequenceStep

MAX_ATTEMPTS = 4  # a refused step is tried this often before the enrollment stops
RETRY_BASE = timedelta(minutes=1)  # backoff 1, 4, 16 minutes
UNKNOWN_NOTE = (
    "SendGrid's answer to step {n} never arrived (timeout or the process "
    "stopped mid-send); the step counts as sent and is not repeated."
)


def advance_values(steps: list[SequenceStep], email: Email, now: datetime) -> dict:
    """The enrollment's columns once step `email.step` is done (lease given back)."""
    number = email.step
    values = {
        "current_step": number,
        "attempts": 0,
        "lease_owner": None,
        "lease_until": None,
        "updated_at": now,
        "last_error": (None if email.send_state == "sent" else UNKNOWN_NOTE.format(n=number)),
    }
    if number >= len(steps):
        values.update(status="completed", next_step_at=None)
    else:
        sent = email.sent_at or email.created_at or now
        values["next_step_at"] = sent + timedelta(hours=steps[number].delay_hours)
    return values


def not_before_a_pause(due):
    """SQL for the next step's time in a guarded UPDATE: `due` (a bind parameter), or the
    time already in the row where that is later. An auto-reply that arrives while a step
    is on its way pauses the enrollment (service/domain/replies/auto_replies.py); the
    advance after that send must not undo the pause: a pause only ever delays."""
    return case((Enrollment.next_step_at > due, Enrollment.next_step_at), else_=due)


def advance(enrollment: Enrollment, steps: list[SequenceStep], email: Email, now: datetime) -> None:
    """Step `email.step` is done: schedule the next from its send time, or complete."""
    for name, value in advance_values(steps, email, now).items():
        setattr(enrollment, name, value)


def postpone(enrollment: Enrollment, until: datetime, note: str, now: datetime) -> None:
    """A limit blocks the step: keep it, try again at `until` (never earlier)."""
    enrollment.next_step_at = until
    enrollment.last_error = note
    release(enrollment, now)


def complete(enrollment: Enrollment, now: datetime) -> None:
    """Every step went."""
    enrollment.status = "completed"
    enrollment.next_step_at = None
    release(enrollment, now)


def release(enrollment: Enrollment, now: datetime) -> None:
    """Give the lease back."""
    enrollment.lease_owner = None
    enrollment.lease_until = None
    enrollment.updated_at = now


def _permanent(status: int | None) -> bool:
    """SendGrid's 4xx (but 429) will say the same next time: no point retrying."""
    return status is not None and 400 <= int(status) < 500 and int(status) != 429


def refused(session: Session, enrollment: Enrollment, email: Email, result, now: datetime) -> str:
    """SendGrid refused the step (`result`: the send path's HandOver): retry with backoff,
    or stop the enrollment visibly."""
    message = result.public or email.error or "SendGrid refused the send."
    enrollment.attempts += 1
    note = f"Step {email.step} attempt {enrollment.attempts} failed: {message}"
    if enrollment.attempts >= MAX_ATTEMPTS or _permanent(result.status):
        enrollments.stop_audited(session, enrollment, "failed", 0, now, note + " Giving up.")
        return "failed"
    retry_at = now + RETRY_BASE * (4 ** (enrollment.attempts - 1))
    postpone(enrollment, retry_at, note + f" Retrying at {retry_at:%H:%M:%S} UTC.", now)
    return "retry"
