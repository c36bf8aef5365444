"""The sending queue (docs/api.md §20): when one more automated send may go, given what
went out and what is already queued.

A slot is the earliest time, from now on, at which one more send keeps every rule:
- the daily cap: at most `daily_limit` sends in any rolling 24 hours;
- the hourly limit: at most `hourly_limit` in any rolling hour (0 = off);
- the spacing: `min_spacing_seconds` from any other send (0 = off); a slot after now
  gets a random jitter of up to a fifth more, so a queue does not tick like a clock;
- the sending window (deliverability/windows.py).

What holds time: the sends of the last 24 hours (their slots, limits.HOLDING_STATES), the
scheduled emails and the enrollments whose step 1 waits. Slots are computed under the
site's lock, so two requests never take the same one, and each request's slots follow
the ones handed out before it (request order); nothing overbooks a day. A slot is a
plan: at send time pacing.py and limits.py check again, and postpone what another send
(a person's "send now", a follow-up step) took the room of.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db.unit_of_work import TransactionState
from service.domain.deliverability import listing, windows
from service.domain.sending import limits
from service.models import Email, Enrollment, Site

HOUR, DAY = timedelta(hours=1), limits.WINDOW
JITTER = 0.2  # the most a queued slot's spacing grows, as a share of it


@dataclass
class Plan:
    """The times a site's slots are planned around, loaded once per transaction under its
    lock and kept in order as this transaction hands out slots; `floor`, the last slot it
    handed out: the next search starts there, so the slots of one request follow each
    other in its order and a bulk request costs one pass over the queue, not one per
    card (a gap before the floor that a jittered slot stepped over stays free)."""

    now: datetime
    times: list[datetime]
    floor: datetime


PLANS: TransactionState[dict[int, Plan]] = TransactionState(dict)


@dataclass(frozen=True)
class Rules:
    """What a slot must keep to (from the site's settings)."""

    daily: int
    hourly: int
    spacing: timedelta
    opening: Callable[[datetime], datetime]  # the time itself, or the window's next opening


def rules_of(site: Site) -> Rules:
    """The site's queue rules."""

    def opening(at: datetime) -> datetime:
        period = windows.next_opening(site, at)
        return at if period is None or period[0] <= at else period[0]

    return Rules(
        daily=int(site.daily_limit or 0),
        hourly=int(site.hourly_limit or 0),
        spacing=timedelta(seconds=int(site.min_spacing_seconds or 0)),
        opening=opening,
    )


def slot(session: Session, site: Site, now: datetime, rng: random.Random | None = None):
    """Under the site's lock: `now` when one more send may go now, else the earliest
    later slot (with jitter). The caller says `take()` once it holds it."""
    limits.lock_site(session, site)
    plan, rules = _plan(session, site, now), rules_of(site)
    at = earliest(plan.times, plan.floor, rules)
    if at > now and rules.spacing:
        stretch = 1 + (rng or random).uniform(0, JITTER)
        at = earliest(plan.times, plan.floor, replace(rules, spacing=rules.spacing * stretch))
    return at


def take(session: Session, site: Site, at: datetime) -> None:
    """This transaction holds a slot at `at` (a send now or a queued one)."""
    plan = PLANS.of(session).get(site.id)
    if plan is not None:
        insort(plan.times, at)
        plan.floor = max(plan.floor, at)


def check_recipient(
    session: Session, site: Site, to: str, now: datetime, opportunity_id: int
) -> None:
    """What waiting for a slot does not change, refused now as a send would: a listed
    address (Invalid), a pause, the recipient's cooldown (LimitExceeded)."""
    address = listing.normalize(to)
    limits.check_suppression(session, site, address)
    limits.check_paused(site)
    limits.check_cooldowns(session, site, address, now, opportunity_id)


def _plan(session: Session, site: Site, now: datetime) -> Plan:
    """The times that hold slots, in order (read once per transaction, under the lock)."""
    plans = PLANS.of(session)
    if site.id in plans and plans[site.id].now == now:
        return plans[site.id]
    sent = select(Email.created_at).where(
        Email.site_id == site.id,
        limits.HOLDS_A_SLOT,
        Email.created_at > now - DAY,
    )
    waiting = select(Email.scheduled_for).where(
        Email.site_id == site.id, Email.send_state == "scheduled", Email.scheduled_for > now
    )
    first_steps = select(Enrollment.next_step_at).where(
        Enrollment.site_id == site.id,
        Enrollment.status == "active",
        Enrollment.current_step == 0,
        Enrollment.next_step_at > now,
    )
    times = sorted(t for query in (sent, waiting, first_steps) for t in session.scalars(query))
    plans[site.id] = Plan(now, times, now)
    return plans[site.id]


def earliest(planned: list[datetime], start: datetime, rules: Rules) -> datetime:
    """The first time from `start` on that keeps every rule beside `planned` (sorted).
    Each rule only moves the time forward, to the least time that could keep it; done
    when none moves it. A zero daily cap never opens: `start` (the send path says 429)."""
    if rules.daily <= 0:
        return start
    at = start
    while True:
        moved = rules.opening(at)
        moved = _spaced(planned, moved, rules.spacing)
        moved = _capped(planned, moved, HOUR, rules.hourly)
        moved = _capped(planned, moved, DAY, rules.daily)
        if moved == at:
            return at
        at = moved


def _spaced(planned: list[datetime], at: datetime, spacing: timedelta) -> datetime:
    """The least time from `at` on that is `spacing` away from every planned time."""
    if not spacing:
        return at
    while True:
        near = bisect_right(planned, at - spacing)  # the first planned time after at - spacing
        if near == len(planned) or planned[near] >= at + spacing:
            return at
        at = planned[near] + spacing


def _capped(planned: list[datetime], at: datetime, span: timedelta, limit: int) -> datetime:
    """`at`, or past the end of the full window that holds it. Every window of `span`
    that holds `at` starts at `at` or at a planned time in (at - span, at]: each must
    hold fewer than `limit` (then one more fits). A window from index i holds `limit`
    when the (limit - 1)-th time after it is still inside it."""
    if limit <= 0:
        return at
    first, last = bisect_right(planned, at - span), bisect_right(planned, at)
    starts = [(i, planned[i]) for i in range(first, last)]
    starts.append((bisect_left(planned, at), at))
    needed = at
    for i, start in starts:
        full = i + limit - 1 < len(planned) and planned[i + limit - 1] < start + span
        if full:
            needed = max(needed, start + span)
    return needed
