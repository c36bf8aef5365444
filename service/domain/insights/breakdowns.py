"""Breakdowns (docs/api.md, insights): sends and engagement per day, template and step.

Daily figures count each event on the day it happened, in the site's time zone: an email
sent on Monday and opened on Tuesday adds to Monday's `sent` and Tuesday's `opened` (what
a per-day chart of activity shows). Per-template and per-sequence rows use the totals'
cohort instead (emails sent in the period, with their rates), like GET /metrics.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from service.domain.insights.totals import COUNTS, cohort, of_project, rates
from service.models import Email, Opportunity, Sequence, Site, Template

MAX_DAYS = 366
EVENTS = {
    "sent": Email.sent_at,
    "delivered": Email.delivered_at,
    "opened": Email.opened_at,
    "clicked": Email.clicked_at,
    "replied": Email.replied_at,
    "bounced": Email.bounced_at,
}


def zone_of(site: Site) -> ZoneInfo:
    """The site's time zone."""
    return ZoneInfo(site.timezone or "UTC")


def day_bounds(site: Site, first: date, last: date) -> list[datetime]:
    """UTC instants of each local midnight from `first` to the day after `last`."""
    zone = zone_of(site)
    return [
        datetime.combine(first + timedelta(days=i), time(0), tzinfo=zone).astimezone(UTC)
        for i in range((last - first).days + 2)
    ]


def daily(session: Session, site: Site, first: date, last: date, project_id=None) -> list[dict]:
    """One row per local day from `first` to `last` (inclusive), every count 0 if idle (of
    one project's cards when asked)."""
    bounds = day_bounds(site, first, last)
    days = [
        {"date": (first + timedelta(days=i)).isoformat(), **dict.fromkeys(EVENTS, 0), "won": 0}
        for i in range(len(bounds) - 1)
    ]
    lower, upper = bounds[0], bounds[-1]
    sent = [Email.site_id == site.id, Email.send_state == "sent", *of_project(project_id)]
    for name, column in EVENTS.items():
        for (moment,) in session.execute(
            select(column).where(*sent, column >= lower, column < upper)
        ):
            days[bisect_right(bounds, moment) - 1][name] += 1
    emailed = exists().where(Email.opportunity_id == Opportunity.id, Email.send_state == "sent")
    project = [] if project_id is None else [Opportunity.project_id == project_id]
    for (moment,) in session.execute(
        select(Opportunity.status_changed_at).where(
            *project,
            Opportunity.site_id == site.id,
            Opportunity.status == "won",
            Opportunity.status_changed_at >= lower,
            Opportunity.status_changed_at < upper,
            emailed,
        )
    ):
        days[bisect_right(bounds, moment) - 1]["won"] += 1
    return days


def per_template(session: Session, site: Site, start, end, project_id=None) -> list[dict]:
    """One row per template of the site (oldest first), with its emails' figures."""
    counts = {
        row[0]: rates(*row[1:])
        for row in session.execute(
            select(Email.template_id, *COUNTS)
            .where(*cohort(site, start, end, project_id=project_id), Email.template_id.is_not(None))
            .group_by(Email.template_id)
        )
    }
    templates = session.execute(
        select(Template.id, Template.name).where(Template.site_id == site.id).order_by(Template.id)
    )
    return [
        {"template_id": tid, "name": name, **counts.get(tid, rates(0, 0, 0, 0, 0, 0))}
        for tid, name in templates
    ]


def per_sequence(session: Session, site: Site, start, end, project_id=None) -> list[dict]:
    """One row per sequence (live, or deleted with emails) with a row per step."""
    counts: dict[int, dict[int, tuple]] = {}
    for sequence_id, step, *figures in session.execute(
        select(Email.sequence_id, Email.step, *COUNTS)
        .where(*cohort(site, start, end, project_id=project_id), Email.sequence_id.is_not(None))
        .group_by(Email.sequence_id, Email.step)
    ):
        counts.setdefault(sequence_id, {})[step or 0] = tuple(figures)
    names = {
        t.id: t.name
        for t in session.execute(
            select(Template.id, Template.name).where(Template.site_id == site.id)
        )
    }
    rows = []
    for sequence in session.scalars(
        select(Sequence).where(Sequence.site_id == site.id).order_by(Sequence.id)
    ):
        if sequence.deleted_at is not None and sequence.id not in counts:
            continue
        rows.append(_sequence_row(sequence, counts.get(sequence.id, {}), names))
    return rows


def _sequence_row(sequence: Sequence, by_step: dict[int, tuple], names: dict) -> dict:
    """The sequence's totals and one row per step (its steps now, and any step emailed)."""
    templates = {s.position: s.template_id for s in sequence.steps}
    numbers = sorted(set(templates) | set(by_step))
    zero = (0,) * 6
    steps = [
        {
            "step": number,
            "template_id": templates.get(number),
            "template_name": names.get(templates.get(number)),
            **rates(*by_step.get(number, zero)),
        }
        for number in numbers
    ]
    totals = [sum(column) for column in zip(*by_step.values(), strict=True)] or zero
    return {
        "sequence_id": sequence.id,
        "name": sequence.name,
        "deleted": sequence.deleted_at is not None,
        **rates(*totals),
        "steps": steps,
    }
