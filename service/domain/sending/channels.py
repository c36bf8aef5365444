"""Which mail port an email goes through: one function of (site, email).

Today a site has one channel, the process's mail port (SendGrid, or the local outbox,
with unsubscribe links added: service/mail/). A channel per mailbox (the site's own SMTP
accounts, chosen per card) slots in here and nowhere else.

What differs by email is how an answer counts. For a send nobody is waiting on (a
sequence step, a scheduled email), SendGrid's 5xx means it did not process the request:
a refusal, retried later (steps) or reported (scheduled), never a doubt. A timeout stays
uncertain: it may have gone out, so it is never repeated. For a person's "send now" a
5xx stays uncertain, as SendGrid documents it.
"""

from __future__ import annotations

from service.domain.ports import Accepted, MailPort, MailRefused, MailUncertain, OutgoingMail
from service.models import Email, Site


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


def channel_for(mail: MailPort, site: Site, email: Email) -> MailPort:
    """The port `email` of `site` goes through (`mail`: the process's mail port)."""
    if email.enrollment_id is not None or email.scheduled_for is not None:
        return Unattended(mail)
    return mail
