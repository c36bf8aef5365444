"""The message a mailbox sends, as the bytes handed to the server and filed in Sent.

Written directly rather than through EmailMessage (issue 23: its header registry and
generator took ~2.5 ms of CPU per email, most of a send's CPU). The headers are those the
stdlib composer wrote, in its order (service/mail/headers.py writes each); the text and
HTML go as multipart/alternative (text/plain alone without HTML), each 7bit when it is
plain ASCII in short lines, else quoted-printable or base64, whichever is shorter: never
8bit, so nothing is asked of the server (the stdlib composer sent short non-ASCII lines as
8bit without BODY=8BITMIME). Lines end in CRLF; dot-stuffing is the transport's.
"""

from __future__ import annotations

import binascii
import re
import secrets
from datetime import UTC, datetime
from email.utils import format_datetime

from service.domain.ports import OutgoingMail
from service.mail import headers

# Headers the adapter writes itself; the port's `headers` may not replace them.
OWN_HEADERS = {"from", "to", "subject", "date", "reply-to", "mime-version", "content-type"}
OWN_HEADERS |= {"content-transfer-encoding", "sender", "bcc", "cc", "message-id"}
# Identifiers whose words are never encoded-words (free text is: service/mail/headers.py).
LITERAL = {"in-reply-to", "references", "list-unsubscribe", "list-unsubscribe-post"}
HARD_LINE = 998  # RFC 5322 2.1.1: the most a line may hold
BODY_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # not 7bit text (RFC 2045 2.7)
BASE64_CHUNK = 57  # bytes per 76-character line


def compose(mail: OutgoingMail, message_id: str, smtputf8: bool = False) -> bytes:
    """The message as the recipient sees it: raw UTF-8 headers when `smtputf8` (the
    transaction is SMTPUTF8), else ASCII with encoded-words. ValueError for a header that
    cannot be written safely (a line break in a value: header injection)."""
    head = [
        headers.mailbox("From", mail.from_name, mail.from_email, smtputf8),
        headers.address("To", mail.to, smtputf8),
        headers.text("Subject", mail.subject, smtputf8),
        "Date: " + format_datetime(datetime.now(UTC)),
        headers.text("Message-ID", message_id, smtputf8, free=False),
    ]
    if mail.reply_to:
        head.append(headers.address("Reply-To", mail.reply_to, smtputf8))
    for name, value in mail.headers.items():
        if name.lower() not in OWN_HEADERS:
            free = name.lower() not in LITERAL
            head.append(headers.text(headers.checked_name(name), value, smtputf8, free))
    head.append("MIME-Version: 1.0")
    body = _body(head, mail.text, mail.html)
    raw_head = "\r\n".join(head).encode("utf-8" if smtputf8 else "ascii")
    if any(len(line) > HARD_LINE for line in raw_head.split(b"\r\n")):
        raise ValueError(f"A header line would be longer than {HARD_LINE} characters.")
    return raw_head + b"\r\n\r\n" + body


def _body(head: list[str], text: str, html: str) -> bytes:
    """The body; its Content-Type (and Content-Transfer-Encoding) go on `head`."""
    plain = _part("plain", text)
    if not html:
        head.extend(plain[0])
        return plain[1]
    rich = _part("html", html)
    boundary = "=_" + secrets.token_hex(16)  # "=_" is in no quoted-printable or base64 line
    while f"--{boundary}".encode() in plain[1] + rich[1]:  # 7bit text: 2**-128, but cheap
        boundary = "=_" + secrets.token_hex(16)
    head.append(f'Content-Type: multipart/alternative;\r\n boundary="{boundary}"')
    parts = [
        b"\r\n".join(h.encode("ascii") for h in fields) + b"\r\n\r\n" + data
        for fields, data in (plain, rich)
    ]
    delimiter = f"--{boundary}\r\n".encode()
    return delimiter + (b"\r\n" + delimiter).join(parts) + f"\r\n--{boundary}--\r\n".encode()


def _part(subtype: str, text: str) -> tuple[list[str], bytes]:
    """A text part's header fields and its encoded body. Its lines are those of
    bytes.splitlines() (CR, LF or CRLF), each ending in CRLF, as the stdlib wrote them."""
    lines = text.encode("utf-8").splitlines()
    data = b"\r\n".join(lines) + b"\r\n"
    plain = max(map(len, lines), default=0) <= headers.LINE and data.isascii()
    cte, data = ("7bit", data) if plain and not BODY_CONTROLS.search(data) else _encoded(data)
    fields = [f'Content-Type: text/{subtype}; charset="utf-8"', f"Content-Transfer-Encoding: {cte}"]
    return fields, data


def _encoded(data: bytes) -> tuple[str, bytes]:
    """Quoted-printable (CRLF kept, soft breaks within 76 characters) or base64, whichever
    is shorter."""
    quoted = binascii.b2a_qp(data)
    base64 = b"".join(
        binascii.b2a_base64(data[n : n + BASE64_CHUNK], newline=False) + b"\r\n"
        for n in range(0, len(data), BASE64_CHUNK)
    )
    return ("base64", base64) if len(base64) < len(quoted) else ("quoted-printable", quoted)
