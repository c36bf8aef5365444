"""A streaming HTML tokenizer that only looks at <a>, <base> and <meta>: no tree is built.

A tree builder's work can grow faster than the page: lexbor took 19 s for 80,000 nested
<div>s (docs/links.md, bounds). Here every byte is scanned a bounded number of times,
so time is linear in the page whatever its shape: regular expressions find the next tag,
skip comments and the raw text of <script>, <style>... (a link written there is not a
link), and walk a tag's attributes with their quotes as the WHATWG tokenizer does. A tag,
comment or quoted value the page never ends hides the rest of the page, as in a browser.

Not modelled (the tree builder's repairs): an <a> is closed by </a>, by the next <a> or
by the end of the page, so anchor text may differ from a browser's in broken markup.
"""

from __future__ import annotations

import html as html_entities
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html.entities import html5 as ENTITIES

WANTED = frozenset({"a", "base", "meta"})
# Elements whose content is text, not markup (scripting on: <noscript> is parsed as markup,
# like lexbor and crawlers without scripts).
RAW_TEXT = frozenset(
    {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"}
)
MAX_TAGS = 500_000  # a 5 MiB page of bare "<b>" has ~1.7 M; real pages a few 10,000s
CLOCK_EVERY = 4096  # tags between two looks at the deadline

_WS = "\t\n\f\r "
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_TAG_START = re.compile(r"<[a-zA-Z!/?]")
_NAME = re.compile(rf"[a-zA-Z][^{_WS}/>]*")
# The rest of a tag: separators, and attributes (a name, then maybe = and a value, quoted
# or not); a quote left open runs to the end of the page. Every alternative consumes, the
# pattern cannot fail and the repeat is possessive (keeps no backtracking state): linear.
_VALUE = rf"""(?:"[^"]*"?|'[^']*'?|[^{_WS}>]*)"""
_REST = re.compile(rf"(?:[{_WS}/]+|[^{_WS}/>][^{_WS}/>=]*(?:[{_WS}]*=[{_WS}]*{_VALUE})?)*+>?")
_ATTR = re.compile(
    rf"""([^{_WS}/>][^{_WS}/>=]*)(?:[{_WS}]*=[{_WS}]*(?:"([^"]*)"?|'([^']*)'?|([^{_WS}>]*)))?"""
)
_COMMENT_END = re.compile(r"--!?>")
_REFERENCE = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[a-zA-Z][a-zA-Z0-9]*;?)")


class TooComplex(ValueError):
    """More than MAX_TAGS tags, or the deadline passed: the page is not read further."""


@dataclass
class Tag:
    """A start tag of interest: its name, attributes (first of each name wins) and where
    it ends in the page; `close` is where an <a>'s content ends."""

    name: str
    attrs: dict[str, str]
    end: int
    close: int = -1


def _unescape_attribute(value: str) -> str:
    """Character references in an attribute value, as HTML decodes them: a legacy name
    without ";" followed by "=" or a letter stays as written (`?a=1&copy=2`)."""
    if "&" not in value:
        return value

    def decode(match: re.Match) -> str:
        ref = match.group(1)
        if ref[0] == "#" or ref.endswith(";"):
            return html_entities.unescape(match.group(0))
        following = value[match.end() : match.end() + 1]
        if ref in ENTITIES and following != "=":
            return ENTITIES[ref]
        return match.group(0)

    return _REFERENCE.sub(decode, value)


def _attributes(text: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for match in _ATTR.finditer(text):
        name = match.group(1).lower()
        if name not in attrs:
            raw = match.group(2) or match.group(3) or match.group(4) or ""
            attrs[name] = _unescape_attribute(raw)
    return attrs


def _skip_special(page: str, at: int) -> int:
    """Past a comment, doctype or processing instruction starting at `at`; -1: the page
    ends inside it."""
    if page.startswith("<!--", at):
        if page.startswith(">", at + 4) or page.startswith("->", at + 4):
            return page.index(">", at + 4) + 1
        found = _COMMENT_END.search(page, at + 4)
        return found.end() if found else -1
    end = page.find(">", at + 2)
    return end + 1 if end >= 0 else -1


def _raw_text_end(page: str, name: str, at: int) -> int:
    found = re.compile(rf"</{name}[{_WS}/>]", re.IGNORECASE).search(page, at)
    return found.start() if found else -1


def tags(
    page: str, start: int = 0, end: int | None = None, deadline: float | None = None
) -> Iterator[tuple]:
    """(kind, name, begin, end, attribute text) for every token, in order: "start" and
    "end" tags, and "skip" for what is not text (comments, doctypes, raw text).
    TooComplex past MAX_TAGS tags or the `deadline` (time.monotonic())."""
    end = len(page) if end is None else end
    at, count = start, 0
    while at < end:
        found = _TAG_START.search(page, at, end)
        if found is None:
            return
        begin = found.start()
        second = page[begin + 1]
        if second in "!?" or (second == "/" and page[begin + 2 : begin + 3] not in _LETTERS):
            at = _skip_special(page, begin)
            if at < 0:
                return
            yield "skip", "", begin, at, None
            continue
        closing = second == "/"
        name_match = _NAME.match(page, begin + 2 if closing else begin + 1, end)
        rest = _REST.match(page, name_match.end(), end)
        if not rest.group(0).endswith(">"):
            return  # the page ends inside the tag: nothing after it counts
        count += 1
        if count > MAX_TAGS:
            raise TooComplex(f"page has more than {MAX_TAGS:,} tags")
        if deadline is not None and not count % CLOCK_EVERY and time.monotonic() > deadline:
            raise TooComplex("page not read within the check's time")
        name = name_match.group(0).lower()
        at = rest.end()
        yield ("end" if closing else "start"), name, begin, at, rest
        if closing:
            continue
        if name in RAW_TEXT:
            raw_end = _raw_text_end(page, name, at)
            yield "skip", name, at, (end if raw_end < 0 else raw_end), None
            if raw_end < 0:
                return
            at = raw_end
        elif name == "plaintext":
            return


def scan(page: str, deadline: float | None = None) -> Iterator[Tag]:
    """The <base>, <meta> and <a> tags of a page, in order; an <a> once its content ends."""
    open_a: Tag | None = None
    for kind, name, begin, end, rest in tags(page, deadline=deadline):
        if kind == "skip" or (name != "a" and (kind == "end" or name not in WANTED)):
            continue
        if open_a is not None and name == "a":
            open_a.close = begin
            yield open_a
            open_a = None
        if kind == "end":
            continue
        tag = Tag(name, _attributes(rest.group(0)), end)
        if name == "a":
            open_a = tag
        else:
            yield tag
    if open_a is not None:
        open_a.close = len(page)
        yield open_a


def text_between(page: str, start: int, end: int, limit: int) -> str:
    """The text of page[start:end], tags and comments left out, white space collapsed, at
    most `limit` characters (reading stops once there are enough)."""
    words: list[str] = []
    size, at = 0, start
    try:
        for _kind, _name, begin, tag_end, _rest in tags(page, start, end):
            size += _add_words(words, page[at:begin])
            if size > limit:
                break
            at = tag_end
        else:
            _add_words(words, page[at:end])
    except TooComplex:
        pass
    return " ".join(html_entities.unescape(" ".join(words)).split())[:limit]


def _add_words(words: list[str], text: str) -> int:
    found = text.split()
    words.extend(found)
    return sum(len(w) + 1 for w in found)
