"""Handing a prepared step to the mail port: the outside call, no database."""

from __future__ import annotations

from service.domain import sending
from service.domain.mail import Accepted, Mailer, MailRefused, MailUncertain, OutgoingMail
from service.domain.sequences.prepare import Job


class StepMailer:
    """The mail port as sequence steps use it.

    SendGrid's 5xx means it did not process the request, so for a step it counts as a
    refusal the scheduler retries later with backoff (bounded). A timeout stays
    uncertain: the step may have gone out, so it is never repeated.
    """

    def __init__(self, mailer: Mailer):
        self.inner = mailer
        self.reply_domain = mailer.reply_domain

    def send(self, mail: OutgoingMail) -> Accepted:
        try:
            return self.inner.send(mail)
        except MailUncertain as exc:
            if exc.status is not None and exc.status >= 500:
                raise MailRefused(exc.message, exc.status) from None
            raise


def hand_over(job: Job, mailer: Mailer) -> Job:
    """Give the step to the mail port (plain data: safe in a pool thread); sets job.result."""
    job.result = sending.hand_over_mail(job.mail, mailer, job.email_id)
    return job
