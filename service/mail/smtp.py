"""The SMTP adapter of the mail port: sends from a mailbox over its own server.

It sends what the port hands it: List-Unsubscribe/-Post and the footer come from the same
LinkedMailer decorator as SendGrid sends (service/mail/unsubscribe_links.py), threading headers
(In-Reply-To/References) from the send path. It adds what a provider would: the
service's own Message-ID at the mailbox's domain (returned as Accepted.message_id), Date,
and text + HTML as multipart/alternative (the bytes: service/mail/mime.py).

Outcomes: 2xx → Accepted; a refusal code → SmtpRefused (5xx to the recipient or the
message: permanent); anything that breaks after the message was handed over (DATA) →
MailUncertain, never resent blindly; before that, MailboxUnreachable or MailboxBroken
(service/mail/mailbox_errors.py). Connections come from the pool in smtp_connection.
"""

from __future__ import annotations

import logging
import re
import secrets
import smtplib
import socket
from collections.abc import Callable

from service.domain.ports import Accepted, MailRefused, MailUncertain, OutgoingMail
from service.mail.endpoints import Endpoint, MailSettings
from service.mail.mailbox_errors import MailboxUnreachable, SmtpRefused
from service.mail.mime import compose
from service.mail.smtp_connection import POOL, SmtpPool, open_smtp, reply_text

log = logging.getLogger("outreach.mail")
STAGES = ("mail", "rcpt", "data")
OK_REPLIES = ((250,), (250, 251), (354,))
DOT_LINE = re.compile(rb"(?m)^\.")


def domain_of(address: str) -> str:
    return address.rpartition("@")[2].strip().lower() or "localhost"


def new_message_id(domain: str) -> str:
    """`<random@domain>`: 128 random bits, nothing about this host or process."""
    return f"<{secrets.token_hex(16)}@{domain}>"


class SmtpMailer:
    """The mail port for one mailbox. `address` is the mailbox's email (Message-ID domain
    and envelope sender). `sent_copy(raw)`, when given, files an accepted message in the
    Sent folder (service.mail.imap.append_to_sent); its failure is logged, never raised:
    the email went out."""

    reply_domain = None  # replies come back to the mailbox itself

    def __init__(
        self,
        mailbox_id,
        address: str,
        endpoint: Endpoint,
        settings: MailSettings,
        sent_copy: Callable[[bytes], object] | None = None,
        pool: SmtpPool = POOL,
    ):
        self.mailbox_id, self.address = mailbox_id, address
        self.endpoint, self.settings = endpoint, settings
        self.sent_copy, self.pool = sent_copy, pool

    def send(self, mail: OutgoingMail) -> Accepted:
        message_id = _given_id(mail) or new_message_id(domain_of(self.address))
        smtputf8 = not (self.address + mail.to).isascii()  # internationalized addresses
        try:
            raw = compose(mail, message_id, smtputf8)
        except (ValueError, TypeError) as exc:
            raise MailRefused(f"The email cannot be written: {exc}") from None
        with self.pool.hold(self.mailbox_id, self.endpoint.login.version) as slot:
            self._hand_over(slot, mail.to, raw, smtputf8)
        if self.sent_copy is not None:
            self._copy_to_sent(raw)
        return Accepted(message_id)

    def test_login(self) -> None:
        """A real connection and login, nothing sent (raises like send does)."""
        conn = open_smtp(self.endpoint, self.settings)
        try:
            conn.quit()
        except (OSError, smtplib.SMTPException):
            conn.close()

    def close(self) -> None:
        self.pool.close(self.mailbox_id)

    def _hand_over(self, slot, to: str, raw: bytes, smtputf8: bool) -> None:
        """One transaction; a pooled connection found dead before anything was handed
        over is replaced once (a fresh one failing the same way is not retried)."""
        while True:
            conn = slot.connection(self.endpoint, self.settings)
            try:
                return _transaction(conn, self.address, to, raw, smtputf8, self.settings)
            except _Stale as exc:
                slot.drop()
                if slot.fresh:
                    raise MailboxUnreachable(f"{self.endpoint.describe()}: {exc}") from None
            except MailRefused as exc:  # an answer: the connection itself is fine
                if getattr(exc, "code", None) == 421:  # ... unless the server is closing it
                    slot.drop()
                raise
            except BaseException:  # an unknown outcome (or a bug): never reuse it
                slot.drop()
                raise

    def _copy_to_sent(self, raw: bytes) -> None:
        try:
            self.sent_copy(raw)
        except Exception as exc:  # the copy is a courtesy; the email was accepted
            log.warning("mailbox %s: Sent copy failed: %s", self.mailbox_id, exc)


