"""One link check: fetch and classify (no database), then record it and apply the rules.

The rules (docs/api.md, link monitoring): a Reached card whose page links to us (live or
nofollow) moves to Won; a Won card or a watched backlink whose link is missing or
unreachable on `link_lost_after` checks in a row is lost: the card is flagged and moves
to New; a lost backlink flags and moves its card, or creates one (origin link_check),
once per loss (a live check ends the loss). A check the resolver could not answer (no
DNS answer in time) is recorded but counts neither way. A card counts at most one miss
per retry interval (`link_retry_hours`, else its check interval): a person clicking
"check now" twice has not seen the link fail twice.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from service.domain import events
from service.domain.cards import writes
from service.domain.cards.duplicates import dedupe_key
from service.domain.links.classify import Found, classify
from service.domain.links.html_scan import TooComplex
from service.domain.links.politeness import Deferred
from service.domain.links.urls import Target
from service.models import Backlink, LinkCheck, Opportunity, Site

if TYPE_CHECKING:  # the fetcher (httpx) loads when a check first runs: service/app.py
    from service.domain.links.fetch import Fetcher, Page

SYSTEM = 0  # the actor of the scheduler's moves in the audit trail
FOUND = ("live", "nofollow")
# Checks kept per card or backlink: what history() shows. Weekly checks keep two years;
# without a bound the table grew by a row per check for ever.
KEPT = 100
MIN_HOURS = 0.25  # the shortest interval honoured (the API refuses less; older rows may hold it)


def min_hours() -> float:
    """The shortest link-check interval: MIN_HOURS, unless OUTREACH_LINKCHECK_MIN_HOURS
    lowers it (development and the browser tests, which check every second)."""
    return float(os.environ.get("OUTREACH_LINKCHECK_MIN_HOURS") or MIN_HOURS)


@dataclass
class Subject:
    """What to check, as plain data (a pool thread has no session)."""

    kind: str  # "card" | "backlink"
    id: int
    source_url: str
    target_url: str | None
    site_url: str


@dataclass
class Outcome:
    """The answer of run(): a verdict with its page, or deferred (nothing was checked)."""

    subject: Subject
    status: str = "unreachable"
    page: Page | None = None
    found: Found | None = None
    duration_ms: int = 0
    deferred: Deferred | None = None


def subject_of(row: Opportunity | Backlink, site: Site) -> Subject:
    """The plain data of a card or backlink to check."""
    kind = "card" if isinstance(row, Opportunity) else "backlink"
    return Subject(kind, row.id, row.source_url, row.target_url, site.url)


def run(fetcher: Fetcher, subject: Subject, deadline: float) -> Outcome:
    """Fetch the source page and look for the link (a pool thread or the request; no DB)."""
    started = time.monotonic()
    outcome = Outcome(subject)
    try:
        outcome.page = fetcher.fetch(subject.source_url, deadline)
    except Deferred as exc:
        outcome.deferred = exc
        return outcome
    if outcome.page.error is None:
        target = Target(subject.target_url, subject.site_url)
        try:
            outcome.found = classify(
                outcome.page.text,
                outcome.page.final_url,
                target,
                outcome.page.x_robots,
                deadline,
            )
            outcome.status = outcome.found.status
        except TooComplex as exc:  # a hostile page: unreachable, saying why
            outcome.page.error = str(exc)
    outcome.duration_ms = int((time.monotonic() - started) * 1000)
    return outcome


def apply(
    session: Session, site: Site, row, outcome: Outcome, trigger: str, actor: int, now: datetime
) -> LinkCheck:
    """Store the check and apply its consequences to the card or backlink."""
    page, found = outcome.page, outcome.found or Found(outcome.status)
    check = LinkCheck(
        site_id=site.id,
        opportunity_id=row.id if outcome.subject.kind == "card" else None,
        backlink_id=row.id if outcome.subject.kind == "backlink" else None,
        trigger=trigger,
        checked_at=now,
        status=outcome.status,
        http_status=page.http_status,
        final_url=page.final_url[:2000],
        href=found.href,
        anchor_text=found.anchor_text,
        rel=found.rel,
        noindex=found.noindex,
        error=page.error,
        duration_ms=outcome.duration_ms,
    )
    session.add(check)
    if page.inconclusive:  # the resolver failed: no evidence either way, no miss counted
        _stamp(row, outcome.subject.kind, now)
    elif outcome.subject.kind == "card":
        _apply_to_card(session, site, row, outcome.status, actor, now)
    else:
        _apply_to_backlink(session, site, row, outcome.status, now)
    session.flush()
    table = LinkCheck.__table__
    _keep_latest(
        session, table.c.opportunity_id if check.opportunity_id else table.c.backlink_id, row.id
    )
    return check


def _keep_latest(session: Session, subject, subject_id: int) -> None:
    """Drop the subject's checks older than its newest KEPT (one index range)."""
    table = LinkCheck.__table__
    oldest_kept = (
        select(table.c.id)
        .where(subject == subject_id)
        .order_by(table.c.id.desc())
        .offset(KEPT - 1)
        .limit(1)
        .scalar_subquery()
    )
    session.execute(delete(table).where(subject == subject_id, table.c.id < oldest_kept))


