"""A reply received: detected from an Inbound Parse post or marked by hand, same effect."""

from __future__ import annotations

import email as email_lib
import hashlib
import re
from datetime import datetime
from email.utils import parseaddr

from sqlalchemy import select
from sqlalchemy.orm import Session

from service import observability
from service.domain import audit, events, timeline
from service.domain.cards import counters
from service.domain.deliverability import listing, suppressions
from service.domain.errors import Conflict
from service.domain.replies import (
    auto_replies,
    bounces,
    colleagues,
    conversations,
    inbound_mail,
    reading,
)
from service.domain.sequences import stop_rules
from service.models import Email, Site

TOKEN_RE = re.compile(r"reply\+([A-Za-z0-9_-]{8,64})@", re.IGNORECASE)
MSGID_RE = re.compile(r"<([^<>\s]+)>")
# Inbound Parse's `dkim` field: "{@example.org : pass}", several comma-separated.
DKIM_RE = re.compile(r"@([^\s:,{}@]+)\s*:\s*([A-Za-z]+)")
MAX_SIGNATURES = 20
MAX_REFERENCES = 100
NEVER_SENT = ("pending", "failed", "scheduled", "cancelled")  # no reply can answer these


def record_reply(
    session: Session, email: Email, at: datetime, now: datetime, detail: dict, key: str
) -> bool:
    """Store a `replied` event once, stamp the email, update the card, stop the sequence."""
    if not timeline.add(session, email, "replied", at, detail, key, now=now):
        return False
    session.refresh(email, with_for_update=True)  # a webhook may be stamping it right now
    if timeline.apply_event(timeline.Columns(email), "replied", at):
        counters.confirm_sent(
            session, email.site_id, email.id, email.opportunity_id, email.sent_at, now
        )
    timeline.refresh_status(email)
    session.flush()
    counters.refresh_cards(session, [email.opportunity_id])
    stop_rules.on_engagement(session, email, "reply", now)
    session.flush()
    events.publish_about(
        session,
        events.ReplyReceived,
        email,
        source=detail.get("source", "inbound"),
        sender=detail.get("from"),
        subject=detail.get("subject"),
    )
    return True


def mark_by_hand(session: Session, site: Site, email: Email, actor: int, now: datetime) -> Email:
    """POST /emails/{id}/replied: a person says the prospect answered."""
    if email.send_state in NEVER_SENT:
        raise Conflict("This email was never accepted by SendGrid, so it cannot have a reply.")
    if record_reply(session, email, now, now, {"source": "manual", "user": actor}, "manual"):
        audit.log(
            session, site, actor, "email.replied", "email", email.id, {"source": "manual"}, now
        )
        _stop_colleagues(session, site, email, now)  # a person's answer, as a detected one
    return email


def _addresses(form) -> list[str]:
    """Recipient addresses: the SMTP envelope first, then the To header."""
    found: list[str] = []
    to = _envelope(form).get("to")  # a broken envelope still leaves the To header to try
    if isinstance(to, list):
        found.extend(str(a) for a in to)
    elif isinstance(to, str):
        found.append(to)
    found.append(form.get("to") or "")
    return found


def _envelope(form) -> dict:
    """The SMTP envelope as a dict ({} when missing or broken); bounded (inbound_mail)."""
    try:
        envelope = inbound_mail.json_field("envelope", form.get("envelope") or "{}")
    except inbound_mail.InboundRefused:
        return {}
    return envelope if isinstance(envelope, dict) else {}


def _referenced_ids(headers) -> list[str]:
    """Message ids the reply answers: In-Reply-To, then References; the first 100 only.

    The first ones because In-Reply-To names the message answered and References starts
    with the thread's root (our first email of a sequence); a long tail only adds ids a
    stranger could stuff in, and 40,000 of them overflowed PostgreSQL's bind parameters.
    """
    refs = f"{headers.get('In-Reply-To') or ''} {headers.get('References') or ''}"
    return list(dict.fromkeys(MSGID_RE.findall(refs)))[:MAX_REFERENCES]


def _senders(form, headers) -> set[str]:
    """The sender's addresses SendGrid vouches for, normalised: the From header and the
    SMTP envelope's from, each only when its domain passed SPF (the envelope's domain) or
    DKIM. A forged From at the recipient's domain fails both (issue 21 #8)."""
    header_from = parseaddr((form.get("from") or headers.get("From") or "")[:998])[1]
    sender = _envelope(form).get("from")
    envelope_from = parseaddr(sender[:998])[1] if isinstance(sender, str) else ""
    found = {listing.normalize(a) for a in (header_from, envelope_from) if "@" in a}
    vouched = _vouched_domains(form, listing.normalize(envelope_from))
    return {a for a in found if _aligned(listing.domain_of(a), vouched)}


