"""Metrics (contract section 8) over the emails accepted in an optional date range.

The cohort is every email of the site that SendGrid accepted (send_state "sent") with
sent_at inside [start, end); emails of deleted opportunities count. Each rate divides
counts of that same cohort, so a late open still counts towards the email's own period.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.models import Email, Opportunity, Site


def _rate(part: int, whole: int) -> float:
    """A fraction from 0 to 1; 0 when the divisor is 0."""
    if not whole:
        return 0.0
    return min(1.0, part / whole)


def compute(session: Session, site: Site, start: datetime | None, end: datetime | None) -> dict:
    """{"total_sent", "delivered", "open_rate", "click_rate", "reply_rate", "bounced", "wins"}."""
    cohort = [Email.site_id == site.id, Email.send_state == "sent"]
    if start is not None:
        cohort.append(Email.sent_at >= start)
    if end is not None:
        cohort.append(Email.sent_at < end)
    sent, delivered, opened, clicked, replied, bounced = session.execute(
        select(
            func.count(Email.id),
            func.count(Email.delivered_at),
            func.count(Email.opened_at),
            func.count(Email.clicked_at),
            func.count(Email.replied_at),
            func.count(Email.bounced_at),
        ).where(*cohort)
    ).one()
    wins = session.scalar(
        select(func.count(func.distinct(Opportunity.id)))
        .join(Email, Email.opportunity_id == Opportunity.id)
        .where(Opportunity.site_id == site.id, Opportunity.status == "won", *cohort)
    )
    return {
        "total_sent": sent,
        "delivered": delivered,
        "open_rate": _rate(opened, delivered),
        "click_rate": _rate(clicked, delivered),
        "reply_rate": _rate(replied, sent),
        "bounced": bounced,
        "wins": wins or 0,
    }
