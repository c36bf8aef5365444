"""The mail port decorator that gives every email its unsubscribe link and headers."""

from __future__ import annotations

from service.domain.deliverability import unsubscribe
from service.domain.ports import Accepted, MailPort, MailRefused, OutgoingMail
from service.domain.sending.send_path import CUSTOM_ARG_EMAIL


class LinkedMailer:
    """Wraps a mailer: List-Unsubscribe headers, {{unsubscribe_url}} and the footer."""

    def __init__(
        self, inner: MailPort, base_url: str | None, key: bytes, refusal: str | None = None
    ):
        self.inner, self.base_url, self.key = inner, base_url, key
        self.refusal = refusal  # set: real mail without unsubscribe links, refused
        self.reply_domain = inner.reply_domain

    def send(self, mail: OutgoingMail) -> Accepted:
        if self.refusal:
            raise MailRefused(self.refusal)  # nothing went out
        email_id = mail.custom_args.get(CUSTOM_ARG_EMAIL)
        url = None
        if self.base_url and email_id is not None:
            url = unsubscribe.link(self.base_url, self.key, int(email_id))
        return self.inner.send(unsubscribe.decorate(mail, url, mail.unsubscribe_footer))

    def __getattr__(self, name):
        return getattr(self.inner, name)  # the adapter's own extras (outbox.messages())
