"""The mail port decorator that gives every email its unsubscribe link and headers, and a
mailbox's emails their tracking links when the mailbox asks for them."""

from __future__ import annotations

from dataclasses import dataclass, field

from service.domain.deliverability import unsubscribe
from service.domain.ports import Accepted, MailPort, MailRefused, OutgoingMail
from service.domain.sending.send_path import CUSTOM_ARG_EMAIL
from service.domain.tracking import tracked_links

PREVIEW_TOKEN = "preview"  # no email's token: the link unsubscribes nobody


@dataclass(frozen=True)
class Tracking:
    """A mailbox's open pixel and click links (docs/api.md §15; needs OUTREACH_PUBLIC_URL)."""

    key: bytes = field(repr=False)
    opens: bool
    clicks: bool

    def decorate(self, mail: OutgoingMail, base_url: str, email_id: int) -> OutgoingMail:
        if not (self.opens or self.clicks):
            return mail
        return tracked_links.decorate(mail, base_url, self.key, email_id, self.opens, self.clicks)


class LinkedMailer:
    """Wraps a mailer: List-Unsubscribe headers, {{unsubscribe_url}} and the footer."""

    def __init__(
        self,
        inner: MailPort,
        base_url: str | None,
        key: bytes,
        refusal: str | None = None,
        tracking: Tracking | None = None,
    ):
        self.inner, self.base_url, self.key = inner, base_url, key
        self.refusal = refusal  # set: real mail without unsubscribe links, refused
        self.reply_domain = inner.reply_domain
        self.tracking = tracking  # a mailbox's own opens/clicks (never SendGrid's port)

    def send(self, mail: OutgoingMail) -> Accepted:
        if self.refusal:
            raise MailRefused(self.refusal)  # nothing went out
        email_id = mail.custom_args.get(CUSTOM_ARG_EMAIL)
        url = None
        if self.base_url and email_id is not None:
            url = unsubscribe.link(self.base_url, self.key, int(email_id))
        mail = unsubscribe.decorate(mail, url, mail.unsubscribe_footer)
        if self.tracking is not None and self.base_url and email_id is not None:
            mail = self.tracking.decorate(mail, self.base_url, int(email_id))
        return self.inner.send(mail)

    def preview(self, mail: OutgoingMail) -> OutgoingMail:
        """What `send` would hand over, with a sample link (the real one names the email,
        which a preview does not have): the send dialog's preview."""
        url = f"{self.base_url.rstrip('/')}/u/{PREVIEW_TOKEN}" if self.base_url else None
        return unsubscribe.decorate(mail, url, mail.unsubscribe_footer)

    def __getattr__(self, name):
        return getattr(self.inner, name)  # the adapter's own extras (outbox.messages())
