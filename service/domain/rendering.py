"""Placeholders and plain-text-to-HTML rendering for templates (pure functions)."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

PLACEHOLDERS = ("url", "anchor_text", "target_url", "domain")
PLACEHOLDER_RE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")  # any name, so typos are caught
HTML_TAG_RE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?>")
BLOCK_TAG_RE = re.compile(
    r"(?i)</?(p|div|br|table|ul|ol|li|h[1-6]|blockquote|pre|hr|html|body|section)\b")
URL_RE = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")
PARAGRAPH_STYLE = "margin:0 0 1em 0;"
WRAPPER_STYLE = ("font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;"
                 "font-size:15px;line-height:1.6;color:#1d2327;")
LINK_STYLE = "color:#2271b1;text-decoration:underline;"


@dataclass
class Rendered:
    """What will go out: subject, text part, HTML part, and placeholders with no value."""

    subject: str
    text: str
    html: str
    missing: list[str] = field(default_factory=list)


def unknown_placeholders(text: str) -> list[str]:
    """Placeholders in `text` that the service does not know."""
    names = [m.group(1) for m in PLACEHOLDER_RE.finditer(text or "")]
    return sorted({n for n in names if n not in PLACEHOLDERS})


def used_placeholders(*texts: str) -> list[str]:
    """Known placeholders used anywhere in the texts, in first-use order."""
    seen: list[str] = []
    for text in texts:
        for m in PLACEHOLDER_RE.finditer(text or ""):
            if m.group(1) in PLACEHOLDERS and m.group(1) not in seen:
                seen.append(m.group(1))
    return seen


def is_html(body: str) -> bool:
    """A body with HTML tags is HTML; anything else is plain text."""
    return bool(HTML_TAG_RE.search(body or ""))


def _fill(text: str, values: dict, escape: bool) -> str:
    def replace(m: re.Match) -> str:
        value = values.get(m.group(1))
        if not value:
            return m.group(0)  # keep the placeholder visible; `missing` names it
        return html.escape(value, quote=True) if escape else value

    return PLACEHOLDER_RE.sub(replace, text)


def _linkify(text: str) -> str:
    parts, last = [], 0
    for m in URL_RE.finditer(text):
        parts.append(html.escape(text[last:m.start()], quote=False))
        url = html.escape(m.group(0), quote=True)
        parts.append(f'<a href="{url}" style="{LINK_STYLE}">{url}</a>')
        last = m.end()
    parts.append(html.escape(text[last:], quote=False))
    return "".join(parts)


def text_to_html(text: str) -> str:
    """Escaped, styled HTML: paragraphs on blank lines, <br> on single ones, live links."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()) if p]
    body = "".join(
        f'<p style="{PARAGRAPH_STYLE}">' + "<br>\n".join(_linkify(line) for line in p.split("\n"))
        + "</p>\n" for p in paragraphs)
    return f'<div style="{WRAPPER_STYLE}">\n{body}</div>'


def inline_to_html(markup: str) -> str:
    """A body with inline tags only (<b>, <a>…): its blank lines still make paragraphs."""
    paragraphs = [p for p in re.split(r"\n\s*\n", markup.replace("\r\n", "\n").strip()) if p]
    body = "".join(f'<p style="{PARAGRAPH_STYLE}">' + "<br>".join(p.split("\n")) + "</p>"
                   for p in paragraphs)
    return f'<div style="{WRAPPER_STYLE}">{body}</div>'


def html_to_text(markup: str) -> str:
    """A readable text part for an HTML body."""
    text = re.sub(r"(?i)<br\s*/?>", "\n", markup)
    text = re.sub(r"(?i)</p\s*>", "\n\n", text)
    text = re.sub(r"(?is)<a\s[^>]*href=\"([^\"]+)\"[^>]*>(.*?)</a>", r"\2 (\1)", text)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(re.sub(r"\n{3,}", "\n\n", text)).strip()


def render(subject: str, body: str, values: dict) -> Rendered:
    """Fill placeholders; plain text gets a styled HTML twin, values in HTML are escaped."""
    missing = [n for n in used_placeholders(subject, body) if not values.get(n)]
    # A subject is one header line: a value with line breaks must not start another header.
    filled_subject = " ".join(_fill(subject, values, escape=False).split("\n")).replace("\r", " ")
    if is_html(body):
        markup = _fill(body, values, escape=True)
        if not BLOCK_TAG_RE.search(markup):
            markup = inline_to_html(markup)
        return Rendered(filled_subject, html_to_text(markup), markup, missing)
    text = _fill(body, values, escape=False)
    return Rendered(filled_subject, text, text_to_html(text), missing)


def values_for(opportunity) -> dict:
    """Placeholder values from an opportunity (or none without one)."""
    if opportunity is None:
        return {}
    return {"url": opportunity.source_url, "anchor_text": opportunity.anchor_text,
            "target_url": opportunity.target_url, "domain": opportunity.domain}