def _stamp(row, kind: str, now: datetime) -> None:
    """Checked now (the next check waits its interval), the verdict left as it was."""
    if kind == "card":
        row.link_checked_at = now
    else:
        row.checked_at = now


def _lost(site: Site, misses: int) -> bool:
    return site.link_lost_after > 0 and misses >= site.link_lost_after


def _apply_to_card(
    session: Session, site: Site, opp: Opportunity, status: str, actor: int, now: datetime
) -> None:
    opp.link_status, opp.link_checked_at = status, now
    if status in FOUND:
        opp.link_misses, opp.link_missed_at = 0, None
        opp.link_last_live_at = now
        if opp.status == "reached":
            writes.move(session, site, opp, "won", None, actor, now)
            events.publish(session, events.LinkWon, site_id=site.id, card_id=opp.id)
        return
    if not _counts_as_miss(site, opp, now):
        return
    opp.link_misses, opp.link_missed_at = opp.link_misses + 1, now
    if opp.status == "won" and _lost(site, opp.link_misses):
        _flag_lost(session, site, opp, actor, now)


def _counts_as_miss(site: Site, opp: Opportunity, now: datetime) -> bool:
    """A failed check adds to the run of misses unless the last counted miss is less than
    a retry interval old (the scheduler's checks are that far apart anyway; a person's are
    not)."""
    if opp.link_misses == 0 or opp.link_missed_at is None:
        return True
    hours = site.link_retry_hours or site.link_check_won_hours
    return now - opp.link_missed_at >= timedelta(hours=max(hours, min_hours()))


def _flag_lost(session: Session, site: Site, opp: Opportunity, actor: int, now: datetime):
    writes.update_fields(session, site, opp, {"lost_link": True}, actor, now)
    if opp.status != "new":
        writes.move(session, site, opp, "new", None, actor, now)
    events.publish(session, events.LinkLost, site_id=site.id, card_id=opp.id)


def _apply_to_backlink(
    session: Session, site: Site, link: Backlink, status: str, now: datetime
) -> None:
    link.status, link.checked_at = status, now
    if status in FOUND:
        link.misses, link.last_live_at, link.lost_at = 0, now, None
        return
    link.misses += 1
    if link.lost_at is None and _lost(site, link.misses):
        link.lost_at = now
        link.opportunity_id = _lost_card(session, site, link, now).id


def _lost_card(session: Session, site: Site, link: Backlink, now: datetime) -> Opportunity:
    """The card of a lost backlink: the pair's existing card flagged and moved, or a new one."""
    key = dedupe_key(link.source_url, link.target_url)
    opp = session.scalar(
        select(Opportunity).where(Opportunity.site_id == site.id, Opportunity.dedupe_key == key)
    )
    if opp is not None:
        _flag_lost(session, site, opp, SYSTEM, now)
        return opp
    values = {
        "source_url": link.source_url,
        "target_url": link.target_url,
        "anchor_text": link.anchor_text,
        "lost_link": True,
    }
    opp = writes.create(session, site, values, SYSTEM, now, origin="link_check")
    opp.link_status, opp.link_checked_at = link.status, now
    opp.link_last_live_at = link.last_live_at
    events.publish(session, events.LinkLost, site_id=site.id, card_id=opp.id)
    return opp


def history(session: Session, site: Site, opp: Opportunity, limit: int = KEPT) -> list[LinkCheck]:
    """A card's checks, newest first."""
    return list(
        session.scalars(
            select(LinkCheck)
            .where(LinkCheck.site_id == site.id, LinkCheck.opportunity_id == opp.id)
            .order_by(LinkCheck.id.desc())
            .limit(limit)
        )
    )
