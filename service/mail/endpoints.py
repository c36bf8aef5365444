"""A mailbox's servers and how they are reached: security modes, the CA bundle, the
outbound address guard, timeouts and credentials (a password or an OAuth access token).

Every connection to an SMTP or IMAP server dials an address the guard checked (the same
guard as link checks, service/net/guard.py: only globally routable addresses, on mail
ports or those in OUTREACH_OUTBOUND_PORTS, unless OUTREACH_MAIL_ALLOW_PRIVATE=1), while
TLS checks the certificate against the host name.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field

from service.mail.mailbox_errors import MailboxBroken, MailboxUnreachable
from service.net.guard import Refused, checked_address

SECURITIES = ("starttls", "tls", "none")
# SMTP (25, submission 587, implicit TLS 465, 2525 where providers offer it) and IMAP (143,
# 993); others only when OUTREACH_OUTBOUND_PORTS lists them.
MAIL_PORTS = frozenset({25, 465, 587, 2525, 143, 993})


def _flag(environ, name: str) -> bool:
    return (environ.get(name) or "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class MailSettings:
    """Process-wide settings of mailbox connections (from the environment)."""

    ca_file: str | None = None  # trusted in addition to the system's CAs
    allow_insecure: bool = False  # `security: "none"` (development only)
    allow_private: bool = False  # servers on private/loopback addresses (tests, LANs)
    timeout: float = 30.0  # connect and each command
    data_timeout: float = 120.0  # the final reply after the message (servers scan it)

    @classmethod
    def from_environment(cls, environ=os.environ) -> MailSettings:
        timeout = float(environ.get("OUTREACH_MAIL_TIMEOUT") or 30)
        return cls(
            ca_file=environ.get("OUTREACH_MAIL_CA_FILE") or None,
            allow_insecure=_flag(environ, "OUTREACH_ALLOW_INSECURE_MAIL"),
            allow_private=_flag(environ, "OUTREACH_MAIL_ALLOW_PRIVATE"),
            timeout=timeout,
            data_timeout=max(timeout, 120.0),
        )

    def tls_context(self) -> ssl.SSLContext:
        """Certificates and host names checked, always; the CA file adds to the system's."""
        context = ssl.create_default_context()
        if self.ca_file:
            context.load_verify_locations(cafile=self.ca_file)
        return context


@dataclass(frozen=True)
class Login:
    """Who logs in: a password, or `token(fresh)` giving an OAuth access token (XOAUTH2;
    `fresh=True` after the server refused a cached one). `version` changes whenever the
    stored credentials change, so pooled connections made with old ones are closed."""

    username: str
    password: str | None = field(default=None, repr=False)
    token: Callable[[bool], str] | None = field(default=None, repr=False)
    version: str = ""


@dataclass(frozen=True)
class Endpoint:
    """One server of a mailbox (its SMTP or its IMAP side)."""

    host: str
    port: int
    security: str
    login: Login

    def describe(self) -> str:
        return f"{self.host}:{self.port}"


def address_for(endpoint: Endpoint, settings: MailSettings) -> str:
    """The checked address to dial; MailboxBroken for what configuration must fix."""
    if endpoint.security not in SECURITIES:
        raise MailboxBroken(f"Unknown security {endpoint.security!r}.")
    if endpoint.security == "none" and not settings.allow_insecure:
        raise MailboxBroken(
            "Unencrypted mail connections are refused (OUTREACH_ALLOW_INSECURE_MAIL is off)."
        )
    if endpoint.login.password is None and endpoint.login.token is None:
        raise MailboxBroken("No password or OAuth grant is stored for this mailbox.")
    try:
        return checked_address(
            endpoint.host, endpoint.port, settings.allow_private, settings.timeout, MAIL_PORTS
        )
    except Refused as exc:
        if exc.host_failed:  # DNS did not answer: may pass
            raise MailboxUnreachable(f"{endpoint.describe()}: {exc}") from None
        raise MailboxBroken(f"{endpoint.describe()}: {exc}") from None


def tls_failure(endpoint: Endpoint, exc: ssl.SSLError) -> MailboxBroken | MailboxUnreachable:
    """A certificate that fails the check needs the owner; other TLS errors may pass."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return MailboxBroken(
            f"{endpoint.describe()}: the server's certificate is not trusted "
            f"({exc.verify_message or exc.reason}). Set OUTREACH_MAIL_CA_FILE for a private CA."
        )
    return MailboxUnreachable(f"{endpoint.describe()}: TLS failed ({exc.reason or exc}).")


def network_failure(endpoint: Endpoint, exc: BaseException) -> Exception | None:
    """What SMTP and IMAP failures have in common: ours pass as they are, then TLS, time
    and socket errors; None for what only the protocol's own mapping knows."""
    if isinstance(exc, MailboxBroken | MailboxUnreachable):
        return exc
    if isinstance(exc, ssl.SSLError):
        return tls_failure(endpoint, exc)
    if isinstance(exc, TimeoutError):
        return MailboxUnreachable(f"{endpoint.describe()} did not answer in time.")
    if isinstance(exc, OSError):
        return MailboxUnreachable(f"{endpoint.describe()}: {exc or type(exc).__name__}.")
    return None
