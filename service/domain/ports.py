"""The ports: what the domain needs from outside, as plain protocols and data (no SDK).

The mail port takes one rendered message and says whether the provider took it; its
adapters (SendGrid, the local outbox) live in service/mail/, and
service/domain/sending/channels.py is the one place that picks the port an email goes
through. The clock is injectable, so tests freeze time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass
class OutgoingMail:
    """One message to one recipient, fully rendered."""

    to: str
    from_email: str
    from_name: str | None
    subject: str
    text: str
    html: str
    reply_to: str | None = None
    custom_args: dict[str, str] = field(default_factory=dict)
    categories: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # e.g. In-Reply-To, References
    unsubscribe_footer: bool = True  # the site's setting (deliverability/unsubscribe.py)


@dataclass
class Accepted:
    """The provider took the message; `message_id` is SendGrid's X-Message-Id."""

    message_id: str | None


class MailRefused(Exception):
    """A definite refusal (4xx, or the provider was never reached): nothing went out."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.message, self.status = message, status


class MailboxNeedsOwner(MailRefused):
    """A mailbox cannot send until someone fixes it (refused login, revoked grant,
    untrusted certificate): it goes to `error` with this message, once."""


class MailUncertain(Exception):
    """Timeout or 5xx: the message may or may not have gone out."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.message, self.status = message, status


class MailPort(Protocol):
    """A mail adapter; `reply_domain` enables per-email reply+<token>@domain addresses."""

    reply_domain: str | None

    def send(self, mail: OutgoingMail) -> Accepted: ...


class Clock(Protocol):
    """The time, always UTC-aware (service.clock has the real and the frozen one)."""

    def now(self) -> datetime: ...
