"""Add, list, remove and verify a site's sender domains.

Proof is a TXT record `_almaseo-outreach.<domain>` holding `almaseo-outreach-verify=<token>`
(the token is random per site and domain, so another site listing the same domain proves
nothing for this one). A verified domain and its subdomains may be used for `from_email`
and `reply_forward_to` like the site's own domain (service/domain/sending/sender_identity.py).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime

import idna
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain import audit
from service.domain.errors import Conflict, Invalid, require
from service.models import SenderDomain, Site

TXT_PREFIX = "_almaseo-outreach"
VALUE_PREFIX = "almaseo-outreach-verify="
MAX_PER_SITE = 50  # a settings list, not a registry: bounds what one key can add

# name -> the TXT strings found there (service/net/dns_txt.py; raises LookupFailed when the
# resolver gave no answer)
TxtLookup = Callable[[str], list[str]]


def ascii_domain(value: str) -> str:
    """The domain in its IDNA (UTS #46) ASCII form, lower case; Invalid when it is not one
    (a bare label, an address, a URL, a single label such as `localhost`)."""
    text = value.strip().rstrip(".").lower()
    try:
        ascii_form = idna.encode(text, uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        raise _invalid(f"Not a domain name: {exc}.") from exc
    if "." not in ascii_form or ascii_form.replace(".", "").isdigit():
        raise _invalid("Use a full domain name such as mail.example.org.")
    return ascii_form


def txt_name(row: SenderDomain) -> str:
    return f"{TXT_PREFIX}.{row.domain}"


def txt_value(row: SenderDomain) -> str:
    return VALUE_PREFIX + row.token


def listed(session: Session, site: Site) -> list[SenderDomain]:
    query = select(SenderDomain).where(SenderDomain.site_id == site.id).order_by(SenderDomain.id)
    return list(session.scalars(query))


def verified(session: Session, site: Site) -> tuple[str, ...]:
    """The site's verified domains (what sender checks add to the configured ones)."""
    query = select(SenderDomain.domain).where(
        SenderDomain.site_id == site.id, SenderDomain.verified_at.is_not(None)
    )
    return tuple(session.scalars(query))


def add(session: Session, site: Site, domain: str, actor: int, now: datetime) -> SenderDomain:
    """A pending domain with a fresh token; Conflict when the site lists it already."""
    domain = ascii_domain(domain)
    rows = listed(session, site)
    if any(row.domain == domain for row in rows):
        raise Conflict(f"{domain} is already listed.")
    if len(rows) >= MAX_PER_SITE:
        raise Conflict(f"A site lists at most {MAX_PER_SITE} sender domains.")
    row = SenderDomain(
        site_id=site.id, domain=domain, token=secrets.token_urlsafe(24), created_at=now
    )
    session.add(row)
    session.flush()
    audit.log(
        session, site, actor, "sender_domain.add", "sender_domain", row.id, {"domain": domain}, now
    )
    return row


def get(session: Session, site: Site, domain_id: int) -> SenderDomain:
    row = session.get(SenderDomain, domain_id)
    return require(row if row is not None and row.site_id == site.id else None, "Sender domain")


def remove(session: Session, site: Site, domain_id: int, actor: int, now: datetime) -> None:
    row = get(session, site, domain_id)
    audit.log(
        session,
        site,
        actor,
        "sender_domain.remove",
        "sender_domain",
        row.id,
        {"domain": row.domain},
        now,
    )
    session.delete(row)


def apply_lookup(row: SenderDomain, found: list[str], now: datetime) -> str | None:
    """Mark the row verified when the TXT strings hold its value; None, or why not. A
    domain once verified stays so: a record removed later does not undo it (removing the
    domain does)."""
    row.checked_at = now
    if txt_value(row) in (text.strip() for text in found):
        row.verified_at = row.verified_at or now
        return None
    if row.verified_at is not None:
        return None
    return (
        f"No TXT record {txt_name(row)} holding {txt_value(row)} was found yet "
        "(a new record can take a few minutes to an hour to be seen)."
    )


def _invalid(message: str) -> Invalid:
    return Invalid(message, {"domain": [message]})
