"""What a person does with mailboxes (docs/api.md §15): add one, list, read, change,
delete, and test its logins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from service.db.unit_of_work import UnitOfWork
from service.domain.errors import Invalid, UpstreamRefused
from service.domain.mailboxes import accounts, caps, oauth_flow
from service.domain.mailboxes.access import LoginCheck, MailboxAccess, access_for
from service.domain.ports import Clock, MailRefused
from service.domain.secret_box import SecretBox
from service.models import Mailbox, Site


class MailboxLinks(Protocol):
    """The adapters' side (service/mail/mailbox_links.py)."""

    allow_insecure: bool

    def test(self, access: MailboxAccess) -> dict[str, LoginCheck]: ...


@dataclass
class MailboxView:
    """A mailbox as shown: the row and today's numbers."""

    mailbox: Mailbox
    sent_today: int
    cap_today: int


def _views(uow: UnitOfWork, mailboxes: list[Mailbox], now: datetime) -> list[MailboxView]:
    counts = caps.sent_today(uow.session, [m.id for m in mailboxes], now)
    return [MailboxView(m, counts[m.id], caps.cap_today(m, now)) for m in mailboxes]


def list_mailboxes(uow: UnitOfWork, site: Site, now: datetime) -> list[MailboxView]:
    return _views(uow, accounts.listed(uow.session, site), now)


def get_mailbox(uow: UnitOfWork, site: Site, mailbox_id: int, now: datetime) -> MailboxView:
    return _views(uow, [accounts.get(uow.session, site, mailbox_id)], now)[0]


def create_mailbox(
    uow: UnitOfWork, box: SecretBox, links: MailboxLinks, site: Site, values, actor, now
) -> MailboxView:
    with uow:
        made = accounts.create(uow.session, box, site, values, actor, now, links.allow_insecure)
        uow.commit()
    return get_mailbox(uow, site, made.id, now)


def update_mailbox(
    uow: UnitOfWork, box: SecretBox, links: MailboxLinks, site: Site, mailbox_id, values, actor, now
) -> MailboxView:
    insecure = links.allow_insecure
    with uow:
        accounts.update_mailbox(uow.session, box, site, mailbox_id, values, actor, now, insecure)
        uow.commit()
    return get_mailbox(uow, site, mailbox_id, now)


def delete_mailbox(uow: UnitOfWork, site: Site, mailbox_id: int, actor, now) -> None:
    uow.run(accounts.remove, site, mailbox_id, actor, now)


def check_logins(
    uow: UnitOfWork, box: SecretBox, links: MailboxLinks, clock: Clock, site: Site, mailbox_id
) -> dict[str, str]:
    """A real SMTP and IMAP login, nothing sent and no transaction open meanwhile. A
    refusal that needs the owner puts the mailbox in `error` with the server's words; both
    logins working take it out of `error`."""
    with uow:
        access = access_for(box, accounts.get(uow.session, site, mailbox_id))
        uow.commit()
    checks = links.test(access)
    with uow:
        mailbox = accounts.get(uow.session, site, mailbox_id)
        broken = [f"{side.upper()}: {c.message}" for side, c in checks.items() if c.broken]
        if broken:
            accounts.record_error(mailbox, " ".join(broken), clock.now())
        elif all(c.ok for c in checks.values()) and mailbox.status == "error":
            mailbox.status, mailbox.last_error, mailbox.last_error_at = "active", None, None
        uow.commit()
    return {side: check.message for side, check in checks.items()}


def oauth_start(box: SecretBox, oauth, site: Site, provider: str, redirect_uri: str, now):
    """{"authorize_url", "state"} of a new consent (PKCE; the state is the sealed flow)."""
    verifier = oauth_flow.new_verifier()
    state = oauth_flow.seal_state(box, site, provider, redirect_uri, verifier, now)
    try:
        url = oauth.authorize_url(provider, redirect_uri, state, verifier)
    except MailRefused as exc:
        raise Invalid(exc.message, {"provider": [exc.message]}) from None
    return {"authorize_url": url, "state": state}


def oauth_finish(
    uow: UnitOfWork, box: SecretBox, oauth, site: Site, state: str, code: str, actor, now
) -> tuple[MailboxView, bool]:
    """Exchange the code (no transaction open meanwhile), then create or update the
    mailbox; (view, created)."""
    flow = oauth_flow.open_state(box, site, state, now)
    try:
        grant = oauth.finish(flow["provider"], code, flow["redirect_uri"], flow["verifier"])
    except MailRefused as exc:
        raise UpstreamRefused(exc.message) from None
    with uow:
        made, created = oauth_flow.store_grant(
            uow.session, box, site, flow["provider"], grant, actor, now
        )
        uow.commit()
    return get_mailbox(uow, site, made.id, now), created
