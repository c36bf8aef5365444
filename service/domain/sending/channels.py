"""Which mail port an email goes through: one function of (site, email).

A site sends through the process's mail port (SendGrid, or the local outbox, with
unsubscribe links added: service/mail/), or through one of its mailboxes (docs/api.md §15:
the site's own SMTP accounts, chosen per card when the email was reserved,
mailboxes/choice.py): the process's port gives that mailbox's port (`for_mailbox`).

What differs by email is how an answer counts. For a send nobody is waiting on (a
sequence step, a scheduled email), SendGrid's 5xx means it did not process the request:
a refusal, retried later (steps) or reported (scheduled), never a doubt. A timeout stays
uncertain: it may have gone out, so it is never repeated. For a person's "send now" a
5xx stays uncertain, as SendGrid documents it.
"""

from __future__ import annotations

from sqlalchemy.orm import object_session

from service.domain.ports import Accepted, MailPort, MailRefused, MailUncertain, OutgoingMail
from service.models import Email, Mailbox, Site


class Unattended:
    """A mail port for sends nobody waits on: a 5xx is a refusal (see above)."""

    def __init__(self, inner: MailPort):
        self.inner = inner
        self.reply_domain = inner.reply_domain

    def send(self, mail: OutgoingMail) -> Accepted:
        try:
            return self.inner.send(mail)
        except MailUncertain as exc:
            if exc.status is not None and exc.status >= 500:
                raise MailRefused(exc.message, exc.status) from None
            raise


def mailbox_of(email: Email) -> Mailbox | None:
    """The mailbox the email was reserved for (None: the process's port)."""
    if email.mailbox_id is None:
        return None
    return object_session(email).get(Mailbox, email.mailbox_id)


def channel_for(mail: MailPort, site: Site, email: Email, mailbox: Mailbox | None = None):
    """The port `email` of `site` goes through (`mail`: the process's mail port)."""
    port = mail.for_mailbox(mailbox) if mailbox is not None else mail
    if email.enrollment_id is not None or email.scheduled_for is not None:
        return Unattended(port)
    return port
