"""What kind of message a reply is: bounce, auto_reply, unsubscribe_request or human.

In that order, the first that fits:
- `bounce`: a delivery status report (`multipart/report; report-type=delivery-status`), or a
  message from a mailer daemon / postmaster, or with a bounce subject ("Undeliverable:",
  "Delivery Status Notification", "Unzustellbar" …), that names an SMTP status (5.x.x,
  4.x.x) in its text;
- `auto_reply`: RFC 3834 `Auto-Submitted` other than `no`; `X-Autoreply`, `X-Autorespond`;
  `Precedence: auto_reply|bulk|junk`; an out-of-office subject or phrase in the new text
  ("Out of office", "Abwesenheitsnotiz", "Réponse automatique", "Fuera de la oficina" …);
  or an acknowledgement ("Thank you for your email, we will get back …") on a message
  with an Exchange hint (`X-Auto-Response-Suppress`, `X-MS-Exchange-Inbox-Rules-Loop`);
- `unsubscribe_request`: the new text asks to be removed ("unsubscribe", "remove me",
  "stop emailing me", "abmelden", "désinscrire", "darme de baja" …) and no negation stands
  just before it ("I don't want to unsubscribe"); a link line is not read (an
  "unsubscribe" link in a signature or a quoted footer is no request);
- `human` otherwise.
Only the new text is read for phrases, so a quoted "out of office" or footer counts for
nothing. Every input is cut to a bounded size first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from email.utils import parseaddr

from service.domain.reply_reading.phrases import (
    AUTO_BODY_RE,
    AUTO_SUBJECT_RE,
    AUTO_SUBJECT_WORD_RE,
    AUTO_WEAK_RE,
    BOUNCE_SUBJECT_RE,
    NEGATION_RE,
    UNSUBSCRIBE_RE,
)

KINDS = ("human", "auto_reply", "bounce", "unsubscribe_request")
MAX_HEADERS = 200
MAX_HEADER_VALUE = 2_000
MAX_SUBJECT = 998
MAX_READ = 5_000  # characters of the new text read for phrases
MAX_BOUNCE_READ = 20_000  # characters of the full text searched for a status code
DAEMONS = {"mailer-daemon", "postmaster", "mail-daemon", "maildaemon", "mailerdaemon"}
AUTO_PRECEDENCE = {"auto_reply", "bulk", "junk"}
HINT_HEADERS = ("x-auto-response-suppress", "x-ms-exchange-inbox-rules-loop")
STATUS_RE = re.compile(r"(?<![\d.])[245]\.\d{1,3}\.\d{1,3}(?![\d.])")
REPLY_PREFIX_RE = re.compile(r"(?:\s*(?:re|aw|sv|vs|antw|r|rif|ynt|odp|fw|fwd|wg)\s*:)+", re.I)
LINK_RE = re.compile(r"https?://|www\.|<[^>]*@|mailto:", re.I)
STOP_ALONE_RE = re.compile(r"(?:stop|unsubscribe|remove|abmelden|désinscrire|baja)[.!]*", re.I)


def headers_map(headers: Mapping[str, str] | Iterable[tuple[str, str]] | None) -> dict[str, str]:
    """Lower-case names to their first value, both bounded; a mapping or (name, value) pairs."""
    pairs = headers.items() if isinstance(headers, Mapping) else (headers or ())
    found: dict[str, str] = {}
    for n, (name, value) in enumerate(pairs):
        if n >= MAX_HEADERS:
            break
        found.setdefault(str(name).strip().lower(), str(value)[:MAX_HEADER_VALUE])
    return found


def kind_of(
    headers=None, subject: str = "", new_text: str = "", full_text: str = "", sender: str = ""
) -> str:
    """One of KINDS for a received reply (see the module docstring)."""
    found = headers_map(headers)
    subject = (subject or found.get("subject", ""))[:MAX_SUBJECT]
    sender = sender or found.get("from", "")
    text = (new_text or "")[:MAX_READ]
    if is_bounce(found, subject, full_text or new_text or "", sender):
        return "bounce"
    if is_auto_reply(found, subject, text):
        return "auto_reply"
    if asks_to_unsubscribe(text):
        return "unsubscribe_request"
    return "human"


def is_bounce(headers: dict[str, str], subject: str, full_text: str, sender: str) -> bool:
    content_type = headers.get("content-type", "").lower()
    if "multipart/report" in content_type and "delivery-status" in content_type:
        return True
    local = parseaddr(sender[:MAX_HEADER_VALUE])[1].lower().partition("@")[0]
    if local not in DAEMONS and not BOUNCE_SUBJECT_RE.search(subject):
        return False
    return bool(STATUS_RE.search(full_text[:MAX_BOUNCE_READ]))


def is_auto_reply(headers: dict[str, str], subject: str, text: str) -> bool:
    submitted = headers.get("auto-submitted", "").split(";")[0].strip().lower()
    if submitted and submitted != "no":
        return True
    if "x-autoreply" in headers or "x-autorespond" in headers or "x-autoresponder" in headers:
        return True
    if headers.get("precedence", "").strip().lower() in AUTO_PRECEDENCE:
        return True
    bare_subject = REPLY_PREFIX_RE.sub("", subject, count=1).strip()
    if AUTO_SUBJECT_RE.search(subject) or AUTO_SUBJECT_WORD_RE.match(bare_subject):
        return True
    if AUTO_BODY_RE.search(text):
        return True
    hinted = any(name in headers for name in HINT_HEADERS)
    return hinted and bool(AUTO_WEAK_RE.search(text))


def asks_to_unsubscribe(text: str) -> bool:
    """The prospect asks to be removed, in a line of their own text (not a link line)."""
    if STOP_ALONE_RE.fullmatch(text.strip()):
        return True
    for line in text.split("\n"):
        if LINK_RE.search(line):
            continue
        for m in UNSUBSCRIBE_RE.finditer(line):
            if not NEGATION_RE.search(line[max(0, m.start() - 30) : m.start()]):
                return True
    return False
