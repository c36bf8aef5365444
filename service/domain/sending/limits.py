"""Safety limits (docs/api.md, safety limits): do-not-contact list, pause, cooldown,
rolling daily cap, recipient-domain cap.

Checked under the site's write lock, in the transaction that inserts the email row, so
that racing requests are serialised and can never exceed a limit.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import bindparam, func, literal_column, select, update
from sqlalchemy.orm import Session

from service import observability
from service.db.unit_of_work import TransactionState
from service.domain.deliverability import listing
from service.domain.errors import Invalid, LimitExceeded
from service.models import Email, Site

# Emails that hold a slot: everything but a definite refusal (failed releases the slot).
HOLDING_STATES = ("pending", "sent", "unknown")
# The same test written into the SQL as constants: an IN over bound values is an
# "expanding" parameter that SQLAlchemy renders again on every execution (2 % of the
# CPU of a signed GET /site, which counts the day's sends; more for a batch of steps).
HOLDS_A_SLOT = Email.send_state.in_([literal_column(f"'{state}'") for state in HOLDING_STATES])
WINDOW = timedelta(hours=24)
# A pause has no end of its own (resume is by hand): scheduled work looks again this late.
PAUSED_RECHECK = timedelta(minutes=5)
# What this transaction holds: site locks taken, and the daily count of each site counted
# under its lock (at, n): a batch of steps does not rescan the window.
SITE_LOCKS: TransactionState[set[int]] = TransactionState(set)
DAILY_COUNTS: TransactionState[dict[int, tuple[datetime, int]]] = TransactionState(dict)


def lock_site(session: Session, site: Site) -> None:
    """Take the site's write lock (a row lock on PostgreSQL; SQLite serialises writers).

    Once per transaction: the lock is held until commit, so taking it again is a no-op.
    """
    locks = SITE_LOCKS.of(session)
    if site.id in locks:
        return
    session.execute(
        update(Site)
        .where(Site.id == site.id)
        .values(lock_version=Site.lock_version + 1)
        .execution_options(synchronize_session=False)
    )
    locks.add(site.id)


def note_reserved(session: Session, site: Site) -> None:
    """An email row holding a slot was just inserted under the lock: count it."""
    counts = DAILY_COUNTS.of(session)
    if site.id in counts:
        at, n = counts[site.id]
        counts[site.id] = (at, n + 1)


def check(
    session: Session, site: Site, to: str, now: datetime, opportunity_id: int | None = None
) -> None:
    """Raise Invalid (suppressed) or LimitExceeded (cooldown, daily_cap); call under the lock."""
    address = listing.normalize(to)
    try:
        check_suppression(session, site, address)
    except Invalid:
        observability.count("outreach_limit_hits_total", limit="suppressed")
        raise
    try:
        check_paused(site)
        check_cooldowns(session, site, address, now, opportunity_id)
        check_daily_cap(session, site, now)
        check_domain_cap(session, site, address, now)
    except LimitExceeded as exc:
        observability.count("outreach_limit_hits_total", limit=exc.limit)
        raise


def check_suppression(session: Session, site: Site, address: str) -> None:
    """422 naming why an address may never be emailed again by this site."""
    listed = listing.lookup(session, site.id, address)
    if listed is not None:
        why = listed.why()
        raise Invalid(
            f"{address} is on this site's suppression list ({why}); it will not be emailed again.",
            {"to": [f"Suppressed: {why}."]},
            reason=listing.PUBLIC_REASON.get(listed.reason, listed.reason),
        )


def check_paused(site: Site) -> None:
    """429 `paused` while the bounce brake (or a person) holds the site's sends."""
    if site.paused:
        raise LimitExceeded(
            f"Sending is paused for this site: {site.paused_reason or 'paused'} "
            "A user with the settings permission can resume it.",
            limit="paused",
            retry_at=None,
            retry_after=None,
        )


def suppression_reason(session: Session, site_id: int, address: str) -> str | None:
    """Why the site may not email this (normalised) address, or None."""
    listed = listing.lookup(session, site_id, address)
    return None if listed is None else listed.reason


def check_cooldowns(
    session: Session, site: Site, address: str, now: datetime, opportunity_id: int | None
) -> None:
    """No second email to one address, nor (v2) to any address of one prospect (card),
    within cooldown_hours: both read in one statement (under the site lock, after a
    flush: the emails this transaction reserved count)."""
    hours = float(site.cooldown_hours or 0)
    if hours <= 0:
        return
    params = {"site_id": site.id, "address": address, "card": opportunity_id}
    by_address, by_card = session.execute(_LAST_SENT, params).one()
    _cool(site, hours, by_address, now, f"An email already went to {address}")
    if opportunity_id is not None:
        what = "An email already went to this prospect (another address)"
        _cool(site, hours, by_card, now, what)


def _latest(which):
    """When the site's latest email holding a slot was reserved, among `which`."""
    return (
        select(func.max(Email.created_at))
        .where(Email.site_id == _SITE_ID, which, HOLDS_A_SLOT)
        .scalar_subquery()
    )


# Built once (a step checks both cooldowns): each subquery reads its own index, the
# recipient's (site, address) and the card's.
_SITE_ID = bindparam("site_id", type_=Email.site_id.type)
_LAST_SENT = select(
    _latest(Email.to_normalized == bindparam("address", type_=Email.to_normalized.type)),
    _latest(Email.opportunity_id == bindparam("card", type_=Email.opportunity_id.type)),
)


