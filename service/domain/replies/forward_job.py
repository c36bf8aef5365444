"""The `reply-forwards` job kind: each kept reply forwarded to the site's
reply_forward_to through the mail port, Reply-To the prospect (docs/api.md, conversations).

Recording a reply never waits on this: the inbound request only marks it `pending`.
Forwards are outside the daily limit and the cooldown, not outside the rest
(forward_rules: own domains only, the do-not-contact list, the pause, an hourly cap); a
failure is retried with backoff, then `failed` (the reply itself is kept whatever
happens here).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from service.db.leases import lease_due
from service.domain.jobs import JobKind
from service.domain.ports import MailPort, OutgoingMail
from service.domain.replies import forward_rules
from service.domain.sending.sender_identity import default_sender
from service.domain.templates import rendering
from service.models import Email, Reply, Site

log = logging.getLogger("outreach.forwards")
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)


@dataclass
class ForwardJob:
    """One reply on its way to a person's inbox (plain data for the pool thread)."""

    reply_id: int
    mail: OutgoingMail
    error: str | None = None
    result: object = None  # the worker reads `result.accepted` (its fault points); unused here


def _claimable(now: datetime):
    return (
        Reply.forward_state == "pending",
        Reply.forward_due_at <= now,
        or_(Reply.forward_lease_until.is_(None), Reply.forward_lease_until < now),
    )


def claim(session: Session, owner: str, now: datetime, lease, batch: int) -> list:
    """Lease up to `batch` due forwards: (id, due_at), oldest first."""
    stamp = {"forward_lease_until": now + lease}
    return lease_due(session, Reply, Reply.forward_due_at, _claimable(now), stamp, batch)


def release(session: Session, ids: list[int], owner: str) -> None:
    """Give back leases never worked on."""
    session.execute(update(Reply).where(Reply.id.in_(ids)).values(forward_lease_until=None))


def prepare(
    session: Session, ids: list[int], owner: str, now: datetime, lease, sender_domains=()
) -> tuple:
    """The message of each still-pending forward (to the site's address as it is now)."""
    jobs, counts = [], Counter()
    for reply in session.scalars(select(Reply).where(Reply.id.in_(ids)).order_by(Reply.id)):
        site = session.get(Site, reply.site_id)
        if reply.forward_state == "pending" and not site.reply_forward_to:
            reply.forward_state = "none"  # the setting was cleared since: nowhere to send
        if reply.forward_state != "pending":
            counts["skipped"] += 1
            continue
        held = forward_rules.hold(session, site, reply, now, sender_domains)
        if held is not None:
            reply.forward_lease_until = None
            counts[held] += 1
            continue
        jobs.append(ForwardJob(reply.id, message(site, reply, session.get(Email, reply.email_id))))
    return jobs, counts


def message(site: Site, reply: Reply, email: Email) -> OutgoingMail:
    """The forward: who answered which email, the reply in full; answering goes to them."""
    prospect = parseaddr(reply.from_address)[1] or None
    text = (
        f"{reply.from_address} replied to \u201c{email.subject}\u201d "
        f"(sent to {email.to_email}):\n\n{reply.full_text}"
    )
    return OutgoingMail(
        to=site.reply_forward_to,
        from_email=site.from_email or default_sender(site),
        from_name=site.from_name or site.name,
        subject=rendering.CONTROL_RE.sub(" ", f"Reply from {reply.from_address}: {reply.subject}")[
            :998
        ],
        text=text,
        html=rendering.text_to_html(text),
        reply_to=prospect,
        custom_args={"outreach_reply_id": str(reply.id), "outreach_site_id": str(site.id)},
        categories=["outreach-forward"],
    )


def call(job: ForwardJob, mail: MailPort) -> ForwardJob:
    """The outside call; any failure is only noted (retried later)."""
    try:
        mail.send(job.mail)
    except Exception as exc:  # refusals, timeouts and adapter bugs alike: retry later
        job.error = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return job


def record_forwards(session: Session, jobs: list[ForwardJob], owner: str, now: datetime) -> Counter:
    """Sent, or due again after a backoff (failed after MAX_ATTEMPTS)."""
    counts = Counter()
    for job in jobs:
        reply = session.get(Reply, job.reply_id, with_for_update=True)
        reply.forward_lease_until = None
        if job.error is None:
            reply.forward_state, reply.forward_error = "sent", None
            counts["sent"] += 1
            continue
        reply.forwarded_at = None  # not sent: its place in the hourly cap is free again
        reply.forward_attempts += 1
        reply.forward_error = job.error[:2000]
        if reply.forward_attempts >= MAX_ATTEMPTS:
            reply.forward_state = "failed"
            log.warning("reply %s: forwarding gave up: %s", reply.id, job.error)
            counts["failed"] += 1
        else:
            reply.forward_due_at = now + FIRST_RETRY * 2 ** (reply.forward_attempts - 1)
            counts["retry"] += 1
    session.flush()
    return counts


def kind(runtime) -> JobKind:
    """Replies forwarded to reply_forward_to (forward_rules), retried with backoff."""
    domains = tuple(getattr(runtime, "sender_domains", ()) or ())
    return JobKind(
        name="reply-forwards",
        claim=claim,
        prepare=lambda *args: prepare(*args, sender_domains=domains),
        call=lambda job: call(job, runtime.mailer),
        record=record_forwards,
        release=release,
        describe=lambda job: f"reply {job.reply_id}",
    )