def _vouched_domains(form, envelope_from: str) -> set[str]:
    """Domains that passed: the envelope sender's when SPF passed, each DKIM signer's."""
    signatures = DKIM_RE.findall((form.get("dkim") or "")[:2000])[:MAX_SIGNATURES]
    found = {listing.normalize(d) for d, verdict in signatures if verdict.lower() == "pass"}
    if (form.get("SPF") or "").strip().lower() == "pass" and "@" in envelope_from:
        found.add(listing.domain_of(envelope_from))
    return found


def _aligned(domain: str, vouched: set[str]) -> bool:
    """The domain is one that passed, or a parent or subdomain of one (relaxed alignment)."""
    return any(domain == d or domain.endswith("." + d) or d.endswith("." + domain) for d in vouched)


def _sent_by_recipient(email: Email, senders: set[str]) -> bool:
    """The sender is the email's recipient: the same address, or an address at its domain
    (both normalised: case, and IDNA for internationalised domains)."""
    recipient = listing.normalize(email.to_email or "")
    domain = listing.domain_of(recipient)
    return any(s == recipient or listing.domain_of(s) == domain for s in senders)


def match_inbound(session: Session, form) -> Email | None:
    """The email an inbound message answers: reply+token first, then its references.

    A reference matches only when the recipient answers: a Message-ID is no secret (it
    travels in every copy and forward), so a stranger must not mark a reply with it; and
    only a sender whose domain passed SPF or DKIM counts (a From header is easy to forge).
    """
    for address in _addresses(form):
        for token in TOKEN_RE.findall(address):
            email = session.scalar(select(Email).where(Email.reply_token == token))
            if email is not None:
                return email
    headers = email_lib.message_from_string(form.get("headers") or "")
    ids, senders = _referenced_ids(headers), _senders(form, headers)
    if not ids or not senders:
        return None
    smtp_ids = [f"<{i}>" for i in ids]
    prefixes = [i.split("@", 1)[0] for i in ids]
    candidates = session.scalars(
        select(Email)
        .where(Email.smtp_id.in_(smtp_ids) | Email.message_id.in_(prefixes))
        .order_by(Email.id.desc())
        .limit(MAX_REFERENCES)
    ).all()
    return next((e for e in candidates if _sent_by_recipient(e, senders)), None)


def record_inbound(session: Session, form, now: datetime) -> Email | None:
    """Record and keep a detected reply; None when it answers none of our emails.

    `form` holds the fields decoded with their own charsets (inbound_mail.decode_form).
    What happens depends on what kind of message it is (docs/api.md §16).
    """
    headers = reading.headers_of(form)
    email = match_inbound(session, form)
    if email is None and reading.is_bounce(form, headers):
        full = inbound_mail.full_text(form)
        email = bounces.match(session, reading.bounce_of(form, headers, full))
    if email is None or email.send_state in NEVER_SENT:
        observability.count("outreach_inbound_replies_total", result="unmatched")
        return None
    site = session.get(Site, email.site_id)
    read = reading.read(form, headers, site, now)
    message_id = headers.get("Message-ID") or ""
    key = (
        "inbound:"
        + hashlib.sha256(
            (message_id or form.get("subject", "") + form.get("from", "")).encode()
        ).hexdigest()
    )[:64]
    detail = {
        "source": "inbound",
        "from": (form.get("from") or "")[:320],
        "subject": (form.get("subject") or "")[:998],
    }
    fresh = _record_kind(session, site, email, read, detail, key, now)
    kept = conversations.store(session, email, form, read, key, now) if fresh else False
    observability.count("outreach_inbound_replies_total", result="stored" if kept else "duplicate")
    return email


def _record_kind(
    session: Session, site: Site, email: Email, read: reading.Reading, detail, key, now
) -> bool:
    """The reply's effect by kind; True when it was not seen before."""
    detail = {**detail, "kind": read.kind}
    if read.kind == "auto_reply":
        return auto_replies.record(session, site, email, read.back_on, detail, key, now)
    if read.kind == "bounce":
        return bounces.record(session, email, read.bounce, detail, key, now)
    if not record_reply(session, email, now, now, detail, key):
        return False
    if read.kind == "unsubscribe_request" and site.honour_unsubscribe_replies:
        suppressions.unsubscribe(session, site, email.to_email, email.id, now)
    _stop_colleagues(session, site, email, now)
    return True


def _stop_colleagues(session: Session, site: Site, email: Email, now: datetime) -> None:
    """stop_domain_on_reply: the other enrollments at the recipient's company stop."""
    if site.stop_domain_on_reply:
        own = auto_replies.enrollment_for(session, email)
        colleagues.stop_colleagues(session, email, own, now)