def _cool(site: Site, hours: float, last: datetime | None, now: datetime, what: str) -> None:
    """LimitExceeded (cooldown) while `last` + cooldown_hours is still ahead."""
    if last is None:
        return
    retry_at = last + timedelta(hours=hours)
    if retry_at > now:
        raise full_until(site, now, retry_at, "cooldown", f"{what} less than {_hours(hours)} ago")


def check_daily_cap(session: Session, site: Site, now: datetime) -> None:
    """At most daily_limit emails in any rolling 24 hours."""
    limit = int(site.daily_limit or 0)
    counts = DAILY_COUNTS.of(session)
    # Counted once per transaction (at one `now`): the lock keeps others from adding rows,
    # and note_reserved() counts ours; a batch of steps does not rescan the window. The
    # statement is built once: building it for every step was 2-3 % of a scheduler's CPU.
    if site.id not in counts or counts[site.id][0] != now:
        params = {"site_id": site.id, "since": now - WINDOW}
        counts[site.id] = (now, session.scalar(_SENT_LAST_24H, params))
    count = counts[site.id][1]
    if count < limit:
        return
    if limit <= 0:
        retry_at = now + WINDOW  # a zero cap never opens; say "tomorrow" rather than never
    else:
        retry_at = _slot_frees_at(session, _holding(site, now), count, limit)
    said = f"Daily limit of {limit} emails reached for this site"
    raise full_until(site, now, retry_at, "daily_cap", said, "email")


def _holding(site: Site, now: datetime, *which):
    """The site's emails (among `which`) holding a slot at `now`: created in the last 24 h."""
    return select(Email.created_at).where(
        Email.site_id == site.id,
        *which,
        HOLDS_A_SLOT,
        Email.created_at > now - WINDOW,
    )


def _slot_frees_at(session: Session, recent, count: int, limit: int) -> datetime:
    """When a slot frees: the (count - limit + 1)-th oldest email leaves the window."""
    oldest = session.scalar(recent.order_by(Email.created_at).offset(count - limit).limit(1))
    return oldest + WINDOW


def _count_holding(site_id, since: str):
    """SELECT count(*) of the emails of `site_id` holding a slot since the bound `since`."""
    return select(func.count()).where(
        Email.site_id == site_id,
        HOLDS_A_SLOT,
        Email.created_at > bindparam(since, type_=Email.created_at.type),
    )


# Built once (the settings screen reads it on every GET /site): no statement and cache
# key built per request.
_SENT_LAST_24H = _count_holding(bindparam("site_id"), "since")
# The same count as a column beside a statement's Site row (correlated to it).
_SENT_LAST_24H_BESIDE_SITE = _count_holding(Site.id, "sent_since").correlate(Site).scalar_subquery()


def sent_last_24h_beside_site(now: datetime) -> tuple:
    """(column, parameters): sent_last_24h read beside a site's row in another statement
    (the signature check's, for GET /site: the count costs no round trip of its own)."""
    return _SENT_LAST_24H_BESIDE_SITE, {"sent_since": now - WINDOW}


def sent_last_24h(session: Session, site: Site, now: datetime) -> int:
    """How many of the daily cap's slots are taken now (for the settings screen): the
    emails _holding() a slot. On the session's connection, not through the ORM's
    execution (a count loads no objects; ~40 µs of CPU less on every GET /site); the
    callers have nothing unflushed."""
    params = {"site_id": site.id, "since": now - WINDOW}
    return session.connection().scalar(_SENT_LAST_24H, params)


def check_domain_cap(session: Session, site: Site, address: str, now: datetime) -> None:
    """At most domain_daily_limit emails to one recipient domain in any rolling 24 hours."""
    limit, domain = int(site.domain_daily_limit or 0), listing.domain_of(address)
    if limit <= 0 or not domain:
        return
    recent = _holding(site, now, Email.to_domain == domain)
    # Under the site lock: racing sends to one domain are counted one after the other.
    count = session.scalar(select(func.count()).select_from(recent.subquery()))
    if count < limit:
        return
    retry_at = _slot_frees_at(session, recent, count, limit)
    said = (
        f"{limit} emails already went to {domain} in the last 24 hours (the site's per-domain cap)"
    )
    raise full_until(site, now, retry_at, "domain_cap", said)


def exceeded(message: str, limit: str, retry_at: datetime, now: datetime) -> LimitExceeded:
    seconds = max(1, math.ceil((retry_at - now).total_seconds()))
    return LimitExceeded(message, limit=limit, retry_at=retry_at, retry_after=seconds)


def full_until(
    site: Site, now: datetime, retry_at: datetime, limit: str, said: str, next_one: str = "one"
) -> LimitExceeded:
    """A limit that is full until `retry_at`: `said`, then when the next one can go in the
    site's time zone (the words every time-bound refusal ends with)."""
    at = local_time(retry_at, now, site.timezone)
    return exceeded(f"{said}; the next {next_one} can go at {at}.", limit, retry_at, now)


def _hours(hours: float) -> str:
    return f"{hours:g} hour" + ("" if hours == 1 else "s")


def local_time(moment: datetime, now: datetime, zone: str | None = None) -> str:
    """A person's time in the site's time zone, named: rounded up to the minute (never
    earlier than retry_at), with the date when it is not today there."""
    rounded = moment.replace(second=0, microsecond=0)
    if rounded < moment:
        rounded += timedelta(minutes=1)
    tz = _zone(zone)
    local, today = rounded.astimezone(tz), now.astimezone(tz).date()
    name = "UTC" if tz is UTC else tz.key
    return local.strftime(f"%H:%M {name}" if local.date() == today else f"%Y-%m-%d %H:%M {name}")


def _zone(name: str | None):
    """The site's zone; UTC when unset or unknown (settings validate it: belt and braces)."""
    if not name or name == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC
