"""Sending one email: reserve a slot under the safety limits, dispatch, record the outcome.

Shared by manual sends and sequence steps:

    reserve(session, site, opportunity, to, rendered, *, template_id, actor, now,
            enrollment=None, step=None) -> Email
        Takes the site's write lock, checks suppression (Invalid, 422), cooldown and daily
        cap (LimitExceeded, 429), and inserts an Email row with send_state="pending" in the
        same transaction. For a sequence step, (enrollment_id, step) is unique, so a second
        reservation of the same step fails at the database. Flushes; the caller commits
        BEFORE dispatch so the attempt is on record before SendGrid is called.

    dispatch(session, site, email, mailer, now) -> Email
        Calls the mail port outside any open transaction, then records the outcome:
        accepted -> send_state "sent", status "sent", message_id, card moved to Reached,
        card fields updated; definite refusal (4xx) -> "failed", slot released, raises
        UpstreamRefused (502); timeout/5xx -> "unknown" (counts against limits, never
        resent blindly), raises UpstreamRefused. The caller commits in every case.

A rendered email with a placeholder that has no value is refused by reserve (Invalid,
naming it) before anything is locked or stored.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from service import observability
from service.db import unit_of_work
from service.db.bulk import skip_locked
from service.domain import audit, limits, rendering, senders, templates, timeline
from service.domain.deliverability import listing
from service.domain.errors import Invalid, UpstreamRefused
from service.domain.mail import Accepted, Mailer, MailRefused, MailUncertain, OutgoingMail
from service.domain.opportunities import counters, writes
from service.models import Email, Opportunity, Site

log = logging.getLogger("outreach.sending")
CUSTOM_ARG_EMAIL = "outreach_email_id"
CUSTOM_ARG_SITE = "outreach_site_id"
CATEGORY = "outreach"


def render_for(
    session: Session,
    site: Site,
    opportunity: Opportunity,
    template_id=None,
    subject: str | None = None,
    body: str | None = None,
) -> rendering.Rendered:
    """Render a stored template or a custom subject/body against the opportunity; with
    both, the given subject/body win (a template edited for this one email)."""
    if template_id is not None:
        template = templates.get(session, site, template_id)
        subject, body = subject or template.subject, body or template.body
    if not subject or not body:
        raise Invalid(
            "Give a template_id, or both subject and body.",
            {"template_id": ["Required when subject and body are not given."]},
        )
    templates.validate({"subject": subject, "body": body})
    return rendering.render(subject, body, rendering.values_for(opportunity, site))


def refuse_missing(rendered: rendering.Rendered) -> None:
    """422 naming each placeholder the opportunity has no value for."""
    if not rendered.missing:
        return
    names = ", ".join("{{" + n + "}}" for n in rendered.missing)
    raise Invalid(
        f"The email uses {names} but this opportunity has no value for it; "
        "fill it in or change the email. Nothing was sent.",
        {n: ["This opportunity has no value for this placeholder."] for n in rendered.missing},
        missing=list(rendered.missing),
    )


def new_email(
    site: Site,
    opportunity,
    to: str,
    rendered: rendering.Rendered,
    *,
    template_id,
    actor,
    now,
    send_state: str,
    **extra,
) -> Email:
    """The email row of a send (now, a step, or scheduled): one place sets its recipient keys
    (the cooldown, suppression and domain cap read them)."""
    address = limits.normalize(to)
    return Email(
        site_id=site.id,
        opportunity_id=opportunity.id,
        to_email=to.strip(),
        to_normalized=address,
        to_domain=listing.domain_of(address),
        subject=rendered.subject,
        text_body=rendered.text,
        html_body=rendered.html,
        template_id=template_id,
        reply_token=secrets.token_urlsafe(18),
        send_state=send_state,
        created_by=actor,
        created_at=now,
        **extra,
    )


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
) -> Email:
    """Check the limits under the site lock and insert the pending email row (see above)."""
    refuse_missing(rendered)
    limits.lock_site(session, site)
    limits.check(session, site, to, now, opportunity.id)
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
    )
    session.add(email)
    session.flush()
    limits.note_reserved(session, site)
    audit.record(
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
        },
        now,
    )
    return email


def outgoing(site: Site, email: Email, reply_domain: str | None) -> OutgoingMail:
    """The message for the mail port: site sender, per-email reply-to, our custom args."""
    reply_to = f"reply+{email.reply_token}@{reply_domain}" if reply_domain else site.reply_to
    return OutgoingMail(
        to=email.to_email,
        from_email=site.from_email or senders.default_sender(site),
        from_name=site.from_name or site.name,
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


def hand_over(site: Site, email: Email, mailer: Mailer) -> HandOver:
    """Give the email to the mail port; no database work, so no transaction is open."""
    return hand_over_mail(outgoing(site, email, mailer.reply_domain), mailer, email.id)


def hand_over_mail(mail: OutgoingMail, mailer: Mailer, email_id: int) -> HandOver:
    """hand_over() for a message built beforehand (plain data: safe in any thread)."""
    try:
        accepted = mailer.send(mail)
    except MailRefused as exc:
        result = HandOver(state="failed", error=exc.message, public=exc.message, status=exc.status)
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


def record(session: Session, site: Site, email: Email, result: HandOver, now: datetime) -> Email:
    """Record what hand_over() said; a refusal is recorded, then raised as UpstreamRefused."""
    if result.accepted is not None:
        record_sent(session, site, email, result.accepted.message_id, now)
        return email
    _record_failure(session, email, result.state, result.error, now)
    raise UpstreamRefused(result.public, provider_status=result.status)


def dispatch(session: Session, site: Site, email: Email, mailer: Mailer, now: datetime) -> Email:
    """Hand the email to the mail port and record the outcome (see above)."""
    return record(session, site, email, hand_over(site, email, mailer), now)


def lock_email(session: Session, email: Email) -> None:
    """Re-read the email under a row lock: a webhook may have stamped it meanwhile.

    Skipped when this transaction already locked and re-read it (a batch of steps).
    """
    if email.id not in unit_of_work.of(session).locked_emails:
        session.refresh(email, with_for_update=True)


STOPPED_MID_SEND = (
    "The sending process stopped before SendGrid answered; not resent, so "
    "it may or may not have gone out."
)
# Far beyond any send in progress: SENDGRID_TIMEOUT (10 s) within GUNICORN_TIMEOUT (30 s).
STALE_PENDING = timedelta(minutes=5)


def mark_stopped_mid_send(session: Session, email: Email, now: datetime) -> None:
    """A pending email whose sending process died: unknown (never resent), with an event."""
    email.send_state = "unknown"
    email.error = email.error or STOPPED_MID_SEND
    timeline.add(session, email, "unknown", now, {"error": email.error}, key="unknown")


def resolve_stale_manual(session: Session, now: datetime, batch: int = 500) -> int:
    """Manual sends left pending by a process that died mid-send: mark them unknown.

    A sequence step's pending row is resolved when its enrollment is claimed again; a
    manual one would otherwise stay pending for ever, holding a daily-cap slot and showing
    no outcome. The caller commits.
    """
    query = (
        select(Email)
        .where(
            Email.send_state == "pending",
            Email.enrollment_id.is_(None),
            Email.created_at < now - STALE_PENDING,
        )
        .order_by(Email.id)
        .limit(batch)
    )
    stale = session.scalars(skip_locked(query, session)).all()
    for email in stale:
        mark_stopped_mid_send(session, email, now)
    session.flush()
    return len(stale)


def _record_failure(
    session: Session, email: Email, state: str, message: str, now: datetime
) -> None:
    lock_email(session, email)
    email.send_state = state
    email.error = message
    timeline.add(
        session,
        email,
        "failed" if state == "failed" else "unknown",
        now,
        {"error": message},
        key=state,
    )
    session.flush()


def record_sent(
    session: Session, site: Site, email: Email, message_id: str | None, now: datetime
) -> None:
    """The provider accepted the email: stamp it, update and move its card."""
    opp = session.get(Opportunity, email.opportunity_id)
    if opp.status in ("new", "queued"):  # the card will move: the board lock before rows
        writes.lock_board(session, site)
    lock_email(session, email)
    email.send_state = "sent"
    email.message_id = message_id
    email.sent_at = email.sent_at or now
    email.error = None
    timeline.refresh_status(email)
    timeline.add(session, email, "sent", email.sent_at, {"message_id": message_id}, key="sent")
    counters.move_to_reached(session, site, opp, email.created_by, now)
    counters.count_accepted(session, opp.id, email.sent_at)
    deferred = unit_of_work.of(session).cards_to_refresh
    if deferred is not None:
        deferred.add(opp.id)  # a batch refreshes its cards once, before it commits
    else:
        counters.refresh_cards(session, [opp.id])
    session.flush()
