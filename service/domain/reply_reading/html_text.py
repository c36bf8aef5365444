"""An HTML-only reply as text, with the quote containers left out in the markup itself.

Once HTML is flattened a quote is indistinguishable from the prospect's text (no `>`), so
the containers mail clients put quotes in are skipped while walking the parsed document:
- skipped with what they hold: `<blockquote>` (Gmail's `blockquote.gmail_quote`, Apple's
  `type=cite`, Thunderbird, Proton, Yahoo), Gmail's attribution (`.gmail_attr`) and
  signature (`.gmail_signature`, the "-- " of its text part), Thunderbird's
  `.moz-cite-prefix`, Yahoo's `.yahoo_quoted`, Proton's `.protonmail_quote`;
- where history starts, so nothing after them in document order is read: Outlook on the
  web's `#appendonsend` / `#divRplyFwdMsg` / `#mail-editor-reference-message-container`,
  Hotmail's `hr#stopSpelling`, `.OutlookMessageHeader`, and Outlook desktop's header div
  (a `border-top` div that starts with "From:" or its translation).
Inline answers written between split blockquotes stay, in order. The text that remains
goes through the plain-text rules (quotes.py), which also drop an attribution left above
a removed quote. Block elements end lines as a browser would; `<p>` ends a paragraph
(Outlook's `MsoNormal` paragraphs are lines); links read "text (url)" like
rendering.html_to_text.

Bounded: MAX_HTML characters are parsed (lexbor, C), MAX_NODES nodes walked without
recursion, and only a few border-top divs have their text looked at.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from service.domain.reply_reading.quote_headers import FROM_KEYS, KEY_RE

MAX_HTML = 2_000_000
MAX_NODES = 200_000
MAX_BORDER_CHECKS = 20
SKIPPED_TAGS = {"blockquote", "script", "style", "head", "title", "template", "noscript", "svg"}
SKIPPED_CLASSES = (
    "gmail_attr", "gmail_signature", "moz-cite-prefix", "yahoo_quoted", "protonmail_quote",
    "protonmail_signature_block",
)  # fmt: skip
CUT_IDS = {"appendonsend", "divrplyfwdmsg", "mail-editor-reference-message-container"}
CUT_CLASSES = ("outlookmessageheader",)
BLOCK_TAGS = {
    "address", "article", "aside", "center", "dd", "div", "dl", "dt", "fieldset", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "nav", "ol", "p", "pre", "section", "table", "tr", "ul",
}  # fmt: skip
SPACES_RE = re.compile(r"\s+")
MANY_BREAKS_RE = re.compile(r"\n{3,}")


class _Writer:
    """Text with browser-like line breaks: a block starts a line only after content."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.at_line_start = True

    def text(self, data: str) -> None:
        data = SPACES_RE.sub(" ", data)
        if self.at_line_start:
            data = data.lstrip(" ")
        if data:
            self.parts.append(data)
            self.at_line_start = False

    def newline(self) -> None:
        self.parts.append("\n")
        self.at_line_start = True

    def soft_break(self) -> None:
        if not self.at_line_start:
            self.newline()

    def result(self) -> str:
        lines = "".join(self.parts).split("\n")
        return MANY_BREAKS_RE.sub("\n\n", "\n".join(line.strip() for line in lines)).strip()


def visible_text(markup: str) -> str:
    """The HTML reply's text without its quote containers (see the module docstring)."""
    root = LexborHTMLParser(markup[:MAX_HTML]).body
    if root is None:
        return ""
    out = _Writer()
    _walk(root, out)
    return out.result()


def _walk(root, out: _Writer) -> None:
    stack: list[tuple[object, bool]] = [(root, False)]
    links: list[tuple[str | None, int]] = []
    lists: list[int | None] = []
    paragraphs: list[int] = []
    border_checks = [0]
    walked = 0
    while stack and walked < MAX_NODES:
        node, leaving = stack.pop()
        walked += 1
        if leaving:
            _leave(node, out, links, lists, paragraphs)
            continue
        tag = node.tag
        if tag == "-text":
            out.text(node.text_content or "")
            continue
        if tag.startswith("-") or tag in SKIPPED_TAGS or _has_class(node, SKIPPED_CLASSES):
            continue
        if _starts_history(node, border_checks):
            return
        _enter(node, out, links, lists, paragraphs)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))


def _has_class(node, names: tuple[str, ...]) -> bool:
    classes = (node.attributes.get("class") or "").lower()
    return bool(classes) and any(name in classes for name in names)


def _starts_history(node, border_checks: list[int]) -> bool:
    if (node.attributes.get("id") or "").lower().removeprefix("x_") in CUT_IDS:
        return True
    if node.tag == "hr" and (node.attributes.get("id") or "").lower().endswith("stopspelling"):
        return True
    if _has_class(node, CUT_CLASSES):
        return True
    style = (node.attributes.get("style") or "").lower()
    if node.tag != "div" or "border-top" not in style or border_checks[0] >= MAX_BORDER_CHECKS:
        return False
    border_checks[0] += 1
    m = KEY_RE.match(node.text(deep=True)[:200].replace("\xa0", " "))
    return m is not None and m.group(1).strip().lower() in FROM_KEYS


def _enter(node, out: _Writer, links: list, lists: list, paragraphs: list) -> None:
    tag = node.tag
    if tag == "br":
        out.newline()
    elif tag in BLOCK_TAGS:
        out.soft_break()
    if tag in ("ul", "ol"):
        lists.append(0 if tag == "ol" else None)
    elif tag == "li":
        number = lists[-1] if lists else None
        if number is None:
            out.text("- ")
        else:
            lists[-1] = number + 1
            out.text(f"{number + 1}. ")
    elif tag == "a":
        links.append((node.attributes.get("href"), len(out.parts)))
    elif tag == "p":
        paragraphs.append(len(out.parts))


def _leave(node, out: _Writer, links: list, lists: list, paragraphs: list) -> None:
    tag = node.tag
    if tag in ("ul", "ol") and lists:
        lists.pop()
    if tag == "a" and links:
        href, start = links.pop()
        label = "".join(out.parts[start:]).strip()
        if href and href.startswith(("http://", "https://")) and label and label != href:
            out.text(f" ({href})")
    if tag in ("td", "th"):
        out.text(" ")
    elif tag == "p":
        start = paragraphs.pop() if paragraphs else 0
        empty = not "".join(out.parts[start:]).strip()
        out.soft_break()
        if empty or "msonormal" not in (node.attributes.get("class") or "").lower():
            out.newline()  # an empty Outlook line (&nbsp;) is a blank line
    elif tag in BLOCK_TAGS:
        out.soft_break()
