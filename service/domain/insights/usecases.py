"""The numbers a site reads: totals over a period, and per day, template and sequence."""

from __future__ import annotations

from datetime import date, datetime

from service.db.unit_of_work import UnitOfWork
from service.domain.insights import breakdowns, totals
from service.models import Site


def metrics(uow: UnitOfWork, site: Site, start, end, template_id=None, sequence_id=None, **kw):
    """Totals and rates of the emails sent in [start, end) (of one template, sequence or
    project: `project_id`), and the unread replies now."""
    project_id = kw.get("project_id")
    where = totals.cohort(site, start, end, template_id, sequence_id, project_id)
    found = totals.compute(uow.session, site, where)
    return {**found, "unread_replies": totals.unread_replies(uow.session, site, project_id)}


def today(site: Site, now: datetime) -> date:
    """The day it is in the site's time zone."""
    return now.astimezone(breakdowns.zone_of(site)).date()


def daily(uow: UnitOfWork, site: Site, first: date, last: date, project_id=None) -> list[dict]:
    """One row per day of the site's time zone, each event on the day it happened."""
    return breakdowns.daily(uow.session, site, first, last, project_id)


def per_template(uow: UnitOfWork, site: Site, start, end, project_id=None) -> list[dict]:
    """One row per template: its emails sent in the period and their rates."""
    return breakdowns.per_template(uow.session, site, start, end, project_id)


def per_sequence(uow: UnitOfWork, site: Site, start, end, project_id=None) -> list[dict]:
    """One row per sequence with a row per step."""
    return breakdowns.per_sequence(uow.session, site, start, end, project_id)
