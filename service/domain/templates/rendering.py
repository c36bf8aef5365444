"""Placeholders and plain-text-to-HTML rendering for templates (pure functions).

Everything here runs on text a caller controls, so every scan is linear in its input: the
placeholder scanner and the HTML tokenizer are hand-written loops over `str.find` and
single-character-class searches, never a regex that can backtrack over a run of input.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from service.domain.deliverability import unsubscribe

PLACEHOLDERS = (
    "url",
    "anchor_text",
    "target_url",
    "domain",
    "contact_name",
    "first_name",
    "site_name",
    "unsubscribe_url",
)
BRACE_RE = re.compile(r"[{}]")
OPEN_RUN_RE = re.compile(r"\{+")
HTML_TAG_RE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?>")
# Block-level tags: a body with any of them lays out its own paragraphs.
BLOCK_TAG_RE = re.compile(
    r"</?(?:p|div|br|hr|table|tr|td|th|ul|ol|li|h[1-6]|blockquote|pre"
    r"|section|article|header|footer|center)(?![a-zA-Z0-9-])",
    re.I,
)
TAG_START_RE = re.compile(r"<(?:(/?)([a-zA-Z][a-zA-Z0-9-]*)|!--|[!?/])")
TAG_STOP_RE = re.compile(r"[>\"']")
# The value may lack its closing quote: the pattern then still matches (never retries).
HREF_RE = re.compile(r"(?i)(?<![a-z0-9-])href\s*=\s*(\"[^\"]*\"?|'[^']*'?|[^\s>]*)")
URL_RE = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")
SPACES_RE = re.compile(r"\s+")
# C0/C1 controls but TAB (header whitespace, RFC 5322 WSP), and Unicode line separators:
# in a name or subject any of them could end a header line and start another one.
CONTROL_RE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
SKIPPED_CONTENT = {"script", "style", "head", "title"}
PARAGRAPH_STYLE = "margin:0 0 1em 0;"
WRAPPER_STYLE = (
    "font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;"
    "font-size:15px;line-height:1.6;color:#1d2327;"
)
LINK_STYLE = "color:#2271b1;text-decoration:underline;"


@dataclass
class Rendered:
    """What will go out: subject, text part, HTML part, and placeholders with no value."""

    subject: str
    text: str
    html: str
    missing: list[str] = field(default_factory=list)


class Placeholder(NamedTuple):
    """One `{{ name }}` or `{{ name|fallback }}` in a text: where it is, the name inside
    (spaces stripped) and the fallback used when the value is empty (None: no fallback)."""

    start: int
    end: int
    name: str
    fallback: str | None = None


def placeholders(text: str) -> Iterator[Placeholder]:
    """Every `{{ name }}` (no braces inside), left to right, in one linear pass."""
    pos = 0
    while (start := text.find("{{", pos)) >= 0:
        # In a run of "{" only the last two can open a placeholder (no brace inside one).
        start = OPEN_RUN_RE.match(text, start).end() - 2
        brace = BRACE_RE.search(text, start + 2)
        if brace is None:
            return  # no closing braces anywhere after: nothing more can match
        at = brace.start()
        if text.startswith("}}", at):
            name, bar, fallback = text[start + 2 : at].partition("|")
            yield Placeholder(start, at + 2, name.strip(), fallback.strip() if bar else None)
            pos = at + 2
        else:
            pos = at + (text[at] == "}")  # a stray brace ends this candidate


def unknown_placeholders(text: str) -> list[str]:
    """Placeholders in `text` that the service does not know (any name, so typos are caught)."""
    return sorted({p.name for p in placeholders(text or "") if p.name not in PLACEHOLDERS})


def used_placeholders(*texts: str) -> list[str]:
    """Known placeholders used anywhere in the texts, in first-use order."""
    return _known([p for text in texts for p in placeholders(text or "")])


def _known(found: list[Placeholder]) -> list[str]:
    return list(dict.fromkeys(p.name for p in found if p.name in PLACEHOLDERS))


def has_control_characters(text: str | None) -> bool:
    """True when a header text (name, subject) holds a line break or another control."""
    return bool(text) and CONTROL_RE.search(text) is not None


def is_html(body: str) -> bool:
    """A body with HTML tags is HTML; anything else is plain text."""
    return bool(HTML_TAG_RE.search(body or ""))


def _fill(text: str, found: list[Placeholder], values: dict, escape: bool) -> str:
    parts, last = [], 0
    for p in found:
        value = values.get(p.name) or p.fallback
        if not value:
            continue  # keep the placeholder visible; `missing` names it
        parts += [text[last : p.start], html.escape(value, quote=True) if escape else value]
        last = p.end
    parts.append(text[last:])
    return "".join(parts)


def _linkify(text: str) -> str:
    parts, last = [], 0
    for m in URL_RE.finditer(text):
        parts.append(html.escape(text[last : m.start()], quote=False))
        url = html.escape(m.group(0), quote=True)
        parts.append(f'<a href="{url}" style="{LINK_STYLE}">{url}</a>')
        last = m.end()
    parts.append(html.escape(text[last:], quote=False))
    return "".join(parts)


def _paragraphs(text: str, line) -> str:
    """Blank lines make paragraphs, single line breaks <br>; `line` renders one line."""
    blocks = [p for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()) if p]
    body = "".join(
        f'<p style="{PARAGRAPH_STYLE}">' + "<br>\n".join(line(x) for x in p.split("\n")) + "</p>\n"
        for p in blocks
    )
    return f'<div style="{WRAPPER_STYLE}">\n{body}</div>'


def text_to_html(text: str) -> str:
    """Escaped, styled HTML: paragraphs on blank lines, <br> on single ones, live links."""
    return _paragraphs(text, _linkify)


def _tag_end(markup: str, pos: int) -> int:
    """Index of the `>` closing a tag whose attributes start at `pos` (-1: none)."""
    while (stop := TAG_STOP_RE.search(markup, pos)) is not None:
        at = stop.start()
        if markup[at] == ">":
            return at
        # A quote opens a value only right after `=`; then `>` inside it is text.
        if markup[pos:at].rstrip().endswith("="):
            close = markup.find(markup[at], at + 1)
            if close < 0:
                return -1
            pos = close + 1
        else:
            pos = at + 1
    return -1


def _tokens(markup: str) -> Iterator[tuple[str, str, bool, str]]:
    """("text", data, _, _) and ("tag", name, is_end_tag, attributes), one linear pass.

    A tag or comment left open at the end swallows the rest, as in a browser; comments,
    doctypes and processing instructions are dropped.
    """
    pos = 0
    while (m := TAG_START_RE.search(markup, pos)) is not None:
        if m.start() > pos:
            yield "text", markup[pos : m.start()], False, ""
        if m.group(0) == "<!--":
            end = markup.find("-->", m.end())
            pos = -1 if end < 0 else end + 3
        else:
            end = _tag_end(markup, m.end())
            if end >= 0 and m.group(2):
                yield "tag", m.group(2).lower(), m.group(1) == "/", markup[m.end() : end]
            pos = -1 if end < 0 else end + 1
        if pos < 0:
            return
    yield "text", markup[pos:], False, ""


def _href(attributes: str) -> str | None:
    m = HREF_RE.search(attributes)
    return html.unescape(m.group(1).strip("\"'")) if m and m.group(1).strip("\"'") else None


def html_to_text(markup: str) -> str:
    """A readable text part for an HTML body: paragraphs, line breaks, links as `text (url)`."""
    out: list[str] = []
    links: list[str | None] = []
    skipping = None
    for kind, name, closing, attributes in _tokens(markup):
        if kind == "text":
            if skipping is None:  # source line breaks are spaces, as in a browser
                out.append(SPACES_RE.sub(" ", html.unescape(name)))
        elif skipping is not None:
            skipping = None if closing and name == skipping else skipping
        elif name in SKIPPED_CONTENT and not closing:
            skipping = name
        elif name == "br":
            out.append("\n")
        elif name == "p" and closing:
            out.append("\n\n")
        elif name == "a" and not closing:
            links.append(_href(attributes))
        elif name == "a" and links and (href := links.pop()):
            out.append(f" ({href})")
    lines = "\n".join(line.strip(" ") for line in "".join(out).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", lines).strip()


def render(subject: str, body: str, values: dict) -> Rendered:
    """Fill placeholders; plain text gets a styled HTML twin, values in HTML are escaped."""
    in_subject, in_body = list(placeholders(subject)), list(placeholders(body))
    # A use with a fallback is never missing; one without, and without a value, is.
    missing = _known(
        [p for p in in_subject + in_body if p.fallback is None and not values.get(p.name)]
    )
    # A subject is one header line: a value with line breaks must not start another header.
    filled = _fill(subject, in_subject, values, escape=False)
    filled_subject = CONTROL_RE.sub(" ", filled)
    if is_html(body):
        markup = _fill(body, in_body, values, escape=True)
        if not BLOCK_TAG_RE.search(markup):
            # Inline tags only (a <b> in a plain letter): the author's paragraphs and line
            # breaks still need <p>/<br>, or the whole email runs into one paragraph.
            markup = _paragraphs(markup, lambda line: line)
        return Rendered(filled_subject, html_to_text(markup), markup, missing)
    text = _fill(body, in_body, values, escape=False)
    return Rendered(filled_subject, text, text_to_html(text), missing)


def values_for(opportunity, site=None) -> dict:
    """Placeholder values from an opportunity and its site; the unsubscribe link is a mark
    the mail port replaces with each email's own URL."""
    values = {"unsubscribe_url": unsubscribe.MARK}
    if site is not None:
        values["site_name"] = site.name
    if opportunity is None:
        return values
    name = (opportunity.contact_name or "").strip()
    return values | {
        "url": opportunity.source_url,
        "anchor_text": opportunity.anchor_text,
        "target_url": opportunity.target_url,
        "domain": opportunity.domain,
        "contact_name": name,
        "first_name": name.split()[0] if name else "",
    }
