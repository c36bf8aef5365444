"""Reading replies: what the prospect wrote now, what kind of message it is, what it names.

Pure functions (no database, no Flask), each bounded in time and memory on hostile input.
The rules and languages are described in docs/replies.md.

    new_text(text, html="") -> str
    kind_of(headers, subject="", new_text="", full_text="", sender="") -> str
    return_date(text, received, subject="") -> date | None
    suggested_contacts(new_text, sender="", ours=()) -> list[str]
    read_bounce(message) -> Bounce | None
"""

from __future__ import annotations

from service.domain.reply_reading.contacts import suggested_contacts
from service.domain.reply_reading.dsn import Bounce, read_bounce
from service.domain.reply_reading.html_text import visible_text
from service.domain.reply_reading.kinds import KINDS, kind_of
from service.domain.reply_reading.quotes import new_text as _plain_new_text
from service.domain.reply_reading.return_dates import return_date

__all__ = [
    "KINDS",
    "Bounce",
    "kind_of",
    "new_text",
    "read_bounce",
    "return_date",
    "suggested_contacts",
]


def new_text(text: str, html: str = "") -> str:
    """The part of a reply the prospect wrote now: quoted history, quote headers, signatures
    and phone footers removed, every other line kept in order.

    The text part is read when it has any; an HTML-only reply is read from its markup with
    the quote containers left out first."""
    if text and text.strip():
        return _plain_new_text(text)
    if html and html.strip():
        return _plain_new_text(visible_text(html))
    return ""
