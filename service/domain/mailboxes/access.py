"""What an adapter needs to reach a mailbox's servers: plain data with the secrets opened
(never logged: repr hides them). The domain builds it; service/mail/ connects with it."""

from __future__ import annotations

from dataclasses import dataclass, field

from service.domain.secret_box import SecretBox
from service.models import Mailbox


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    security: str
    username: str
    password: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class MailboxAccess:
    """One mailbox as the SMTP/IMAP adapters see it. `version` changes with its
    credentials or servers (pooled connections made with older ones are closed)."""

    mailbox_id: int
    email: str
    from_name: str | None
    provider: str
    smtp: Server
    imap: Server
    folder: str
    save_to_sent: bool
    version: str
    refresh_token: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class LoginCheck:
    """One side of a mailbox test: `ok`, else the server's words and whether the mailbox
    needs its owner (`broken`: credentials, certificate) or may simply try again later."""

    ok: bool
    message: str = "ok"
    broken: bool = False


def _open(box: SecretBox, stored: str | None) -> str | None:
    return box.open(stored) if stored else None  # a secret this key cannot open: None


def access_for(box: SecretBox, mailbox: Mailbox) -> MailboxAccess:
    password = _open(box, mailbox.password_stored)
    imap_password = _open(box, mailbox.imap_password_stored) or password
    smtp = Server(
        mailbox.smtp_host,
        mailbox.smtp_port,
        mailbox.smtp_security,
        mailbox.smtp_username,
        password,
    )
    imap = Server(
        mailbox.imap_host,
        mailbox.imap_port,
        mailbox.imap_security,
        mailbox.imap_username,
        imap_password,
    )
    return MailboxAccess(
        mailbox.id,
        mailbox.email,
        mailbox.from_name,
        mailbox.provider,
        smtp,
        imap,
        mailbox.imap_folder,
        mailbox.save_to_sent,
        str(mailbox.credentials_version),
        _open(box, mailbox.refresh_token_stored),
    )
