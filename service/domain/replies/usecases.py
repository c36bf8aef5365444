"""Replies a prospect sent: detected from Inbound Parse, marked by hand, read."""

from __future__ import annotations

from datetime import datetime

from service.db.unit_of_work import UnitOfWork
from service.domain import audit, timeline
from service.domain.cards import queries, writes
from service.domain.errors import Invalid
from service.domain.ports import Clock
from service.domain.replies import conversations, received
from service.domain.replies import inbox as replies_inbox
from service.models import Email, Opportunity, Reply, Site


def mark_replied(uow: UnitOfWork, site: Site, email_id: int, actor: int, now: datetime) -> Email:
    """A person says the prospect answered (same effect as a detected reply): the email
    with its history."""
    with uow:
        email = timeline.get_email(uow.session, site, email_id)
        received.mark_by_hand(uow.session, site, email, actor, now)
        uow.commit()
        return timeline.with_history(uow.session, [email])[0]


def receive(uow: UnitOfWork, fields: dict, clock: Clock) -> Email | None:
    """An Inbound Parse post (its fields decoded): the email it answers, recorded and
    kept, or None when it answers none of ours."""
    return uow.run(received.record_inbound, fields, clock.now())


def get_reply(uow: UnitOfWork, site: Site, reply_id: int) -> Reply:
    """One reply of the site with its full text."""
    return conversations.get(uow.session, site, reply_id)


def mark_read(uow: UnitOfWork, site: Site, reply_id: int, now: datetime) -> Reply:
    """Mark a reply read (the card's unread count drops once, however often)."""
    return uow.run(
        lambda session: conversations.mark_read(
            session, conversations.get(session, site, reply_id), now
        )
    )


def set_label(
    uow: UnitOfWork, site: Site, reply_id: int, label: str | None, actor: int, now: datetime
) -> Reply:
    """A person labels a reply (or clears its label); audited."""
    with uow:
        reply = conversations.get(uow.session, site, reply_id)
        if reply.label != label:
            audit.log(
                uow.session, site, actor, "reply.label", "reply", reply.id, {"label": label}, now
            )
            conversations.set_label(uow.session, reply, label)
        uow.commit()
        return reply


def use_contact(
    uow: UnitOfWork,
    site: Site,
    reply_id: int,
    address: str,
    name: str | None,
    actor: int,
    now: datetime,
) -> Opportunity:
    """ "Use this contact": the card's contact becomes an address the reply suggested (and
    its name, when given); audited as a card change. 422 for any other address."""
    with uow:
        reply = conversations.get(uow.session, site, reply_id)
        address = address.strip().lower()
        if address not in (reply.suggested_contacts or []):
            raise Invalid(
                "This reply does not suggest that address.",
                fields={"email": ["Not one of the reply's suggested_contacts."]},
            )
        card = queries.get(uow.session, site, reply.opportunity_id)
        values = {"contact_email": address, **({"contact_name": name} if name else {})}
        writes.update_fields(uow.session, site, card, values, actor, now)
        uow.commit()
        return queries.with_sequences(uow.session, site, [card])[0]


def inbox(uow: UnitOfWork, site: Site, args: dict) -> dict:
    """One page of the Inbox with the site's unread count (docs/api.md §16)."""
    items, total, unread = replies_inbox.page(uow.session, site, args)
    return {
        "items": items,
        "total": total,
        "page": args["page"],
        "page_size": args["page_size"],
        "unread": unread,
    }
