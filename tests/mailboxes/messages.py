"""Messages for the mailbox tests: what the send path hands the port, what arrives."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from service.domain.ports import OutgoingMail
from service.domain.sending.send_path import CUSTOM_ARG_EMAIL, CUSTOM_ARG_SITE


def outgoing(to="prospect@example.org", sender="alice@example.test", email_id=7, **over):
    fields = {
        "to": to,
        "from_email": sender,
        "from_name": "Alice Ångström",
        "subject": "A link for your résumé page",
        "text": "Hello,\nwould you link to us?\n",
        "html": "<p>Hello,<br>would you link to us?</p>",
        "reply_to": None,
        "custom_args": {CUSTOM_ARG_EMAIL: str(email_id), CUSTOM_ARG_SITE: "1"},
        **over,
    }
    return OutgoingMail(**fields)


def reply_bytes(subject="Re: hello", size=0, sender="prospect@example.org") -> bytes:
    """An incoming message as an MTA would deliver it (`size` pads the body)."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "alice@example.test", subject
    msg["Date"], msg["Message-ID"] = formatdate(), make_msgid(domain="example.org")
    msg.set_content("Sure.\n" + ("x" * 76 + "\n") * (size // 77))
    return msg.as_bytes().replace(b"\n", b"\r\n")
