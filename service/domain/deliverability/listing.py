"""Who is on a site's do-not-contact list: an address, or a domain covering its subdomains.

Stored values: an address (kind "email") or a domain (kind "domain"), lower case. The
reasons stored by the Event Webhook keep SendGrid's detail (bounced, dropped, unsubscribed,
spamreport); the API shows the contract's four words (PUBLIC_REASON).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from service.models import Suppression

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
    """The most specific entry blocking a normalised address, or None."""
    values = covering(address)
    rows = session.execute(_LOOKUP, {"site_id": site_id, "values": values}).all()
    if not rows:
        return None
    best = min(rows, key=lambda r: values.index(r.email))
    return Listed(best.email, best.kind, best.reason)
