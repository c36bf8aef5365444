"""Bounces that arrive as messages: whom they are about, hard or soft, and our message's id.

- A delivery status notification (RFC 3464: `multipart/report; report-type=delivery-status`)
  is read from its `message/delivery-status` part: the first recipient block whose Action
  is `failed` (else `delayed`, else the first): Final-Recipient (or Original-Recipient),
  Status, Diagnostic-Code. A 5.x.x status is hard, 4.x.x soft; without a status, `failed` is
  hard and `delayed` soft.
- A mailer-daemon text (Gmail "Address not found", Exchange/Office 365 "couldn't be
  delivered", Postfix "<addr>: host … said: 550 …", Exim "The following address(es) failed",
  qmail) is read from its text: the address after such a cue, the first SMTP status in it,
  the line that carries the status as the diagnostic; hard or soft from the status, else
  soft when its words say so ("temporary problem", "will retry", "mailbox full"), else hard.
- Our message's id: the report's `Original-Message-ID` field, else the Message-ID of the
  returned message or headers (`message/rfc822`, `text/rfc822-headers`, or in the text),
  without angle brackets.

Bounded: at most MAX_PARTS parts and MAX_PART characters of any part are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message
from email.parser import HeaderParser
from email.utils import getaddresses

from service import charsets
from service.domain.reply_reading.contacts import ADDRESS_RE, NO_REPLY_RE
from service.domain.reply_reading.html_text import visible_text
from service.domain.reply_reading.kinds import STATUS_RE

MAX_PARTS = 50
MAX_PART = 200_000
MAX_DIAGNOSTIC = 500
MAX_CUE_READ = 20_000
MSGID_RE = re.compile(r"^(?:X-)?(?:Original-)?Message-ID:\s*<?([^<>\s]{1,250})>?", re.I | re.M)
CUE_RE = re.compile(
    r"wasn't delivered to|was not delivered to|couldn't be delivered|could not be delivered|"
    r"delivery to the following recipients? failed|following addresses? failed|"
    r"delivery has failed to these recipients|problem delivering your message to|"
    r"unable to deliver|undeliverable to|wasn't able to deliver|failed recipient|"
    r"rcpt to:|final-recipient:|original-recipient:|to the following addresses|"
    r"konnte nicht zugestellt werden|n'a pas pu être remis|no se pudo entregar",
    re.I,
)
POSTFIX_RE = re.compile(r"^\s*<([^<>\s@]{1,64}@[^<>\s]{1,255})>:", re.M)
SOFT_WORDS_RE = re.compile(
    r"temporar|will retry|try again|delayed|deferred|delivery incomplete|mailbox full|"
    r"over quota|quota exceeded",
    re.I,
)


@dataclass(frozen=True)
class Bounce:
    recipient: str | None
    severity: str  # "hard" or "soft"
    status: str | None  # "5.1.1"
    diagnostic: str | None
    original_message_id: str | None  # without "<>"


def read_bounce(message: Message) -> Bounce | None:
    """The bounce this message reports, or None when it names no recipient."""
    parts = _parts(message)
    report = next((p for p in parts if p.get_content_type() == "message/delivery-status"), None)
    fields = _recipient_fields(report) if report is not None else {}
    text = _text(parts)
    ours = {a.lower() for _, a in getaddresses([str(message.get("To", ""))[:2000]])}
    recipient = _address(fields.get("final-recipient") or fields.get("original-recipient"))
    recipient = recipient or _text_recipient(text, ours)
    if recipient is None:
        return None
    status = _status(fields.get("status")) or _status(text)
    diagnostic = fields.get("diagnostic-code") or _diagnostic_line(text, status)
    return Bounce(
        recipient=recipient,
        severity=_severity(status, fields.get("action", ""), diagnostic or text),
        status=status,
        diagnostic=" ".join((diagnostic or "").split())[:MAX_DIAGNOSTIC] or None,
        original_message_id=_msgid(fields.get("original-message-id", ""))
        or _original_id(parts, text),
    )


def _parts(message: Message) -> list[Message]:
    found = []
    for n, part in enumerate(message.walk()):
        if n >= MAX_PARTS:
            break
        found.append(part)
    return found


def _recipient_fields(report: Message) -> dict[str, str]:
    """Lower-case fields of the report's chosen recipient block, plus its per-message ones."""
    blocks = report.get_payload()
    if not isinstance(blocks, list) or not blocks:
        return {}
    per_message = {k.lower(): str(v)[: MAX_DIAGNOSTIC * 2] for k, v in blocks[0].items()}
    recipients = [
        {k.lower(): str(v)[: MAX_DIAGNOSTIC * 2] for k, v in b.items()}
        for b in blocks[1:MAX_PARTS]
        if isinstance(b, Message)
    ]
    for action in ("failed", "delayed"):
        chosen = next(
            (r for r in recipients if r.get("action", "").lower().startswith(action)), None
        )
        if chosen:
            return per_message | chosen
    return per_message | (recipients[0] if recipients else {})


def _payload_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    return charsets.decode(payload[:MAX_PART], part.get_content_charset())


def _text(parts: list[Message]) -> str:
    """The human-readable part of the bounce: its first text/plain, else its HTML as text."""
    for kind in ("text/plain", "text/html"):
        for part in parts:
            if part.get_content_type() == kind and not part.get_filename():
                text = _payload_text(part)
                return visible_text(text) if kind == "text/html" else text
    return ""


def _address(value: str | None) -> str | None:
    m = ADDRESS_RE.search(value or "")
    return m.group(0).lower() if m else None


def _text_recipient(text: str, ours: set[str]) -> str | None:
    text = text[:MAX_CUE_READ]  # a daemon names the address near the top
    starts = [m.end() for m in CUE_RE.finditer(text)][:5] + [
        m.start() for m in POSTFIX_RE.finditer(text)
    ][:1]
    for start in sorted(starts) or [0]:
        for m in ADDRESS_RE.finditer(text, start, start + 400 if starts else 5000):
            address = m.group(0).lower()
            if address not in ours and not NO_REPLY_RE.match(address):
                return address
    return None


def _status(value: str | None) -> str | None:
    m = STATUS_RE.search((value or "")[:MAX_PART])
    return m.group(0) if m else None


def _diagnostic_line(text: str, status: str | None) -> str | None:
    if status is None:
        return None
    at = text.find(status)
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return text[start : end if end >= 0 else None].strip() or None


def _severity(status: str | None, action: str, words: str) -> str:
    if status:
        return "hard" if status.startswith("5") else "soft"
    if action.lower().startswith("delayed") or SOFT_WORDS_RE.search(words[:MAX_PART]):
        return "soft"
    return "hard"


def _msgid(value: str | None) -> str | None:
    value = (value or "").strip().strip("<>").strip()
    return value[:250] or None


def _original_id(parts: list[Message], text: str) -> str | None:
    for part in parts:
        kind = part.get_content_type()
        if kind == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner and inner[0].get("Message-ID"):
                return _msgid(str(inner[0]["Message-ID"]))
        elif kind == "text/rfc822-headers":
            headers = HeaderParser().parsestr(_payload_text(part))
            if headers.get("Message-ID"):
                return _msgid(str(headers["Message-ID"]))
    m = MSGID_RE.search(text[:MAX_PART])
    return _msgid(m.group(1)) if m else None
