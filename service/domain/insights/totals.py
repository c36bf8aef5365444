"""Totals and rates (docs/api.md, metrics) over the emails accepted in a date range.

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


def of_project(project_id: int | None) -> list:
    """WHERE clauses of the emails of one project's cards (docs/api.md §19); [] for all."""
    if project_id is None:
        return []
    cards = select(Opportunity.id).where(Opportunity.project_id == project_id)
    return [Email.opportunity_id.in_(cards)]


def cohort(
    site: Site,
    start: datetime | None,
    end: datetime | None,
    template_id: int | None = None,
    sequence_id: int | None = None,
    project_id: int | None = None,
) -> list:
    """WHERE clauses of the accepted emails sent in [start, end), of one template, sequence
    or project."""
    where = [Email.site_id == site.id, Email.send_state == "sent", *of_project(project_id)]
    if start is not None:
        where.append(Email.sent_at >= start)
    if end is not None:
        where.append(Email.sent_at < end)
    if template_id is not None:
        where.append(Email.template_id == template_id)
    if sequence_id is not None:
        where.append(Email.sequence_id == sequence_id)
    return where


COUNTS = (
    func.count(Email.id),
    func.count(Email.delivered_at),
    func.count(Email.opened_at),
    func.count(Email.clicked_at),
    func.count(Email.replied_at),
    func.count(Email.bounced_at),
)


def rates(sent: int, delivered: int, opened: int, clicked: int, replied: int, bounced: int):
    """The contract's figures of one group of emails (COUNTS in that order)."""
    return {
        "sent": sent,
        "delivered": delivered,
        "open_rate": _rate(opened, delivered),
        "click_rate": _rate(clicked, delivered),
        "reply_rate": _rate(replied, sent),
        "bounced": bounced,
    }


def unread_replies(session: Session, site: Site, project_id: int | None = None) -> int:
    """Unread replies on the site's live cards (of one project) now (not per period)."""
    query = select(func.coalesce(func.sum(Opportunity.unread_replies), 0)).where(
        Opportunity.site_id == site.id, Opportunity.deleted_at.is_(None)
    )
    if project_id is not None:
        query = query.where(Opportunity.project_id == project_id)
    return int(session.scalar(query))


def compute(session: Session, site: Site, where: list) -> dict:
    """{"total_sent", "delivered", "open_rate", "click_rate", "reply_rate", "bounced", "wins"}
    of the emails `where` (a cohort) picks."""
    figures = rates(*session.execute(select(*COUNTS).where(*where)).one())
    wins = session.scalar(
        select(func.count(func.distinct(Opportunity.id)))
        .join(Email, Email.opportunity_id == Opportunity.id)
        .where(Opportunity.site_id == site.id, Opportunity.status == "won", *where)
    )
    return {"total_sent": figures.pop("sent"), **figures, "wins": wins or 0}
