"""Connecting a Google or Microsoft mailbox with OAuth (docs/api.md §15): `start` gives
the provider's consent URL, `finish` exchanges the code the provider sent back to the
WordPress page and creates or updates the mailbox with the refresh token (sealed).

The flow keeps no row: `state` is the flow itself (site, provider, redirect URI, PKCE
verifier, expiry) sealed with the secret box, so only this service can read it and a
state of another site or past its 15 minutes is refused.
"""

from __future__ import annotations

import base64
import json
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain.errors import Invalid, UpstreamRefused
from service.domain.mailboxes import accounts
from service.domain.secret_box import SecretBox
from service.models import Mailbox, Site

LIFETIME = timedelta(minutes=15)
PREFIX = "oauth:"


def new_verifier() -> str:
    """RFC 7636: 43 characters (256 bits) of the unreserved alphabet."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def seal_state(box: SecretBox, site: Site, provider: str, redirect_uri: str, verifier, now):
    flow = {"site": site.id, "provider": provider, "redirect_uri": redirect_uri}
    flow |= {"verifier": verifier, "until": (now + LIFETIME).timestamp()}
    return box.seal(PREFIX + json.dumps(flow))


def open_state(box: SecretBox, site: Site, state: str, now: datetime) -> dict:
    opened = box.open(state) if state else None
    refused = Invalid("This sign-in is unknown or expired: start again.", {"state": ["Invalid."]})
    if not opened or not opened.startswith(PREFIX):
        raise refused
    flow = json.loads(opened.removeprefix(PREFIX))
    if flow["site"] != site.id or flow["until"] < now.timestamp():
        raise refused
    return flow


def store_grant(
    session: Session, box: SecretBox, site: Site, provider: str, grant, actor, now
) -> tuple[Mailbox, bool]:
    """Create the mailbox of the account, or give an existing one the new grant; (mailbox,
    created)."""
    if not grant.email or not grant.refresh_token:
        raise UpstreamRefused(
            f"{provider.capitalize()} did not name the account or grant offline access."
        )
    email = grant.email.strip().lower()
    found = session.scalar(
        select(Mailbox).where(Mailbox.site_id == site.id, Mailbox.email == email)
    )
    values = {"provider": provider, "refresh_token": grant.refresh_token}
    if found is not None:
        updated = accounts.update_mailbox(session, box, site, found.id, values, actor, now, False)
        return updated, False
    servers = {
        side: {"host": host, "port": port, "security": security, "username": email}
        for side, (host, port, security) in (("smtp", grant.smtp), ("imap", grant.imap))
    }
    values |= {"email": email, **servers, "daily_limit": 30, "ramp": {"start": 10, "step": 2}}
    return accounts.create(session, box, site, values, actor, now, False), True
