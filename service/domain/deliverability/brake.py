"""The bounce brake: pause a site whose recent emails bounce too often; resume by hand.

Judged over the site's last WINDOW (50) emails SendGrid accepted (send_state "sent": a 5xx
or timeout is never a bounce) since the last resume. Too few to judge: below MIN_SAMPLE
(20) sent emails nothing pauses, and until the window is full the share is still taken
over 50, so a young site needs as many bounces as a full window would (3 at 5 %) rather
than pausing on its first unlucky bounce.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from service.domain import audit, events
from service.models import Email, Site

WINDOW = 50
MIN_SAMPLE = 20


def tally(session: Session, site: Site) -> tuple[int, int]:
    """(sent, bounced) among the site's last WINDOW sent emails since the last resume."""
    recent = select(Email.bounced_at).where(Email.site_id == site.id, Email.send_state == "sent")
    if site.brake_since is not None:
        recent = recent.where(Email.created_at > site.brake_since)
    recent = recent.order_by(Email.created_at.desc(), Email.id.desc()).limit(WINDOW).subquery()
    sent, bounced = session.execute(
        select(func.count(), func.count(recent.c.bounced_at)).select_from(recent)
    ).one()
    return sent, bounced


def tripped(percent: int, sent: int, bounced: int) -> bool:
    """At least `percent` of the window bounced, with enough sends to judge."""
    if percent <= 0 or sent < MIN_SAMPLE:
        return False
    return bounced * 100 >= percent * max(sent, WINDOW)


def judge(session: Session, site_ids, now: datetime) -> list[int]:
    """Pause each of these sites (after a webhook batch with bounces) whose brake trips;
    once, however many bounces the batch held. Returns the ids paused now."""
    paused = []
    for site_id in sorted(set(site_ids)):
        site = session.get(Site, site_id)
        if site is None or site.paused or not site.bounce_brake_percent:
            continue
        sent, bounced = tally(session, site)
        if tripped(site.bounce_brake_percent, sent, bounced):
            reason = (
                f"{bounced} of the last {sent} emails bounced (the brake is set at "
                f"{site.bounce_brake_percent} %)."
            )
            if pause(session, site, reason, 0, now):
                paused.append(site_id)
    return paused


def pause(session: Session, site: Site, reason: str, actor: int, now: datetime) -> bool:
    """Pause the site (audited); False when it was paused already (a racing batch won)."""
    done = session.execute(
        update(Site)
        .where(Site.id == site.id, Site.paused.is_(False))
        .values(paused=True, paused_reason=reason, paused_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(site)
    if done:
        audit.log(session, site, actor, "site.pause", "site", site.id, {"reason": reason}, now)
        events.publish(session, events.SitePaused, site_id=site.id, reason=reason)
    return bool(done)


def resume(session: Session, site: Site, actor: int, now: datetime) -> None:
    """Resume sending (audited); only emails sent from now on count towards the next pause."""
    if not site.paused:
        return
    reason = site.paused_reason
    site.paused, site.paused_reason, site.paused_at = False, None, None
    site.brake_since, site.updated_at = now, now
    audit.log(session, site, actor, "site.resume", "site", site.id, {"was": reason}, now)
    session.flush()
