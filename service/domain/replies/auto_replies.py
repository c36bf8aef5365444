"""An auto-reply is kept and shown but is no reply: nothing stops, the email does not become
`replied`; the enrollment waits until the writer is back, then goes on (docs/api.md §16)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from service.domain import timeline
from service.domain.deliverability import listing
from service.domain.sequences import enrollments
from service.models import Email, Enrollment, Site


def record(
    session: Session, site: Site, email: Email, back_on: date | None, detail: dict, key: str, now
) -> bool:
    """The `auto_reply` event once ("Auto-reply: back on <date>"), the enrollment paused."""
    until = resume_at(site, back_on, now)
    day = back_on or (until.astimezone(_zone(site)).date() if until else None)
    detail = {
        **detail,
        "back_on": day.isoformat() if day else None,
        "note": f"Auto-reply: back on {day.isoformat()}" if day else "Auto-reply",
    }
    if not timeline.add(session, email, "auto_reply", now, detail, key, now=now):
        return False
    enrollment = enrollment_for(session, email)
    if until is not None and enrollment is not None and enrollment.status == "active":
        # Never earlier than the step was due anyway: a pause only ever delays.
        if enrollment.next_step_at is None or enrollment.next_step_at < until:
            enrollment.next_step_at = until
            enrollment.updated_at = now
        session.flush()
    return True


def resume_at(site: Site, back_on: date | None, now: datetime) -> datetime | None:
    """When the enrollment goes on: the start of the return day in the site's time zone,
    else `auto_reply_pause_days` from now (None: 0 days, no pause)."""
    if back_on is not None:
        return datetime.combine(back_on, time(), _zone(site)).astimezone(UTC)
    days = site.auto_reply_pause_days or 0
    return now + timedelta(days=days) if days > 0 else None


def enrollment_for(session: Session, email: Email) -> Enrollment | None:
    """The email's own enrollment, or the card's active one towards the same address."""
    if email.enrollment_id is not None:
        return session.get(Enrollment, email.enrollment_id)
    active = enrollments.active_enrollment(session, email.opportunity_id)
    if active is None or listing.normalize(active.to_email) != email.to_normalized:
        return None
    return active


def _zone(site: Site) -> ZoneInfo:
    try:
        return ZoneInfo(site.timezone or "UTC")
    except (KeyError, ValueError):  # validated on PATCH; an old row may hold anything
        return ZoneInfo("UTC")
