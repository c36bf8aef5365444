"""The process's mail port with the site's mailboxes behind it (docs/api.md §15): sends
without a mailbox go to SendGrid or the outbox as before; `for_mailbox` gives a mailbox's
own SMTP port, with the same unsubscribe links and headers and, when the mailbox turns
them on, its own open and click tracking (domain/sending/channels.py asks for it). The
SMTP/IMAP adapters load on first use."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from service.domain.mailboxes.access import access_for
from service.domain.ports import Accepted, OutgoingMail
from service.domain.secret_box import SecretBox
from service.domain.tracking import tracked_links
from service.mail.unsubscribe_links import LinkedMailer, Tracking
from service.models import Mailbox

if TYPE_CHECKING:
    from service.mail.mailbox_links import MailboxLinks


class ChannelMailer:
    def __init__(self, inner: LinkedMailer, box: SecretBox, links: Callable[[], MailboxLinks]):
        self.inner, self.box, self.links = inner, box, links
        self.reply_domain = inner.reply_domain

    def send(self, mail: OutgoingMail) -> Accepted:
        return self.inner.send(mail)

    def for_mailbox(self, mailbox: Mailbox) -> LinkedMailer:
        """The port of one mailbox (built in the database thread: it reads the row)."""
        smtp = self.links().mailer(access_for(self.box, mailbox))
        inner = self.inner
        tracking = Tracking(
            self.box.derive(tracked_links.PURPOSE), mailbox.track_opens, mailbox.track_clicks
        )
        return LinkedMailer(
            smtp, inner.base_url, inner.key, refusal=inner.refusal, tracking=tracking
        )

    def __getattr__(self, name):
        return getattr(self.inner, name)  # preview(), the outbox's messages()...
