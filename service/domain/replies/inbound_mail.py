"""Reading an Inbound Parse post: fields in their own charsets, the reply's text, its new part.

Quoted history and signatures are told apart by `mail-parser-reply` (maintained, rules for
Gmail/Outlook/Apple headers in several languages, "-- " and "Sent from my" signatures).
Its regular expressions backtrack: a hostile 8 KB line takes seconds. So it only ever sees
a bounded, defused copy: at most MAX_LINES lines and MAX_HEAD characters, runs of blank
lines collapsed, and each line longer than LONG_LINE (no reply header or signature line is
that long) replaced by a short token that is put back afterwards. Its cost is then bounded
whatever comes in (bench/reply_text.py).
"""

from __future__ import annotations

import codecs
import json
import re

from mailparser_reply import EmailReplyParser

from service.domain.templates.rendering import html_to_text

LANGUAGES = ["en", "de", "fr", "es", "it", "nl"]
PARSER = EmailReplyParser(languages=LANGUAGES)
LONG_LINE = 200
MAX_LINES = 300
MAX_HEAD = 16_000  # characters the parser sees (its cost grows with headers x text)
MAX_TEXT = 1_000_000  # characters kept of a reply's full text (25 MB mails exist)
BLANKS_RE = re.compile(r"\n(?:[ \t]*\n){2,}")
TEXT_FIELDS = ("from", "to", "subject", "text", "html", "headers", "envelope")


def decode_form(form) -> dict[str, str]:
    """The fields we read, each decoded with the charset Inbound Parse names for it.

    The form was parsed as ISO-8859-1 (byte for byte, see api/webhooks.py), so a field's
    original bytes come back losslessly and are decoded once with the right charset.
    """
    raw = {name: form.get(name) or "" for name in TEXT_FIELDS}
    charsets = _charsets(form.get("charsets") or "")
    return {name: _decode(value, charsets.get(name)) for name, value in raw.items()}


def _charsets(text: str) -> dict[str, str]:
    try:
        found = json.loads(text[:10_000])
    except ValueError:
        return {}
    return {k: v for k, v in found.items() if isinstance(v, str)} if isinstance(found, dict) else {}


def _decode(value: str, charset: str | None) -> str:
    data = value.encode("latin-1", "replace")
    try:
        codec = codecs.lookup(charset or "utf-8").name
    except LookupError:
        codec = "utf-8"  # an unknown label: UTF-8 is what most mail is
    return data.decode(codec, "replace")


def full_text(fields: dict[str, str]) -> str:
    """The reply as text: its text part, or its HTML part as text (never the markup)."""
    text = fields.get("text") or ""
    if not text.strip() and (fields.get("html") or "").strip():
        text = html_to_text(fields["html"])
    return text.replace("\r\n", "\n").strip()[:MAX_TEXT]


def new_part(text: str) -> str:
    """The part the prospect wrote now: quoted history and signature removed when they can
    be told apart within the bounded head; otherwise the whole text."""
    text = BLANKS_RE.sub("\n\n", text).strip()
    lines = text.split("\n")
    head, long_lines, size = [], {}, 0
    for i, line in enumerate(lines[:MAX_LINES]):
        if len(line.strip()) > LONG_LINE:
            token = f"\u27e6{i}\u27e7"  # brackets no rule of the parser matches
            long_lines[token] = line.strip()
            line = token
        size += len(line) + 1
        if size > MAX_HEAD:
            break
        head.append(line)
    replies = PARSER.read("\n".join(head)).replies
    if not replies or (len(replies) == 1 and not replies[0].signatures):
        return text  # nothing told apart: the whole text is new
    body = replies[0].body
    for token, line in long_lines.items():
        body = body.replace(token, line)
    return body
