"""Pacing at send time (docs/api.md §20): the site's hourly limit and the spacing between
two sends of its sender, checked under the site's lock like the other limits (limits.py).

The queue (queue.py) plans slots that respect them; these checks hold them when the slot
comes, whatever else was sent meanwhile: a step or a scheduled email that finds the hour
full or the last send too recent is postponed to `retry_at`, never sent early. A
person's "send now" is held to the hourly limit but not to the spacing (a person decided
"now"); the next automated send keeps its distance from it. Today a site has one sender,
so the spacing is per site.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service import observability
from service.domain.errors import LimitExceeded
from service.domain.sending import limits
from service.models import Email, Site

HOUR = timedelta(hours=1)


def check(session: Session, site: Site, now: datetime, *, spaced: bool) -> None:
    """Raise LimitExceeded (hourly_cap, spacing); call under the site lock."""
    try:
        check_hourly(session, site, now)
        if spaced:
            check_spacing(session, site, now)
    except LimitExceeded as exc:
        observability.count("outreach_limit_hits_total", limit=exc.limit)
        raise


def _holding_since(site: Site, since: datetime):
    return select(Email.created_at).where(
        Email.site_id == site.id,
        limits.HOLDS_A_SLOT,
        Email.created_at > since,
    )


def check_hourly(session: Session, site: Site, now: datetime) -> None:
    """At most hourly_limit emails in any rolling hour (0 = off)."""
    limit = int(site.hourly_limit or 0)
    if limit <= 0:
        return
    recent = _holding_since(site, now - HOUR)
    count = session.scalar(select(func.count()).select_from(recent.subquery()))
    if count < limit:
        return
    oldest = session.scalar(recent.order_by(Email.created_at).offset(count - limit).limit(1))
    retry_at = oldest + HOUR
    said = f"Hourly limit of {limit} emails reached for this site"
    raise limits.full_until(site, now, retry_at, "hourly_cap", said, "email")


def check_spacing(session: Session, site: Site, now: datetime) -> None:
    """At least min_spacing_seconds since the site's last send (0 = off)."""
    spacing = timedelta(seconds=int(site.min_spacing_seconds or 0))
    if not spacing:
        return
    last = session.scalar(
        select(func.max(Email.created_at)).where(
            Email.site_id == site.id,
            limits.HOLDS_A_SLOT,
            Email.created_at > now - spacing,
        )
    )
    if last is None or last + spacing <= now:
        return
    raise limits.exceeded(
        f"The site's last email went less than {spacing.seconds} seconds ago (its spacing).",
        "spacing",
        last + spacing,
        now,
    )
