"""What "Send" would send, shown before it is sent: the same rendering (compose.py), the
same message for the mail port (send_path.outgoing) and what the port adds to it (the
unsubscribe link, its footer and headers), so a preview cannot drift from a send."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from service.domain.mailboxes import choice
from service.domain.ports import MailPort, OutgoingMail
from service.domain.sending.compose import render_for
from service.domain.sending.send_path import outgoing
from service.models import Email, Opportunity, Site


@dataclass
class Preview:
    """The message as it would be handed over, and the placeholders with no value."""

    subject: str
    text: str
    html: str
    headers: dict
    missing: list[str]
    from_email: str
    from_name: str | None
    reply_to: str | None


def preview(
    session: Session, mail: MailPort, site: Site, card: Opportunity | None, draft: dict, now
) -> Preview:
    """Render `draft` ({template_id, subject, body}) as a send to `card` would: the
    given subject/body win over the template's, as they do for a send; from the mailbox
    the send would take (docs/api.md §15), else the site's sender."""
    rendered = render_for(
        session, site, card, draft.get("template_id"), draft.get("subject"), draft.get("body")
    )
    # An email that is never stored: only what outgoing() reads from a reserved one.
    email = Email(
        id=None,
        to_email=getattr(card, "contact_email", None) or "",
        subject=rendered.subject,
        text_body=rendered.text,
        html_body=rendered.html,
        reply_token="preview",
        in_reply_to=None,
    )
    mailbox = choice.would_choose(session, site, card, now)
    message = _as_handed_over(mail, outgoing(site, email, mail.reply_domain, mailbox))
    return Preview(
        subject=message.subject,
        text=message.text,
        html=message.html,
        headers=dict(message.headers),
        missing=list(rendered.missing),
        from_email=message.from_email,
        from_name=message.from_name,
        reply_to=message.reply_to,
    )


def _as_handed_over(mail: MailPort, message: OutgoingMail) -> OutgoingMail:
    """What the port adds when it sends (service/mail/unsubscribe_links.py), with a sample
    link: the real one names the email, which exists only once it is reserved."""
    show = getattr(mail, "preview", None)
    return show(message) if show is not None else message
