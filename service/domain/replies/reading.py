"""An inbound reply read once: its text, the new part, its kind, whom it names, when an
out-of-office writer is back, and what a bounce says (docs/api.md §16, docs/replies.md).

The rules live in reply_reading (pure, bounded on hostile mail); this module only feeds
them an Inbound Parse post and the site's own addresses.
"""

from __future__ import annotations

import email as email_lib
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from service.domain.replies import inbound_mail
from service.domain.replies.rules import rules
from service.models import Site

if TYPE_CHECKING:
    from service.domain import reply_reading

MAX_ADDRESS_HEADER = 2_000  # characters of To read for our own addresses


@dataclass(frozen=True)
class Reading:
    full_text: str
    text: str
    kind: str = "human"
    suggested_contacts: list[str] = field(default_factory=list)
    back_on: date | None = None
    bounce: reply_reading.Bounce | None = None


def headers_of(form) -> Message:
    """The post's raw header block as a message (headers only)."""
    return email_lib.message_from_string(form.get("headers") or "")


def read(form, headers: Message, site: Site, received: datetime) -> Reading:
    """Everything the service needs to know about one reply to `site`."""
    full = inbound_mail.full_text(form)
    new = inbound_mail.new_part_of(form)
    sender, subject = form.get("from") or headers.get("From") or "", form.get("subject") or ""
    kind = rules().kind_of(headers.items(), subject, new, full, sender[:998])
    return Reading(
        full_text=full,
        text=new,
        kind=kind,
        suggested_contacts=rules().suggested_contacts(new, sender, _ours(form, site)),
        back_on=rules().return_date(new or full, received, subject)
        if kind == "auto_reply"
        else None,
        bounce=bounce_of(form, headers, full) if kind == "bounce" else None,
    )


def is_bounce(form, headers: Message) -> bool:
    """Cheap check for an unmatched post: is it a bounce at all (then bounce_of)?"""
    full = inbound_mail.full_text(form)
    sender = form.get("from") or headers.get("From") or ""
    return rules().kind_of(headers.items(), form.get("subject") or "", "", full, sender) == (
        "bounce"
    )


def bounce_of(form, headers: Message, full_text: str) -> reply_reading.Bounce | None:
    """The bounce a mailer daemon's message reports. Inbound Parse hands over the header
    block and the text part (a report's other parts are attachments), so the message is
    rebuilt from those: the status, the recipient and our Message-ID are in the text."""
    message = EmailMessage()
    for name in ("From", "To", "Subject", "Message-ID"):
        value = headers.get(name)
        if value:
            message[name] = str(value)[:MAX_ADDRESS_HEADER].replace("\n", " ").replace("\r", " ")
    message.set_content(full_text or " ")
    return rules().read_bounce(message)


def _ours(form, site: Site) -> list[str]:
    """Our own addresses and domains, never suggested: the sender settings, the address
    the reply came to (reply+token@…), the site's host."""
    ours = [a for a in (site.from_email, site.reply_to, site.reply_forward_to) if a]
    ours += [a for _, a in getaddresses([(form.get("to") or "")[:MAX_ADDRESS_HEADER]]) if a]
    host = urlsplit(site.url or "").hostname
    if host:
        ours.append(host.removeprefix("www."))
    return [parseaddr(a)[1] or a for a in ours]
