"""The `link-checks` job kind: due cards and backlinks, each checked once.

Items are ("card", id) or ("backlink", id). A claim leases due rows to one process
(`link_lease_*` on cards, `lease_*` on backlinks; FOR UPDATE SKIP LOCKED on PostgreSQL,
serialised writers on SQLite); recording is guarded by the lease, so a check a crashed
process left behind runs again once its lease ends, and only once.

When a row is due (per site, from its settings): a Reached card one
`link_check_reached_hours` after it entered the column and after each check; a Won card
likewise every `link_check_won_hours`, or `link_retry_hours` after a failed check; a
backlink at once, then like a Won card. 0 turns a kind of check off; an interval under
MIN_HOURS counts as MIN_HOURS. Each pass shares its batch fairly across sites (claim).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from service.db.leases import lease_due
from service.domain.jobs import JobKind
from service.domain.links import checks
from service.models import Backlink, Opportunity, Site

if TYPE_CHECKING:  # the fetcher (httpx) loads when a check first runs: service/app.py
    from service.domain.links.fetch import Fetcher

CALL_BUDGET = 90.0  # seconds one check may take, waiting for its turns included


@dataclass
class LinkJob:
    """A claimed item on its way through prepare, call (result) and record."""

    item: tuple[str, int]
    subject: checks.Subject
    result: checks.Outcome | None = None


# Per process: the site after which the next pass starts sharing (round robin).
_ROTATION = {"after": 0}


def _hours(value: float) -> timedelta:
    return timedelta(hours=max(value, checks.min_hours()))


def _free(lease_until, now: datetime):
    return or_(lease_until.is_(None), lease_until < now)


def _card_due(site: Site, now: datetime):
    """Cards of a site due for a check now (none if both intervals are 0)."""
    rules = []
    for status, hours in (
        ("reached", site.link_check_reached_hours),
        ("won", site.link_check_won_hours),
    ):
        if hours <= 0:
            continue
        every = now - _hours(hours)
        retry = now - _hours(site.link_retry_hours or hours) if status == "won" else every
        rules.append(
            and_(
                Opportunity.status == status,
                Opportunity.status_changed_at <= every,
                or_(
                    Opportunity.link_checked_at.is_(None),
                    Opportunity.link_checked_at < Opportunity.status_changed_at,
                    Opportunity.link_checked_at <= every,
                    and_(Opportunity.link_misses > 0, Opportunity.link_checked_at <= retry),
                ),
            )
        )
    if not rules:
        return None
    return and_(
        Opportunity.site_id == site.id,
        Opportunity.deleted_at.is_(None),
        _free(Opportunity.link_lease_until, now),
        or_(*rules),
    )


def _backlink_due(site: Site, now: datetime):
    hours = site.link_check_won_hours
    if hours <= 0:
        return None
    retry = now - _hours(site.link_retry_hours or hours)
    return and_(
        Backlink.site_id == site.id,
        _free(Backlink.lease_until, now),
        or_(
            Backlink.checked_at.is_(None),
            Backlink.checked_at <= now - _hours(hours),
            and_(Backlink.misses > 0, Backlink.lost_at.is_(None), Backlink.checked_at <= retry),
        ),
    )


KINDS = {
    # kind: (model, due rule, (owner, until) columns, a "when it became due" column)
    "card": (Opportunity, _card_due, ("link_lease_owner", "link_lease_until"), "link_checked_at"),
    "backlink": (Backlink, _backlink_due, ("lease_owner", "lease_until"), "checked_at"),
}


def claim(
    session: Session, owner: str, now: datetime, lease: timedelta, batch: int
) -> list[tuple[tuple[str, int], datetime]]:
    """Lease up to `batch` due items to `owner`: (item, last checked or now), oldest first
    within a site. Shared fairly: every site first gets an equal share of the batch (at
    least one item; the sites in turn, from where the last pass stopped), then what is
    left goes round again; one site's flood of due checks cannot take every slot."""
    sites = list(session.scalars(select(Site).order_by(Site.id)))
    start = next((i for i, site in enumerate(sites) if site.id > _ROTATION["after"]), 0)
    sites = sites[start:] + sites[:start]
    share = max(1, batch // max(1, len(sites)))
    claimed: list = []
    for round_limit in (share, batch):
        for site in sites:
            room = min(round_limit, batch - len(claimed))
            if room <= 0:
                break
            claimed += _claim_site(session, site, owner, now, lease, room)
            if round_limit == share and len(claimed) >= batch:
                _ROTATION["after"] = site.id  # the next pass starts with the site after it
    return claimed


def _claim_site(session: Session, site: Site, owner: str, now: datetime, lease, room: int):
    claimed: list = []
    for kind, (model, due, (owner_col, until_col), since) in KINDS.items():
        where = due(site, now)
        if where is None or len(claimed) >= room:
            continue
        stamp = {owner_col: owner, until_col: now + lease}
        rows = lease_due(
            session, model, getattr(model, since), (where,), stamp,
            room - len(claimed), order=(model.id,),
        )  # fmt: skip
        claimed += [((kind, r[0]), r[1] or now) for r in rows]
    return claimed


def _held(session: Session, item: tuple[str, int], owner: str):
    """The row of an item if this owner's lease on it still stands, with its site."""
    model, _due, (owner_col, _until), _since = KINDS[item[0]]
    row = session.scalar(
        select(model)
        .where(model.id == item[1], getattr(model, owner_col) == owner)
        .execution_options(populate_existing=True)
    )
    return (row, session.get(Site, row.site_id)) if row is not None else (None, None)


def prepare(session: Session, items: list, owner: str, now: datetime, lease: timedelta):
    """The subjects of items still ours (nothing to reserve: a check has no side effect)."""
    jobs = []
    for item in items:
        row, site = _held(session, item, owner)
        if row is not None:
            jobs.append(LinkJob(item, checks.subject_of(row, site)))
    return jobs, Counter()


def call(job: LinkJob, fetcher: Fetcher) -> LinkJob:
    """In a pool thread: fetch and classify."""
    job.result = checks.run(fetcher, job.subject, time.monotonic() + CALL_BUDGET)
    return job


def record_checks(session: Session, jobs: list[LinkJob], owner: str, now: datetime) -> Counter:
    """Record each answer whose lease still stands; a deferred check waits, leased, until
    its host may be fetched again."""
    outcomes: Counter = Counter()
    for job in jobs:
        row, site = _held(session, job.item, owner)
        if row is None:
            outcomes["lease_lost"] += 1
            continue
        if job.result.deferred is not None:
            _lease(session, job.item, owner, max(job.result.deferred.until, now))
            outcomes["deferred"] += 1
            continue
        checks.apply(session, site, row, job.result, "scheduled", checks.SYSTEM, now)
        _lease(session, job.item, None, None)
        outcomes[job.result.status] += 1
    return outcomes


def _lease(session: Session, item: tuple[str, int], owner: str | None, until) -> None:
    """Set or clear an item's lease (a plain UPDATE: a lease is not card news for the
    board's change log)."""
    model, _due, (owner_col, until_col), _since = KINDS[item[0]]
    session.execute(
        update(model)
        .where(model.id == item[1])
        .values({owner_col: owner, until_col: until})
        .execution_options(synchronize_session=False)
    )


def release(session: Session, items: list, owner: str) -> None:
    """Give back leases never worked on (a stopping worker)."""
    for item in items:
        row, _site = _held(session, item, owner)
        if row is not None:
            _lease(session, item, None, None)


def kind(runtime) -> JobKind:
    """Link checks: each due card or watched backlink fetched and recorded exactly once."""
    return JobKind(
        name="link-checks",
        claim=claim,
        prepare=prepare,
        call=lambda job: call(job, runtime.links.scheduled),
        record=record_checks,
        release=release,
        describe=lambda job: f"{job.item[0]} {job.item[1]}",
        # As many threads as the fleet has fetch slots: one process alone can fill them
        # all; with more processes the threads beyond the slots wait for a turn.
        concurrency=runtime.link_concurrency,
        every=pass_spacing(),
    )


def pass_spacing() -> timedelta:
    """The least time between two passes: a sixtieth of the shortest interval (15 s at
    the floor of a quarter hour), so a check is never more than that late. Checks fall
    due hours apart, and a pass's claim reads every site's cards: at a scheduler interval
    of half a second its claims took ~5 % of a process's CPU while it sent steps."""
    return timedelta(hours=checks.min_hours() / 60)
