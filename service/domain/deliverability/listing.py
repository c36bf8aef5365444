"""Who is on a site's do-not-contact list: an address, or a domain covering its subdomains.

Stored values: an address (kind "email") or a domain (kind "domain"), lower case, the
domain in its IDNA ASCII form (UTS #46: `bücher.example` is `xn--bcher-kva.example`). The
reasons stored by the Event Webhook keep SendGrid's detail (bounced, dropped, unsubscribed,
spamreport); the API shows the contract's four words (PUBLIC_REASON).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import idna
from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session

from service.db.unit_of_work import TransactionState
from service.models import Enrollment, Suppression

PUBLIC_REASON = {
    "bounced": "bounce",
    "dropped": "bounce",
    "spamreport": "spamreport",
    "unsubscribed": "unsubscribe",
    "manual": "manual",
}
WORDS = {
    "bounced": "it bounced",
    "dropped": "SendGrid dropped an earlier email to it",
    "spamreport": "the recipient reported an email as spam",
    "unsubscribed": "the recipient unsubscribed",
    "manual": "it was added to the do-not-contact list",
}
# A host name: dot-separated labels of letters, digits and inner hyphens, a dot at least.
DOMAIN_RE = re.compile(r"(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}")


@dataclass(frozen=True)
class Listed:
    """The entry that blocks an address: its value, kind and stored reason."""

    value: str
    kind: str
    reason: str

    def why(self) -> str:
        """The reason in plain words, naming the domain when a domain entry matched."""
        words = WORDS.get(self.reason, self.reason)
        if self.kind == "domain":
            return f"the domain {self.value} is on the do-not-contact list ({words})"
        return words


# Entries read in this transaction: a step's re-check and its limit check ask the same
# question (emptied when the list changes).
LOOKUPS: TransactionState[dict[tuple[int, str], Listed | None]] = TransactionState(dict)


def normalize(address: str) -> str:
    """The form addresses (and domains) are compared in: trimmed, lower case, the domain
    in IDNA ASCII (UTS #46), so `anna@Bücher.example` and `anna@xn--bcher-kva.example`
    are one address, on the list, in sends and in matching alike."""
    local, at, domain = address.strip().lower().rpartition("@")
    return local + at + ascii_domain(domain)


def ascii_domain(domain: str) -> str:
    """A domain's IDNA ASCII form (UTS #46 mapping); as given when it is ASCII already or
    no valid host name (the callers' own checks refuse those)."""
    if domain.isascii():
        return domain
    try:
        return idna.encode(domain, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        return domain


def spellings(value: str) -> list[str]:
    """A normalised address or domain as it may be stored where people typed it: the ASCII
    form and, for an internationalised domain, the Unicode one."""
    local, at, domain = value.rpartition("@")
    if "xn--" not in domain:
        return [value]
    try:
        return [value, local + at + idna.decode(domain)]
    except (idna.IDNAError, UnicodeError):
        return [value]


def domain_of(address: str) -> str:
    """The domain part of a normalised address ("" when there is none)."""
    return address.rpartition("@")[2]


_TABLE = Suppression.__table__
# Built once: every send and every step asks (Core, with the covering values as one list).
_LOOKUP = select(_TABLE.c.email, _TABLE.c.kind, _TABLE.c.reason).where(
    _TABLE.c.site_id == bindparam("site_id"),
    _TABLE.c.email.in_(bindparam("values", expanding=True)),
)


def covering(address: str) -> list[str]:
    """Values whose entry blocks this address: itself, its domain and each parent domain."""
    domain = domain_of(address)
    labels = domain.split(".")
    parents = [".".join(labels[i:]) for i in range(len(labels) - 1)]
    return [address, *parents]


def lookup(session: Session, site_id: int, address: str) -> Listed | None:
    """The most specific entry blocking a normalised address, or None (read once per
    transaction)."""
    known, key = LOOKUPS.of(session), (site_id, address)
    if key not in known:
        read_many(session, site_id, [address])
    return known[key]


def read_many(session: Session, site_id: int, addresses) -> None:
    """Read the entries blocking normalised addresses of a site in one query, for lookup()
    to answer from in this transaction (a chunk of steps asks about each address)."""
    known = LOOKUPS.of(session)
    wanted = {a: covering(a) for a in addresses if (site_id, a) not in known}
    if not wanted:
        return
    values = sorted({value for values in wanted.values() for value in values})
    rows = {r.email: r for r in session.execute(_LOOKUP, {"site_id": site_id, "values": values})}
    for address, values in wanted.items():
        best = next((rows[value] for value in values if value in rows), None)  # most specific
        known[(site_id, address)] = None if best is None else Listed(*best)


def changed(session: Session) -> None:
    """The list changed in this transaction: answers read before are stale."""
    LOOKUPS.of(session).clear()


def covered_enrollments(session: Session, site_id: int, kind: str, value: str) -> list:
    """The site's active enrollments towards the address, or towards any address the
    domain covers (a new entry stops them: sequences/reactions.py)."""
    address = func.lower(Enrollment.to_email)
    if kind == "email":
        condition = address.in_(spellings(value))
    else:  # LIKE narrows; covering() decides (a domain value has no wildcard characters)
        condition = or_(
            *(address.like(f"%{sep}{form}") for form in spellings(value) for sep in "@.")
        )
    active = session.scalars(
        select(Enrollment).where(
            Enrollment.site_id == site_id, Enrollment.status == "active", condition
        )
    ).all()
    return [e for e in active if value in covering(normalize(e.to_email))]