class _Stale(Exception):
    """The connection broke before the message was handed over (nothing sent)."""


def _given_id(mail: OutgoingMail) -> str | None:
    """A Message-ID the send path chose itself (kept: it may already be on record)."""
    return next((v for k, v in mail.headers.items() if k.lower() == "message-id"), None)


def _transaction(conn, sender, to, raw, smtputf8, settings) -> None:
    if smtputf8 and not conn.has_extn("smtputf8"):
        raise MailRefused("The server does not accept non-ASCII addresses (SMTPUTF8).")
    conn.command_encoding = "utf-8" if smtputf8 else "ascii"
    try:
        replies = _envelope(conn, sender, to, " SMTPUTF8" if smtputf8 else "")
    except (OSError, smtplib.SMTPServerDisconnected) as exc:
        raise _Stale(str(exc) or type(exc).__name__) from None  # no 354: nothing sent
    for (code, resp), ok, stage in zip(replies, OK_REPLIES, STAGES, strict=False):
        if code not in ok:
            if replies[-1][0] == 354:  # a server that wants data it must refuse: hang up
                conn.close()
            else:
                _reset(conn)
            raise _refused(code, resp, stage)
    # From here on the server may have the message: a break leaves the outcome unknown.
    conn.sock.settimeout(settings.data_timeout)
    try:
        body = DOT_LINE.sub(b"..", raw)  # dot-stuffing (RFC 5321 4.5.2), as smtplib does
        conn.send(body + (b"" if body.endswith(b"\r\n") else b"\r\n") + b".\r\n")
        code, resp = conn.getreply()
    except (OSError, smtplib.SMTPServerDisconnected) as exc:
        if isinstance(exc, TimeoutError | socket.timeout):
            raise MailUncertain("The mail server did not confirm the email in time.") from None
        raise MailUncertain(f"The connection to the mail server broke: {exc}.") from None
    finally:
        if conn.sock is not None:
            conn.sock.settimeout(settings.timeout)
    if code != 250:
        raise _refused(code, resp, "data")


def _envelope(conn, sender: str, to: str, options: str) -> list[tuple[int, bytes]]:
    """MAIL, RCPT and DATA: in one write where the server offers PIPELINING (RFC 2920:
    two round trips per email instead of four), else one by one, stopping at a refusal."""
    commands = [
        f"MAIL FROM:{smtplib.quoteaddr(sender)}{options}",
        f"RCPT TO:{smtplib.quoteaddr(to)}",
        "DATA",
    ]
    if conn.has_extn("pipelining"):
        conn.send("".join(c + "\r\n" for c in commands))
        return [_reply(conn) for _ in commands]
    replies = []
    for command, ok in zip(commands, OK_REPLIES, strict=True):
        conn.putcmd(command)
        replies.append(_reply(conn))
        if replies[-1][0] not in ok:
            break
    return replies


def _reply(conn) -> tuple[int, bytes]:
    code, resp = conn.getreply()
    if code == -1:  # smtplib's "no reply": the connection is gone
        raise smtplib.SMTPServerDisconnected(reply_text(resp))
    return code, resp


def _reset(conn) -> None:
    """RSET so the next message starts a clean transaction on this connection."""
    try:
        conn.rset()
    except (OSError, smtplib.SMTPException):
        pass  # a broken connection is noticed (and replaced) by the next send


def _refused(code: int, resp, stage: str) -> SmtpRefused:
    text = f"{code} {reply_text(resp)}"
    if 500 <= code < 600 and stage != "mail":
        return SmtpRefused(f"The mail server refused the email: {text}", code, stage)
    if 500 <= code < 600:
        return SmtpRefused(f"The mail server refused the sender: {text}", code, stage)
    return SmtpRefused(f"The mail server deferred the email: {text}", code, stage)
