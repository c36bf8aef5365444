"""Mail adapters behind the port in service.domain.ports, and the factory that picks one."""

from __future__ import annotations

import logging

from service.mail.outbox import OutboxMailer
from service.mail.sendgrid_mailer import SendGridMailer

log = logging.getLogger("outreach.mail")

__all__ = ["OutboxMailer", "SendGridMailer", "build_mailer"]


def build_mailer(config) -> object:
    """SendGrid when SENDGRID_API_KEY is set, else the local outbox (announced loudly)."""
    reply_domain = config.get("INBOUND_DOMAIN")
    if config.get("SENDGRID_API_KEY"):
        return SendGridMailer(
            config["SENDGRID_API_KEY"],
            config.get("SENDGRID_API_HOST") or "https://api.sendgrid.com",
            float(config.get("SENDGRID_TIMEOUT") or 10),
            reply_domain=reply_domain,
        )
    path = config["OUTBOX_PATH"]
    log.warning(
        "SENDGRID_API_KEY is not set: NO EMAIL WILL BE SENT. Every message is "
        "written to the local outbox %s instead.",
        path,
    )
    return OutboxMailer(path, reply_domain=reply_domain)
