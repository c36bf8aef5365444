"""Reading an Inbound Parse post: fields in their own charsets, the reply's text, its new part.

Quoted history, quote headers and signatures are told apart by reply_reading (bounded in
time on hostile text: bench/reply_text.py).
"""

from __future__ import annotations

import codecs
import json

from service.domain import reply_reading
from service.domain.templates.rendering import html_to_text

MAX_TEXT = 1_000_000  # characters kept of a reply's full text (25 MB mails exist)
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
    """The part the prospect wrote now (service/domain/reply_reading, docs/replies.md)."""
    return reply_reading.new_text(text)
