"""The site's settings screen: read them with the sending state beside them, change them
(the sender checked, the window and the pause applied, every change audited)."""

from __future__ import annotations

from datetime import datetime

from service.db.unit_of_work import UnitOfWork, autocommit_read
from service.domain import sites
from service.domain.deliverability import settings
from service.domain.sender_domains import records as sender_domain_records
from service.domain.sending import sender_identity, state
from service.models import Site


def read(uow: UnitOfWork, site: Site, now: datetime, sent_last_24h: int | None = None) -> Site:
    """The site with its `sending_state`: `sent_last_24h` when it was read beside the site
    already, else one count query (outside a transaction when none is open: no BEGIN and
    ROLLBACK round trips for it)."""
    session = uow.session
    if sent_last_24h is not None:
        site.sending_state = state.of(session, site, now, sent_last_24h)
        return site
    alone = not session.in_transaction()
    if alone:
        autocommit_read(session)
    site.sending_state = state.of(session, site, now)
    if alone:
        session.commit()
    return site


def change(
    uow: UnitOfWork,
    site: Site,
    values: dict,
    sender_domains: tuple[str, ...],
    actor: int,
    now: datetime,
) -> Site:
    """Change the site's settings (422 on a sender or a reply forwarding address outside
    its domains: its own, the configured ones and those it verified)."""
    with uow:
        verified = sender_domain_records.verified(uow.session, site)
        domains = (*sender_domains, *verified)
        sender_identity.check(site, values.get("from_email"), domains)
        # Replies go only to the site's own people (an outsider's reply must not make the
        # service mail a stranger): the same domains as its sender.
        forward_to = values.get("reply_forward_to")
        sender_identity.check(site, forward_to, domains, field="reply_forward_to")
        values = settings.apply(uow.session, site, values, actor, now)
        sites.update_settings(uow.session, site, values, actor, now)
        uow.commit()
        return read(uow, site, now)
