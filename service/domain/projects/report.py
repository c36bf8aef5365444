"""A project's report (docs/api.md §19): the links it won, its cards by stage, its emails,
and its days. The same dict feeds the API, the share page and its CSV."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from service.domain.insights.breakdowns import daily, day_bounds
from service.domain.insights.totals import of_project
from service.domain.projects.records import counts
from service.models import Email, LinkCheck, Opportunity, Project, Site
from service.models.opportunity import STATUSES

FOUND = ("live", "nofollow")  # a check that saw the link (docs/api.md, link monitoring)


def build(session: Session, site: Site, project: Project, first: date, last: date) -> dict:
    """The report of [first, last], days of the site's time zone."""
    bounds = day_bounds(site, first, last)
    start, end = bounds[0], bounds[-1]
    days = daily(session, site, first, last, project.id)
    return {
        "project": project,
        "from": first.isoformat(),
        "to": last.isoformat(),
        "links": won_links(session, site, project.id, start, end),
        "stages": counts(session, site, [project.id]).get(project.id, dict.fromkeys(STATUSES, 0)),
        "emails": emails(session, site, project.id, start, end),
        "daily": [{k: day[k] for k in ("date", "sent", "replied", "won")} for day in days],
    }


def won_links(session: Session, site: Site, project_id: int, start, end) -> list[dict]:
    """The project's won links live at some time in [start, end): cards in Won, and won
    links since lost (`lost_link` with a last live time), oldest win first."""
    seen = (
        select(LinkCheck.opportunity_id, func.min(LinkCheck.checked_at).label("first_at"))
        .where(LinkCheck.site_id == site.id, LinkCheck.status.in_(FOUND))
        .group_by(LinkCheck.opportunity_id)
        .subquery()
    )
    card = Opportunity
    since = func.coalesce(seen.c.first_at, card.status_changed_at)
    rows = session.execute(
        select(card, seen.c.first_at)
        .outerjoin(seen, seen.c.opportunity_id == card.id)
        .where(
            card.site_id == site.id,
            card.project_id == project_id,
            card.deleted_at.is_(None),
            or_(
                and_(card.status == "won", card.lost_link.is_(False)),
                and_(card.lost_link.is_(True), card.link_last_live_at.is_not(None)),
            ),
            since < end,
            or_(card.lost_link.is_(False), card.link_last_live_at >= start),
        )
        .order_by(since, card.id)
    ).all()
    rels = _latest_rels(session, [row[0].id for row in rows])
    return [_link(row[0], row[1], rels.get(row[0].id)) for row in rows]


def _link(card: Opportunity, first_at, rel) -> dict:
    return {
        "opportunity_id": card.id,
        "source_url": card.source_url,
        "target_url": card.target_url,
        "anchor_text": card.anchor_text,
        "rel": rel,
        "first_live_at": first_at,
        "last_live_at": card.link_last_live_at,
        "status": "lost" if card.lost_link else "live",
    }


def _latest_rels(session: Session, card_ids: list[int]) -> dict[int, str | None]:
    """{card id: the `rel` of its latest check that saw the link}."""
    found: dict[int, str | None] = {}
    for start in range(0, len(card_ids), 500):
        for card_id, rel in session.execute(
            select(LinkCheck.opportunity_id, LinkCheck.rel)
            .where(
                LinkCheck.opportunity_id.in_(card_ids[start : start + 500]),
                LinkCheck.status.in_(FOUND),
            )
            .order_by(LinkCheck.id)
        ):
            found[card_id] = rel  # the last one wins
    return found


def emails(session: Session, site: Site, project_id: int, start, end) -> dict:
    """Emails of the project's cards sent in [start, end), and replies received in it."""
    accepted = [Email.site_id == site.id, Email.send_state == "sent", *of_project(project_id)]

    def within(column):
        return session.scalar(select(func.count()).where(*accepted, column >= start, column < end))

    return {"sent": within(Email.sent_at), "replied": within(Email.replied_at)}
