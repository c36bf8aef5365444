"""The do-not-contact list as people manage it, and the public unsubscribe page."""

from __future__ import annotations

from datetime import datetime

from service.db.unit_of_work import UnitOfWork
from service.domain.deliverability import suppressions, unsubscribe_flow
from service.models import Site, Suppression


def list_entries(uow: UnitOfWork, site: Site, q: str | None, page: int, page_size: int):
    """One page of the list, newest first ((entries, total)); `q` searches the values."""
    return suppressions.list_page(uow.session, site, q, page, page_size)


def add_entry(
    uow: UnitOfWork, site: Site, values: dict, reason: str, actor: int, now: datetime
) -> Suppression:
    """List an address or a domain (409 if listed already); what it covers stops."""
    note = values.get("note")
    return uow.run(suppressions.add, site, values["email"], reason, note, actor, now)


def remove_entry(uow: UnitOfWork, site: Site, entry_id: int, actor: int, now: datetime):
    """Take an entry off the list (audited)."""
    uow.run(suppressions.remove, site, entry_id, actor, now)


def unsubscribe_sender(uow: UnitOfWork, key: bytes, token: str) -> str | None:
    """The page before the click: whose list it is (None for an unknown token)."""
    email = unsubscribe_flow.email_for(uow.session, key, token)
    return email and unsubscribe_flow.sender_name(uow.session, email)


def unsubscribe(uow: UnitOfWork, key: bytes, token: str, now: datetime) -> str | None:
    """The click (idempotent): the address is listed, its enrollments stop; the sender's
    name, or None for an unknown token (the page answers the same)."""
    with uow:
        email = unsubscribe_flow.email_for(uow.session, key, token)
        if email is None:
            return None
        sender = unsubscribe_flow.sender_name(uow.session, email)
        unsubscribe_flow.confirm(uow.session, email, now)
        uow.commit()
    return sender
