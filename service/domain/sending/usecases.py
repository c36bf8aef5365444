"""What a person does with emails: preview one, send one now or later, cancel a scheduled
one, read a card's emails. A send now goes the one send path (send_path.py)."""

from __future__ import annotations

from datetime import datetime

from service.db.unit_of_work import UnitOfWork
from service.domain import timeline
from service.domain.cards import queries
from service.domain.errors import Invalid, UpstreamRefused
from service.domain.ports import Clock, MailPort
from service.domain.sending import queue, rotation, scheduled
from service.domain.sending.compose import render_for
from service.domain.sending.preview import Preview
from service.domain.sending.preview import preview as render_preview
from service.domain.sending.send_path import Send, deliver, record_sends, reserve
from service.models import Email, Site


def card_emails(uow: UnitOfWork, site: Site, card_id: int) -> list[Email]:
    """Every email of the card, newest first, each with its events and replies."""
    card = queries.get(uow.session, site, card_id)
    return timeline.with_history(uow.session, timeline.emails_of(uow.session, card.id))


def preview(uow: UnitOfWork, mail: MailPort, site: Site, draft: dict, now) -> Preview:
    """Render exactly what "Send" would hand over (for a card when one is named): the
    given subject/body over the template's, the footer, the unsubscribe headers, with the
    placeholders that have no value."""
    card_id = draft.get("opportunity_id")
    card = None if card_id is None else queries.get(uow.session, site, card_id)
    return render_preview(uow.session, mail, site, card, draft, now)


def _template_of(session, site: Site, draft: dict) -> tuple[int | None, int | None]:
    """(rotation index or None, template id): the template given, or the one whose turn it
    is among `rotate_template_ids`."""
    if draft.get("rotate_template_ids"):
        return rotation.pick(session, site, draft["rotate_template_ids"])
    return None, draft.get("template_id")


def send(
    uow: UnitOfWork,
    mail: MailPort,
    clock: Clock,
    site: Site,
    card_id: int,
    draft: dict,
    actor: int,
    now: datetime,
) -> Email:
    """Send one email now, or store it for `send_at`, the next window opening or, with
    `"when": "queue"`, the sending queue's next slot when there is no room now: the email
    with its history; `send_state` "scheduled" when it waits. A refusal is recorded,
    then raised (UpstreamRefused); a limit refuses before anything is stored."""
    with uow:
        session = uow.session
        card = queries.get(session, site, card_id)
        to = _recipient(draft, card)
        variant, template_id = _template_of(session, site, draft)
        rendered = render_for(
            session, site, card, template_id, draft.get("subject"), draft.get("body")
        )
        send_at = _send_at(draft, site, card.id, now) or _queued_at(session, draft, site, now)
        if send_at is not None:
            email = scheduled.schedule(
                session, site, card, to, rendered,
                template_id=template_id, actor=actor, now=now, send_at=send_at,
            )  # fmt: skip
            email.variant = variant
            uow.commit()
            return timeline.with_history(session, [email])[0]
        email = reserve(
            session, site, card, to, rendered, template_id=template_id, actor=actor, now=now
        )
        email.variant = variant
        queue.take(session, site, now)
        uow.commit()  # the attempt is on record (and holds its slot) before SendGrid is called
        sent = Send.of(site, email, mail)
        deliver(uow, [sent], record_sends, clock)
        if sent.result.accepted is None:
            raise UpstreamRefused(sent.result.public, provider_status=sent.result.status)
        return timeline.with_history(session, [email])[0]


def _recipient(draft: dict, card) -> str:
    """Whom the email goes to: `to`, else the card's contact email (422 without either)."""
    to = draft.get("to") or card.contact_email
    if not to:
        raise Invalid(
            "Give a recipient: this card has no contact email.",
            {"to": ["Required when the opportunity has no contact_email."]},
        )
    return to


def _send_at(draft: dict, site: Site, card_id: int, now: datetime) -> datetime | None:
    """When a send was asked for: a given time, the next window opening, or None (now)."""
    given = [k for k in ("send_at", "at_next_window") if draft.get(k)]
    if draft.get("when") == "queue":
        given.append("when")
    if len(given) > 1:
        raise Invalid(
            "Give one of send_at, at_next_window or when: queue.",
            {given[-1]: [f"Not with {given[0]}."]},
        )
    if not draft.get("at_next_window"):
        return draft.get("send_at")
    return scheduled.at_next_window(site, now, card_id)


def _queued_at(session, draft: dict, site: Site, now: datetime) -> datetime | None:
    """`"when": "queue"`: the earliest slot of the sending queue when there is no room
    now (the email waits for it), else None (it goes now)."""
    if draft.get("when") != "queue":
        return None
    at = queue.slot(session, site, now)
    if at <= now:
        return None
    queue.take(session, site, at)
    return at


def cancel(uow: UnitOfWork, site: Site, email_id: int, actor: int, now: datetime) -> None:
    """Cancel a scheduled email (409 once it is sent or being sent)."""
    uow.run(
        lambda session: scheduled.cancel(
            session, site, timeline.get_email(session, site, email_id), actor, now
        )
    )
