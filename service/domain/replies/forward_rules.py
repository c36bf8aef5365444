"""Whether a reply's forward may go now: the address, the do-not-contact list, the pause
and the site's hourly cap (issue 21 #4: an outsider with a reply address made the service
send without bound, to an unsubscribed address, while the daily limit was 0).

A forward is mail the service sends, so it obeys what every send obeys, except the
daily limit and the cooldown (a person's own inbox is not a prospect): it goes only to an
address at the site's domain or its sender domains (OUTREACH_SENDER_DOMAINS and those it
verified: sender_identity, as for from_email), never to a listed one, not while
the site is paused, and at most `reply_forward_hourly_limit` per rolling hour.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.domain import audit
from service.domain.deliverability import listing
from service.domain.sender_domains import records as sender_domain_records
from service.domain.sending import limits, sender_identity
from service.models import AuditEntry, Reply, Site

HOUR = timedelta(hours=1)
PAUSED_RETRY = timedelta(minutes=15)  # looked at again while the site stays paused
CAPPED = "reply_forward.capped"  # the audit action, once per hour the cap holds


def hold(
    session: Session, site: Site, reply: Reply, now: datetime, sender_domains: tuple
) -> str | None:
    """Why the forward does not go now (`refused`, `paused`, `capped`), with the reply
    updated to say so; None: it goes, and counts towards the hour from now (released
    again when the send fails: forward_job.record_forwards)."""
    refusal = refusal_of(session, site, site.reply_forward_to, sender_domains)
    if refusal:
        reply.forward_state, reply.forward_error = "failed", refusal
        return "refused"
    if site.paused:
        reply.forward_due_at = now + PAUSED_RETRY
        return "paused"
    limits.lock_site(session, site)  # counted and reserved under the site lock
    since = now - HOUR
    in_hour = Reply.site_id == site.id, Reply.forwarded_at > since
    taken = session.scalar(select(func.count(Reply.id)).where(*in_hour))
    if taken >= site.reply_forward_hourly_limit:
        oldest = session.scalar(select(func.min(Reply.forwarded_at)).where(*in_hour))
        reply.forward_due_at = (oldest or now) + HOUR
        _audit_once(session, site, since, now)
        return "capped"
    reply.forwarded_at = now
    return None


def refusal_of(session: Session, site: Site, address: str | None, sender_domains) -> str | None:
    """Why `address` may not receive the site's forwards, in words; None when it may."""
    if not address:
        return None
    domains = (*sender_domains, *sender_domain_records.verified(session, site))
    if not sender_identity.allowed(site, address, domains):
        return (
            f"{address} is not at the site's own domain or one of its sender domains: "
            "replies are forwarded only to the site's own people."
        )
    listed = listing.lookup(session, site.id, listing.normalize(address))
    if listed is not None:
        return f"{address} may not be mailed: {listed.why()}."
    return None


def _audit_once(session: Session, site: Site, since: datetime, now: datetime) -> None:
    """One audit entry per hour the cap holds, however many forwards wait."""
    known = session.scalar(
        select(AuditEntry.id)
        .where(
            AuditEntry.site_id == site.id,
            AuditEntry.action == CAPPED,
            AuditEntry.created_at > since,
        )
        .limit(1)
    )
    if known is None:
        changes = {"limit": site.reply_forward_hourly_limit}
        audit.log(session, site, 0, CAPPED, "site", site.id, changes, now)
