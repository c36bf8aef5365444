"""What can go wrong with a mailbox's servers, in the terms the send path acts on.

All are MailRefused (nothing was accepted by the server), except an unknown outcome, which
stays the port's MailUncertain. What the caller does with each:

- SmtpRefused: the server answered the message with a refusal code. `permanent` (5xx to
  the recipient or the message) → bounced at once; otherwise (4xx, or a refusal of the
  sender) → retry later.
- MailboxBroken: the mailbox cannot work until someone fixes it (a refused login, a revoked
  OAuth grant, an untrusted certificate, an address the guard refuses): set it to `error`
  with this message once, and do not retry.
- MailboxUnreachable: the server could not be reached or dropped us before anything was
  handed over: retry later.
"""

from __future__ import annotations

from service.domain.ports import MailboxNeedsOwner, MailRefused


class SmtpRefused(MailRefused):
    """An SMTP refusal: `code` (e.g. 550), `stage` ("mail", "rcpt" or "data")."""

    def __init__(self, message: str, code: int, stage: str):
        super().__init__(message, code)
        self.code, self.stage = code, stage
        # A refusal of the sender (MAIL FROM) is about the mailbox, not the recipient.
        self.permanent = 500 <= code < 600 and stage in ("rcpt", "data")

    @property
    def temporary(self) -> bool:
        return not self.permanent


class MailboxBroken(MailboxNeedsOwner):
    """The mailbox needs its owner: wrong credentials, revoked grant, bad certificate."""


class LoginFailed(MailboxBroken):
    """The server refused the credentials; the message keeps the server's own words."""


class MailboxUnreachable(MailRefused):
    """Could not reach or keep the server; nothing was handed over: try again later."""
