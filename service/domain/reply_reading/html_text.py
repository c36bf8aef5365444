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

Bounded: an HTML5 parser spends time per tag in proportion to how deep it sits, so the
markup is cut where its nesting passes MAX_DEPTH (counted by one linear scan of the tags;
real replies stay far below it, and what lies that deep is old history); at most MAX_HTML
characters are parsed (lexbor, C), MAX_NODES nodes walked without recursion, MAX_OUTPUT
characters written, and only a few border-top divs have their text looked at.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from service.domain.reply_reading.quote_headers import FROM_KEYS, KEY_RE

MAX_HTML = 500_000  # the new text is at the top; deeper is history
MAX_DEPTH = 300
MAX_NODES = 40_000
MAX_OUTPUT = 300_000
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
# Elements that never nest: void, or closed by the next of their kind.
FLAT_TAGS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option",
}  # fmt: skip
TAG_RE = re.compile(r"<(/?)([a-zA-Z][\w:-]{0,30})[^<>]*?(/?)>")
SPACES_RE = re.compile(r"\s+")
MANY_BREAKS_RE = re.compile(r"\n{3,}")


class _Writer:
    """Text with browser-like line breaks: a block starts a line only after content."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.at_line_start = True

    def text(self, data: str) -> None:
        data = SPACES_RE.sub(" ", data)
        if self.at_line_start:
            data = data.lstrip(" ")
        if data:
            self.parts.append(data)
            self.size += len(data)
            self.at_line_start = False

    def newline(self) -> None:
        self.parts.append("\n")
        self.at_line_start = True

    def soft_break(self) -> None:
        if not self.at_line_start:
            self.newline()

    def since(self, start: int) -> str:
        return "".join(self.parts[start:])

    def result(self) -> str:
        lines = "".join(self.parts).split("\n")
        return MANY_BREAKS_RE.sub("\n\n", "\n".join(line.strip() for line in lines)).strip()


def visible_text(markup: str) -> str:
    """The HTML reply's text without its quote containers (see the module docstring)."""
    markup = markup[:MAX_HTML]
    root = LexborHTMLParser(markup[: _shallow_end(markup)]).body
    if root is None:
        return ""
    walk = _Walk()
    walk.run(root)
    return walk.out.result()


def _shallow_end(markup: str) -> int:
    """Where the markup's nesting first passes MAX_DEPTH (its length if it never does).

    findall, not finditer: tuples are cheaper than match objects on a million tags; the
    position is looked up again only for markup that is that deep."""
    depth = 0
    for n, (closing, name, self_closing) in enumerate(TAG_RE.findall(markup)):
        if self_closing or name.lower() in FLAT_TAGS:
            continue
        depth += -1 if closing else 1
        if depth > MAX_DEPTH:
            return next(m.start() for k, m in enumerate(TAG_RE.finditer(markup)) if k == n)
    return len(markup)


class _Walk:
    """One pass over the document in order, without recursion."""

    def __init__(self) -> None:
        self.out = _Writer()
        self.links: list[tuple[str | None, int]] = []
        self.lists: list[int | None] = []
        self.paragraphs: list[int] = []
        self.border_checks = 0

    def run(self, root) -> None:
        stack: list[tuple[object, bool]] = [(root, False)]
        walked = 0
        while stack and walked < MAX_NODES and self.out.size < MAX_OUTPUT:
            node, leaving = stack.pop()
            walked += 1
            if leaving:
                self.leave(node)
                continue
            tag = node.tag
            if tag == "-text":
                self.out.text(node.text_content or "")
                continue
            attrs = node.attributes
            classes = (attrs.get("class") or "").lower()
            if tag == "blockquote" or _any_in(classes, SKIPPED_CLASSES):
                self.out.soft_break()
                self.out.newline()  # answers on both sides of a quote are two paragraphs
                continue
            if tag.startswith("-") or tag in SKIPPED_TAGS:
                continue
            if self.starts_history(node, attrs, classes):
                return
            self.enter(node, attrs)
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))

    def starts_history(self, node, attrs: dict, classes: str) -> bool:
        element_id = (attrs.get("id") or "").lower()
        if element_id.removeprefix("x_") in CUT_IDS or _any_in(classes, CUT_CLASSES):
            return True
        if node.tag == "hr" and element_id.endswith("stopspelling"):
            return True
        style = (attrs.get("style") or "").lower()
        if node.tag != "div" or "border-top" not in style:
            return False
        if self.border_checks >= MAX_BORDER_CHECKS:
            return False
        self.border_checks += 1
        m = KEY_RE.match(node.text(deep=True)[:200].replace("\xa0", " "))
        return m is not None and m.group(1).strip().lower() in FROM_KEYS

    def enter(self, node, attrs: dict) -> None:
        tag, out = node.tag, self.out
        if tag == "br":
            out.newline()
        elif tag in BLOCK_TAGS:
            out.soft_break()
        if tag in ("ul", "ol"):
            self.lists.append(0 if tag == "ol" else None)
        elif tag == "li":
            number = self.lists[-1] if self.lists else None
            if number is not None:
                self.lists[-1] = number + 1
            out.text("- " if number is None else f"{number + 1}. ")
        elif tag == "a":
            self.links.append((attrs.get("href"), len(out.parts)))
        elif tag == "p":
            self.paragraphs.append(len(out.parts))

    def leave(self, node) -> None:
        tag, out = node.tag, self.out
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag == "a" and self.links:
            href, start = self.links.pop()
            label = out.since(start).strip()
            if href and href.startswith(("http://", "https://")) and label and label != href:
                out.text(f" ({href})")
        if tag in ("td", "th"):
            out.text(" ")
        elif tag == "p":
            empty = not out.since(self.paragraphs.pop() if self.paragraphs else 0).strip()
            out.soft_break()
            if empty or "msonormal" not in (node.attributes.get("class") or "").lower():
                out.newline()  # an empty Outlook line (&nbsp;) is a blank line
        elif tag in BLOCK_TAGS:
            out.soft_break()


def _any_in(classes: str, names: tuple[str, ...]) -> bool:
    return bool(classes) and any(name in classes for name in names)
