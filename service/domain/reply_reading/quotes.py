"""The new text of a plain-text reply: every word the prospect wrote now, in order.

One pass over the lines, each classified on its own (and its next few for wrapped headers):
- `>` lines are quoted: dropped, wherever they are, so an answer written below the quote
  (bottom-posting) or between quoted lines (inline) is kept with everything above it;
- an attribution ("On … wrote:" and translations, quote_headers.py) is dropped; above `>`
  lines or at the end it is sure, and text may follow the quote below it; one that names a
  date or an address but has unquoted text below starts history (Outlook, pasted threads);
- a From:/Sent:/To:/Subject: block or an "Original Message"/"Forwarded message" separator
  starts history: nothing after it is new;
- a "-- " signature, or a phone's footer ("Sent from my iPhone"), runs to the next quote;
  a closing sign-off with a name under it ends a block (signatures.py); a mail server's
  "CAUTION: external sender" banner is dropped. Lists are always text;
- a line the sender's client wrapped out of a quote (between quoted lines, after a long
  one, in lower case) is quoted too.
Blocks the prospect wrote are joined with one blank line where a quote was removed.

Bounded: at most MAX_TEXT characters and MAX_LINES lines are classified (runs of blank
lines count as one); each test runs on a line of at most LONG_LINE characters, with
patterns that do not backtrack beyond that. The rest of a longer text follows the last
line's fate (kept after text, dropped after a quote, a signature or history).
"""

from __future__ import annotations

import re

from service.domain.reply_reading.quote_headers import (
    attribution_span,
    header_block_span,
    history_starts,
    is_banner,
    is_quoted,
)
from service.domain.reply_reading.signatures import is_delimiter, is_mobile_line, without_sign_off

MAX_TEXT = 1_000_000
MAX_LINES = 5_000
LONG_LINE = 1_000  # no header, separator or signature line is longer
BLANKS_RE = re.compile(r"\n[ \t\n]*\n")  # a character class: no group repeated per line
MANY_BREAKS_RE = re.compile(r"\n{3,}")
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))  # zero-width marks
BREAK = None  # where quoted lines or a header were taken out
WRAP_WIDTH = 60  # a quoted line this long may have been wrapped by the sender's client
LINK_TAIL_STARTS = "()_<>[]=&/%#;"  # how the rest of a wrapped link starts, never a word
RULE_LINE_RE = re.compile(r"[-_=*~]{3,}$")


def new_text(text: str) -> str:
    """The part of a plain-text reply the prospect wrote now ("" when all of it is quoted)."""
    lines, rest = _lines(text)
    kept, skipping = _read(lines)
    if rest and not skipping:
        kept.append(rest)
    blocks = _blocks(kept)
    return _join([without_sign_off(b) for b in blocks]) or _join(blocks)


def _lines(text: str) -> tuple[list[str], str]:
    text = text[:MAX_TEXT].replace("\r\n", "\n").replace("\r", "\n").translate(INVISIBLE)
    lines = BLANKS_RE.sub("\n\n", text).split("\n", MAX_LINES)
    rest = lines.pop() if len(lines) > MAX_LINES else ""
    return lines, rest


def _below(lines: list[str], j: int) -> str:
    """What follows an attribution ending before line j: "quote", "end" or "text"."""
    for line in lines[j : j + 2]:  # blank runs are one line by now
        stripped = line.strip()
        if stripped:
            return "quote" if is_quoted(stripped) else "text"
    return "end"


def _read(lines: list[str]) -> tuple[list[str | None], bool]:
    """Kept lines with BREAK where something was taken out; True if it ends skipping."""
    kept: list[str | None] = []
    signature = quoted = wrote = False
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        step = 1
        if not stripped:
            kept.append("")
        elif is_quoted(stripped) or _wrapped_quote(lines, i, stripped):
            kept.append(BREAK)
            quoted, signature = True, False
        else:
            quoted = False
            step, verdict = _classify(lines, i, stripped, not wrote)
            if verdict == "history":
                _drop_trailing_rules(kept)
                return kept, True
            if verdict == "header":
                kept.append(BREAK)
                signature = False
            elif verdict == "signature":
                signature = True
            elif verdict == "text" and not signature:
                kept.append(lines[i].rstrip())
                wrote = True
        i += step
    return kept, signature or quoted


def _wrapped_quote(lines: list[str], i: int, stripped: str) -> bool:
    """A quoted line the sender's client wrapped without `>`, between two quoted lines: after
    a long one and in lower case ("> … Nullam pharetra d" / "ignissim odio?"), or the tail of
    a link ("_nonce=3dd518)"). An inline answer starts with a capital, a digit, a list mark
    or an emoji, and is kept."""
    if not 0 < i < len(lines) - 1:
        return False
    before, after = lines[i - 1].strip(), lines[i + 1].strip()
    if not (is_quoted(before) and is_quoted(after)):
        return False
    first = stripped[0]
    return (first.islower() and len(before) >= WRAP_WIDTH) or first in LINK_TAIL_STARTS


def _drop_trailing_rules(kept: list[str | None]) -> None:
    """A "====" or "-----" line right above history belongs to it."""
    while kept and (kept[-1] == "" or (kept[-1] and RULE_LINE_RE.match(kept[-1].strip()))):
        kept.pop()


def _classify(lines: list[str], i: int, stripped: str, first: bool) -> tuple[int, str]:
    """(lines taken, verdict) for a non-blank unquoted line: history, header, signature,
    drop or text. A header block above everything is the message's own (a pasted or
    forwarded mail): its lines are dropped and what follows is read."""
    if len(stripped) > LONG_LINE:
        return 1, "text"
    if first and (span := header_block_span(lines, i)):
        return span, "header"
    if history_starts(lines, i):
        return 1, "history"
    if is_banner(stripped):
        return 1, "drop"
    span, sure = attribution_span(lines, i)
    if span:
        below = _below(lines, i + span)
        if below != "text":
            return span, "header"
        if sure:
            return span, "history"
    if is_delimiter(stripped) or is_mobile_line(stripped):
        return 1, "signature"
    return 1, "text"


def _blocks(kept: list[str | None]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in kept:
        if line is BREAK:
            if blocks[-1]:
                blocks.append([])
        else:
            blocks[-1].append(line)
    return blocks


def _join(blocks: list[list[str]]) -> str:
    texts = ["\n".join(block).strip("\n") for block in blocks]
    joined = "\n\n".join(t for t in texts if t.strip())
    return MANY_BREAKS_RE.sub("\n\n", joined).strip()
