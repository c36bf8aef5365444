"""Managing the do-not-contact list: list, add (address or domain), remove; unsubscribes.

Adding an entry stops the site's active enrollments towards what it covers (a domain
covers every address at it and at its subdomains): `suppressed`. The stop is the
sequences' own rule, run on the SuppressionAdded event this module publishes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.db.bulk import insert_ignore
from service.domain import audit, events
from service.domain.deliverability import listing
from service.domain.errors import Conflict, Invalid, require
from service.models import Email, Site, Suppression


def parse_value(raw: str) -> tuple[str, str]:
    """(kind, value) for an address or a domain typed by a person; Invalid otherwise."""
    value = listing.normalize(raw or "").removeprefix("@")
    if "@" in value:
        local, _, domain = value.rpartition("@")
        if local and listing.DOMAIN_RE.fullmatch(domain) and not any(c.isspace() for c in local):
            return "email", value
    elif listing.DOMAIN_RE.fullmatch(value):
        return "domain", value
    raise Invalid(
        f"{raw!r} is neither an email address nor a domain (like name@example.com or example.com).",
        {"value": ["Give an email address or a domain, like example.com."]},
    )


def list_page(
    session: Session, site: Site, q: str | None, page: int, page_size: int
) -> tuple[list[Suppression], int]:
    """One page of the site's entries, newest first, and the total count."""
    query = select(Suppression).where(Suppression.site_id == site.id)
    if q and q.strip():
        escaped = q.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(Suppression.email.like(f"%{escaped}%", escape="\\"))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    items = session.scalars(
        query.order_by(Suppression.created_at.desc(), Suppression.id.desc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    return list(items), total


def add(
    session: Session,
    site: Site,
    raw: str,
    reason: str,
    note: str | None,
    actor: int,
    now: datetime,
) -> Suppression:
    """List an address or a domain (409 when it is listed already), stop what it covers."""
    kind, value = parse_value(raw)
    exists = session.scalar(
        select(Suppression.id).where(Suppression.site_id == site.id, Suppression.email == value)
    )
    if exists is not None:
        raise Conflict(f"{value} is already on the do-not-contact list.", id=exists)
    entry = Suppression(
        site_id=site.id, email=value, kind=kind, reason=reason, note=note, created_at=now
    )
    session.add(entry)
    session.flush()
    stopped = _listed(session, site, kind, value, reason, now)
    audit.log(
        session,
        site,
        actor,
        "suppression.create",
        "suppression",
        entry.id,
        {"kind": kind, "value": value, "reason": reason, "note": note, "stopped": stopped},
        now,
    )
    return entry


def remove(session: Session, site: Site, entry_id: int, actor: int, now: datetime) -> None:
    """Take an entry off the list (audited); stopped enrollments stay stopped."""
    entry = require(
        session.scalar(
            select(Suppression).where(Suppression.id == entry_id, Suppression.site_id == site.id)
        ),
        "Suppression",
    )
    audit.log(
        session,
        site,
        actor,
        "suppression.delete",
        "suppression",
        entry.id,
        {"kind": entry.kind, "value": entry.email, "reason": entry.reason},
        now,
    )
    session.delete(entry)
    session.flush()
    listing.changed(session)


def _listed(session: Session, site: Site, kind: str, value: str, reason: str, now) -> int:
    """An entry is on the list now: earlier answers are stale, and what it covers stops
    (the SuppressionAdded subscribers); returns how many active enrollments it covers."""
    listing.changed(session)
    covered = len(listing.covered_enrollments(session, site.id, kind, value))
    events.publish(
        session,
        events.SuppressionAdded,
        site_id=site.id,
        kind=kind,
        value=value,
        reason=reason,
        at=now,
    )
    return covered


def list_bounced(session: Session, email: Email, now: datetime) -> bool:
    """A hard bounce lists its recipient (reason bounced) and announces it (SuppressionAdded:
    outbound webhooks, the sequences' stops); False when the address was listed already.
    One home for the bounce read from a message and the one an SMTP server answered."""
    row = {
        "site_id": email.site_id,
        "email": email.to_normalized,
        "kind": "email",
        "reason": "bounced",
        "email_id": email.id,
        "created_at": now,
    }
    if not insert_ignore(session, Suppression, [row], returning=(Suppression.id,)):
        return False
    listing.changed(session)
    events.publish(
        session,
        events.SuppressionAdded,
        site_id=email.site_id,
        kind="email",
        value=email.to_normalized,
        reason="bounced",
        at=now,
    )
    return True


def unsubscribe(session: Session, site: Site, address: str, email_id: int, now: datetime) -> bool:
    """The recipient's one-click unsubscribe: list the address (reason unsubscribed) and stop
    its enrollments; False when it was listed already (the page answers the same)."""
    value = listing.normalize(address)
    row = {
        "site_id": site.id,
        "email": value,
        "kind": "email",
        "reason": "unsubscribed",
        "email_id": email_id,
        "created_at": now,
    }
    # Two clicks at once: the unique (site, value) lets exactly one insert win.
    if not insert_ignore(session, Suppression, [row], returning=(Suppression.id,)):
        return False
    _listed(session, site, "email", value, "unsubscribed", now)
    return True
