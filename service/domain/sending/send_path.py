"""The one send path: reserve a slot under the limits, commit, hand over, record, commit
(what the email is, before: compose.py).

Every email goes this way, whoever sends it (a person now, a scheduled send, a sequence
step, a bulk start):

    reserve(session, site, card, to, rendered, *, template_id, actor, now, ...) -> Email
        Takes the site's write lock, checks suppression (Invalid, 422), pause, cooldown,
        the caps and the pacing (LimitExceeded, 429: limits.py, pacing.py), and inserts
        the email row, send_state "pending". A step's (enrollment_id, step) is unique: a
        second reservation of the same step fails at the database. The caller COMMITS
        before the hand-over, so the attempt is on record (and holds its slot) before
        SendGrid is called.

    Send.of(site, email, mail) -> Send
        The message as plain data, through the port channels.channel_for() picks.

    deliver(uow, sends, record, clock)
        Send.call() for each (no transaction open), then `record` of the answers in one
        transaction, re-run up to RECORD_TRIES times when the database refuses it.

    record_sends(session, sends, now) -> Counter of record_outcome()'s answers
        A chunk's answers, its events in one INSERT and its rows in one flush.

    record_outcome(session, send, now) -> "sent" | "failed" | "unknown"
        Accepted: "sent", the card moves to Reached and counts it. A definite refusal
        (4xx, provider unreachable): "failed", the slot is released. A timeout or 5xx:
        "unknown", it holds its slot and is never resent blindly.

A rendered email with a placeholder that has no value is refused by reserve (Invalid,
naming it) before anything is locked or stored.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from service import observability
from service.db.unit_of_work import TransactionState, UnitOfWork
from service.domain import audit, timeline
from service.domain.cards import counters
from service.domain.cards.board import lock_board
from service.domain.jobs import RECORD_TRIES
from service.domain.mailboxes import accounts, choice
from service.domain.ports import (
    Accepted,
    Clock,
    MailboxNeedsOwner,
    MailPort,
    MailRefused,
    MailUncertain,
    OutgoingMail,
)
from service.domain.sending import bounces, channels, limits, pacing
from service.domain.sending.compose import new_email, refuse_missing
from service.domain.sending.sender_identity import default_sender
from service.domain.templates import rendering
from service.models import Email, Mailbox, Opportunity, Site

log = logging.getLogger("outreach.sending")
CUSTOM_ARG_EMAIL = "outreach_email_id"
CUSTOM_ARG_SITE = "outreach_site_id"
CATEGORY = "outreach"
# Emails this transaction re-read under a row lock (a chunk of steps locks them at once).
LOCKED_EMAILS: TransactionState[set[int]] = TransactionState(set)


def reserve(
    session: Session,
    site: Site,
    opportunity: Opportunity,
    to: str,
    rendered: rendering.Rendered,
    *,
    template_id,
    actor: int,
    now: datetime,
    enrollment=None,
    step: int | None = None,
    in_reply_to: str | None = None,
    variant: int | None = None,
) -> Email:
    """Check the limits under the site lock and insert the pending email row (see above)."""
    refuse_missing(rendered)
    limits.lock_site(session, site)
    limits.check(session, site, to, now, opportunity.id)
    pacing.check(session, site, now, spaced=enrollment is not None)  # a person's: unspaced
    mailbox = choice.choose(session, site, opportunity, now)  # None: SendGrid
    email = new_email(
        site,
        opportunity,
        to,
        rendered,
        template_id=template_id,
        actor=actor,
        now=now,
        send_state="pending",
        sequence_id=getattr(enrollment, "sequence_id", None),
        enrollment_id=getattr(enrollment, "id", None),
        step=step,
        in_reply_to=in_reply_to,
        variant=variant,
    )
    email.mailbox_id = mailbox.id if mailbox is not None else None
    session.add(email)
    session.flush()
    limits.note_reserved(session, site)
    audit.log(
        session,
        site,
        actor,
        "email.reserve",
        "email",
        email.id,
        {
            "to": email.to_normalized,
            "opportunity_id": opportunity.id,
            "template_id": template_id,
            "step": step,
            **({"mailbox_id": mailbox.id} if mailbox is not None else {}),
        },
        now,
    )
    return email


def outgoing(
    site: Site, email: Email, reply_domain: str | None, mailbox: Mailbox | None = None
) -> OutgoingMail:
    """The message for the mail port: site sender (or the mailbox: replies come back to
    it), per-email reply-to, our custom args."""
    reply_to = f"reply+{email.reply_token}@{reply_domain}" if reply_domain else site.reply_to
    if mailbox is not None:
        reply_to = None
    return OutgoingMail(
        to=email.to_email,
        from_email=mailbox.email if mailbox else site.from_email or default_sender(site),
        from_name=(mailbox and mailbox.from_name) or site.from_name or site.name,
        subject=email.subject,
        text=email.text_body,
        html=email.html_body,
        reply_to=reply_to or None,
        custom_args={CUSTOM_ARG_EMAIL: str(email.id), CUSTOM_ARG_SITE: str(site.id)},
        categories=[CATEGORY],
        headers=(
            {"In-Reply-To": email.in_reply_to, "References": email.in_reply_to}
            if email.in_reply_to
            else {}
        ),
        unsubscribe_footer=site.unsubscribe_footer is not False,
    )


@dataclass
class HandOver:
    """What the mail port said about one email: accepted, or why not (nothing recorded yet)."""

    accepted: Accepted | None = None
    state: str | None = None  # failed (nothing went out) | unknown (it may have)
    error: str | None = None  # stored on the email
    public: str | None = None  # told to the caller
    status: int | None = None  # SendGrid's HTTP status, when there was one
    needs_owner: bool = False  # the mailbox cannot send until someone fixes it
    bounced: bool = False  # an SMTP server refused it for good (5xx): bounced at once


@dataclass(kw_only=True)
class Send:
    """One reserved email on its way: the message is plain data, safe in a pool thread."""

    email: Email  # the ORM objects stay in the database thread
    site: Site
    message: OutgoingMail
    port: MailPort
    email_id: int  # what a pool thread reads
    result: HandOver | None = None

    @classmethod
    def of(cls, site: Site, email: Email, mail: MailPort, **more) -> Send:
        """The send of a reserved email, through the port its channel says."""
        mailbox = channels.mailbox_of(email)
        port = channels.channel_for(mail, site, email, mailbox)
        message = outgoing(site, email, port.reply_domain, mailbox)
        return cls(email=email, site=site, message=message, port=port, email_id=email.id, **more)

    def call(self) -> Send:
        """Give the message to the mail port (no database: any thread); sets `result`."""
        self.result = hand_over(self.message, self.port, self.email_id)
        return self


def hand_over(mail: OutgoingMail, port: MailPort, email_id) -> HandOver:
    """One message to the mail port, its answer classified (never raises)."""
    try:
        accepted = port.send(mail)
    except MailRefused as exc:
        result = HandOver(state="failed", error=exc.message, public=exc.message, status=exc.status)
        result.needs_owner = isinstance(exc, MailboxNeedsOwner)
        result.bounced = getattr(exc, "permanent", False) is True
    except MailUncertain as exc:
        result = HandOver(
            state="unknown",
            error=exc.message,
            status=exc.status,
            public=exc.message + " It may or may not have gone out, so it "
            "will not be resent automatically.",
        )
    except Exception as exc:  # an adapter bug must not leave a pending row nobody resolves
        log.exception("mail adapter failed for email %s", email_id)
        result = HandOver(
            state="unknown",
            error=f"The mail adapter failed: {exc}",
            public="The email could not be handed to SendGrid; it will not be "
            "resent automatically.",
        )
    else:
        result = HandOver(accepted=accepted)
    observability.count("outreach_sends_total", outcome=result.state or "sent")
    return result


def deliver(uow: UnitOfWork, sends: list, record: Callable, clock: Clock):
    """The hand-over of sends whose reservations are committed, then `record(session,
    sends, now)` in a transaction of its own (re-run when the database refuses it)."""
    for send in sends:
        send.call()  # no transaction is open meanwhile
    return uow.retry(lambda: record(uow.session, sends, clock.now()), RECORD_TRIES)


def record_sends(session: Session, sends: list[Send], now: datetime) -> Counter:
    """Record each send's answer; outcome counts (a `record` of the send path).

    A chunk costs a few statements, not a few per send: its timeline events go in one
    INSERT and its rows (emails, cards, audit entries) in one flush, which SQLAlchemy
    batches. One send is a chunk of one.
    """
    with timeline.adding_once(session):
        outcomes = Counter(record_outcome(session, send, now) for send in sends)
    session.flush()
    return outcomes


def record_outcome(session: Session, send: Send, now: datetime) -> str:
    """Record what the mail port said about one send: sent, failed or unknown (unflushed:
    record_sends flushes)."""
    result = send.result
    if result.accepted is not None:
        _record_sent(session, send.site, send.email, result.accepted.message_id, now)
        return "sent"
    if result.bounced:
        lock_email(session, send.email)
        bounces.record(session, send.email, result.error, now)
        return "failed"
    _record_failure(session, send.email, result.state, result.error, now)
    if result.needs_owner and send.email.mailbox_id is not None:
        mailbox = session.get(Mailbox, send.email.mailbox_id)
        if mailbox is not None and mailbox.status != "error":  # once, never in a loop
            accounts.record_error(mailbox, result.error, now)
    return result.state


def lock_email(session: Session, email: Email) -> None:
    """Re-read the email under a row lock: a webhook may have stamped it meanwhile.

    Skipped when this transaction already locked and re-read it (a batch of steps).
    """
    if email.id not in LOCKED_EMAILS.of(session):
        session.refresh(email, with_for_update=True)


def mark_locked(session: Session, email_ids) -> None:
    """These emails were just re-read under a row lock in this transaction."""
    LOCKED_EMAILS.of(session).update(email_ids)


def _record_failure(
    session: Session, email: Email, state: str, message: str, now: datetime
) -> None:
    lock_email(session, email)
    email.send_state = state
    email.error = message
    timeline.add_soon(
        session,
        email,
        "failed" if state == "failed" else "unknown",
        now,
        {"error": message},
        key=state,
    )


def _record_sent(
    session: Session, site: Site, email: Email, message_id: str | None, now: datetime
) -> None:
    """The provider accepted the email: stamp it, update and move its card."""
    card = session.get(Opportunity, email.opportunity_id)
    if card.status in ("new", "queued"):  # the card will move: the board lock before rows
        lock_board(session, site)
    lock_email(session, email)
    email.send_state = "sent"
    email.message_id = message_id
    if email.mailbox_id is not None:  # our own Message-ID: what threads and replies cite
        email.smtp_id = message_id
    email.sent_at = email.sent_at or now
    email.error = None
    timeline.refresh_status(email)
    timeline.add_soon(session, email, "sent", email.sent_at, {"message_id": message_id}, "sent")
    counters.email_accepted(session, site, email, now)
