"""Reading an Inbound Parse post: fields in their own charsets, the reply's text, its new part.

Quoted history, quote headers and signatures are told apart by reply_reading (bounded in
time on hostile text: bench/reply_text.py).
"""

from __future__ import annotations

import json

from service import charsets
from service.domain.replies.rules import rules
from service.domain.templates.rendering import html_to_text

MAX_TEXT = 1_000_000  # characters kept of a reply's full text (25 MB mails exist)
# SPF and dkim: SendGrid's verdicts on the sender (received.py matches only vouched ones).
TEXT_FIELDS = ("from", "to", "subject", "text", "html", "headers", "envelope", "SPF", "dkim")
# `envelope` and `charsets` are small flat objects (SendGrid's are under 1 KB); bounded
# before json.loads, whose recursion a deeply nested value would exhaust (a 500).
MAX_JSON_FIELD = 64 * 1024
MAX_JSON_DEPTH = 8
JSON_FIELDS = ("envelope", "charsets")


class InboundRefused(ValueError):
    """Not an Inbound Parse post we can read; the message names the field and the limit."""


def decode_form(form) -> dict[str, str]:
    """The fields we read, each decoded with the charset Inbound Parse names for it.

    The form was parsed as ISO-8859-1 (byte for byte, see api/webhooks.py), so a field's
    original bytes come back losslessly and are decoded once with the right charset.
    """
    for name in JSON_FIELDS:
        json_field(name, form.get(name) or "")  # InboundRefused before anything is read
    raw = {name: form.get(name) or "" for name in TEXT_FIELDS}
    charsets = _charsets(form.get("charsets") or "")
    return {name: _decode(value, charsets.get(name)) for name, value in raw.items()}


def json_field(name: str, text: str):
    """A JSON field of the post, parsed within bounds; None when it is not JSON at all
    (a broken field is ignored, as before); InboundRefused when too large or too deep."""
    if len(text) > MAX_JSON_FIELD:
        raise InboundRefused(f"The Inbound Parse field `{name}` is larger than 64 KiB.")
    if _depth(text) > MAX_JSON_DEPTH:
        raise InboundRefused(
            f"The Inbound Parse field `{name}` nests deeper than {MAX_JSON_DEPTH} levels."
        )
    try:
        return json.loads(text)
    except ValueError:
        return None


def _depth(text: str) -> int:
    """The deepest nesting of arrays and objects in `text`, outside strings; one pass."""
    deepest = depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _charsets(text: str) -> dict[str, str]:
    found = json_field("charsets", text)
    return {k: v for k, v in found.items() if isinstance(v, str)} if isinstance(found, dict) else {}


def _decode(value: str, charset: str | None) -> str:
    """A field's bytes in its charset: a WHATWG label, else UTF-8, what most mail is
    (service/charsets.py: `hex` or `zlib` name no text encoding)."""
    return charsets.decode(value.encode("latin-1", "replace"), charset)


def full_text(fields: dict[str, str]) -> str:
    """The reply as text: its text part, or its HTML part as text (never the markup)."""
    text = fields.get("text") or ""
    if not text.strip() and (fields.get("html") or "").strip():
        text = html_to_text(fields["html"])
    return text.replace("\r\n", "\n").strip()[:MAX_TEXT]


def new_part(text: str) -> str:
    """The part the prospect wrote now (service/domain/reply_reading, docs/replies.md)."""
    return rules().new_text(text)


def new_part_of(fields: dict[str, str]) -> str:
    """new_part() of a post: its text part, or an HTML-only reply's markup read with its
    quote containers left out (reply_reading.new_text)."""
    text = (fields.get("text") or "").replace("\r\n", "\n")[:MAX_TEXT]
    return rules().new_text(text, fields.get("html") or "").strip()
