"""The adapters' side of mailboxes: from a MailboxAccess (domain/mailboxes/access.py) to
the endpoints, logins (a password, or XOAUTH2 tokens refreshed from the stored grant) and
the SMTP mailer and IMAP reader of service/mail/."""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass, field

from service.domain.mailboxes.access import LoginCheck, MailboxAccess, Server
from service.domain.ports import MailRefused
from service.mail import oauth
from service.mail.endpoints import Endpoint, Login, MailSettings
from service.mail.imap import ImapReader, append_to_sent
from service.mail.mailbox_errors import MailboxBroken
from service.mail.oauth_tokens import TOKENS, AccessTokens, TokenCache
from service.mail.smtp import SmtpMailer
from service.mail.smtp_connection import POOL, SmtpPool


class MailboxLinks:
    """One per process: mail settings, the OAuth clients, the SMTP pool, token cache."""

    def __init__(
        self,
        settings: MailSettings,
        environ=os.environ,
        pool: SmtpPool = POOL,
        tokens: TokenCache = TOKENS,
        interval: float = 60.0,
    ):
        self.settings, self.environ, self.pool, self.tokens = settings, environ, pool, tokens
        self.interval = interval  # seconds between two reads of a mailbox (IMAP)

    @property
    def allow_insecure(self) -> bool:
        return self.settings.allow_insecure

    def endpoint(self, access: MailboxAccess, server: Server) -> Endpoint:
        return Endpoint(server.host, server.port, server.security, self._login(access, server))

    def mailer(self, access: MailboxAccess) -> SmtpMailer:
        copy = None
        if access.save_to_sent:
            imap = self.endpoint(access, access.imap)

            def copy(raw: bytes) -> None:  # the folder the server marks \\Sent, else "Sent"
                append_to_sent(imap, self.settings, raw)

        return SmtpMailer(
            access.mailbox_id,
            access.email,
            self.endpoint(access, access.smtp),
            self.settings,
            sent_copy=copy,
            pool=self.pool,
        )

    def reader(self, access: MailboxAccess) -> ImapReader:
        return ImapReader(self.endpoint(access, access.imap), self.settings, access.folder)

    def test(self, access: MailboxAccess) -> dict[str, LoginCheck]:
        """A real login on both sides (SMTP: connect, authenticate, QUIT; IMAP: login and
        EXAMINE the folder); nothing is sent or read."""
        return {
            "smtp": _checked(lambda: self.mailer(access).test_login()),
            "imap": _checked(lambda: self.reader(access).test_login()),
        }

    def _login(self, access: MailboxAccess, server: Server) -> Login:
        version = access.version
        if access.provider == "smtp":
            return Login(server.username, server.password, None, version)
        client = oauth.client_for(access.provider, self.environ)
        if client is None:
            variable = oauth.PROVIDERS[access.provider].env["client_id"]
            raise MailboxBroken(f"OAuth for {access.provider} is not set up ({variable}).")
        if not access.refresh_token:
            return Login(server.username, None, None, version)  # MailboxBroken on use
        key = (access.mailbox_id, version)
        tokens = AccessTokens(client, access.refresh_token, key, self.tokens)
        return Login(server.username, None, tokens, version)


def _checked(login) -> LoginCheck:
    try:
        login()
    except MailboxBroken as exc:
        return LoginCheck(False, exc.message, broken=True)
    except MailRefused as exc:
        return LoginCheck(False, exc.message)
    return LoginCheck(True)


class OAuthLinks:
    """The OAuth side of mailboxes: the authorize URL (PKCE) and the code exchange."""

    def __init__(self, environ=os.environ):
        self.environ = environ

    def client(self, provider: str) -> oauth.OAuthClient:
        client = oauth.client_for(provider, self.environ)
        if client is None:
            variable = oauth.PROVIDERS[provider].env["client_id"]
            raise MailboxBroken(f"OAuth for {provider} is not set up ({variable}).")
        return client

    def authorize_url(self, provider: str, redirect_uri: str, state: str, verifier: str) -> str:
        """The consent page of a flow carrying `state`, with the verifier's S256 challenge."""
        digest = hashlib.sha256(verifier.encode()).digest()
        challenge = base64.urlsafe_b64encode(digest).decode().rstrip("=")
        return oauth.authorize_url(self.client(provider), redirect_uri, state, challenge)

    def finish(self, provider: str, code: str, redirect_uri: str, verifier: str) -> OAuthGrant:
        client = self.client(provider)
        grant = oauth.exchange_code(client, code, redirect_uri, verifier)
        preset = client.provider
        return OAuthGrant(grant.email, grant.refresh_token, preset.smtp, preset.imap)


@dataclass(frozen=True)
class OAuthGrant:
    """What a finished consent gives: the account, its refresh token, the servers."""

    email: str | None
    refresh_token: str | None = field(repr=False)
    smtp: tuple[str, int, str]
    imap: tuple[str, int, str]
