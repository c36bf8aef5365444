"""Where quoted history starts: the lines mail clients put above a quote, in 16+ languages.

Three shapes (their words by language are in header_words.py):
- an attribution ending in "wrote:" or its translation ("Am … schrieb …:", "Le … a écrit :",
  "… написал(а):", "…に…が書きました：") or in "<address>:" after a date (Gmail in Russian,
  Japanese and others names no verb). Gmail wraps it over two or three lines, so up to three
  lines are joined. Above `>` lines it ends a quote header; alone it needs a date or an
  address, else a prospect's "here is what Tom wrote:" would end their own text.
- a block of header lines, "From:/Sent:/To:/Subject:" and their translations (Outlook,
  Outlook for Mac, Gmail's forwards; French puts a space before the colon). Everything after
  it is history: those clients do not prefix the quote with `>`.
- a separator: "-----Original Message-----", "---------- Forwarded message ---------",
  "Begin forwarded message:", Zoho's "---- On … wrote ----", and their translations, or a
  dashed or underlined line right above such a header block.

Bounded: every pattern sees a short slice (a key is found in a line's first KEY_SPAN
characters, a verb in an attribution's last VERB_SPAN), separators are told by string
operations, and no pattern nests quantifiers, so a line costs little whatever it holds.
"""

from __future__ import annotations

import re

from service.domain.reply_reading.header_words import (
    FORWARD_PHRASES,
    FROM_KEYS,
    LEAD,
    NAMED_VERBS,
    OTHER_KEYS,
    SEPARATOR_PHRASES,
    WROTE_ENDINGS,
)

MAX_HEADER = 400  # characters of an attribution (joined lines); longer is prose
MAX_JOINED = 3  # lines Gmail and Thunderbird wrap an attribution over
MAX_SEPARATOR = 200
KEY_SPAN = 64
VERB_SPAN = 120  # a verb, a name after it ("schrieb Anna Schmidt <anna@…>"), the colon
RULE_CHARS = "-_=*~"

NAMED_RE = re.compile(rf"\b(?:{NAMED_VERBS})\b", re.I)
NAMED_WORDS = NAMED_VERBS.split("|")
WRAPPED_END_RE = re.compile(r">\)?\s*[:：]$")
# Gmail in locales without a verb: "пт, 5 янв. 2024 г. в 10:00, Anna <anna@x.example>:".
ADDRESS_END_RE = re.compile(r"@[^\s@]{1,100}>?\)?\s*[:：]$")
DATE_RE = re.compile(r"\d(?:\d{0,3}[./\-年]\s?\d|\d?[:.h]\d\d|\d?\.? [^\W\d_]{3}|\d{3})")
ISO_DAY_RE = re.compile(r"\d{4}[/-]\d{1,2}[/-]\d{1,2}\b")
LEAD_RE = re.compile(LEAD, re.I)
KEY_RE = re.compile(r"\s*\*{0,2}\s*([^\W\d_][\w .'-]{0,18}?)\s*\*{0,2}\s*[:：]")
KNOWN_KEYS = FROM_KEYS | OTHER_KEYS
BANNER_RE = re.compile(
    r"\W{0,3}(?:caution|warning|external|attention|notice|achtung|vorsicht|attenzione)\b"
    r".{0,60}(?:originated|outside|external sender|extern)",
    re.I,
)


def is_quoted(stripped: str) -> bool:
    return stripped.startswith(">")


def is_banner(stripped: str) -> bool:
    """A mail server's warning line ("CAUTION: This email originated from outside …")."""
    return len(stripped) <= 400 and BANNER_RE.match(stripped) is not None


def _key(line: str) -> str | None:
    """The lower-case key of a "Key: value" line, known or not; None for other lines."""
    m = KEY_RE.match(line[:KEY_SPAN])
    return m.group(1).strip().lower() if m else None


def _next_lines(lines: list[str], i: int, count: int) -> list[int]:
    """Indexes of the next `count` non-blank lines after line i (single blank lines skipped)."""
    found: list[int] = []
    blanks = 0
    for j in range(i + 1, min(len(lines), i + 1 + 2 * count)):
        if not lines[j].strip():
            blanks += 1
            if blanks > 1:
                break
            continue
        blanks = 0
        found.append(j)
        if len(found) == count:
            break
    return found


def header_block_span(lines: list[str], i: int) -> int:
    """Lines of the From:/Sent:/To:/Subject: block starting at line i (0: none there).

    Two or more such lines, one a sender, and three keys or an address or a date ("From:
    the blog / To: the hub" is prose). Up to two lines inside may be a wrapped value or a
    key we do not know ("Copie à :")."""
    first = _key(lines[i])
    if first is None or (first not in KNOWN_KEYS and not DATE_RE.search(lines[i][:KEY_SPAN])):
        return 0
    known = {first} & KNOWN_KEYS
    values, loose, end = [lines[i][:MAX_HEADER]], 0, i
    for j in _next_lines(lines, i, 6):
        key = _key(lines[j])
        if key in KNOWN_KEYS:
            known.add(key)
            values.append(lines[j][:MAX_HEADER])
            end = j
        elif len(known) >= 2 or loose == 2:
            break
        else:
            loose += 1
    if len(known) < 2 or not known & FROM_KEYS or not known - FROM_KEYS:
        return 0
    sure = len(known) >= 3 or any("@" in v or DATE_RE.search(v) for v in values)
    return end - i + 1 if sure else 0


def _between_rules(stripped: str) -> str | None:
    """The words of a "----- words -----" line (either rule may be missing), lower case."""
    if len(stripped) > MAX_SEPARATOR:
        return None
    return stripped.strip(RULE_CHARS + " \t").rstrip(":：").strip().lower()


def _ruled(stripped: str) -> bool:
    """Two rule characters at both ends ("-- … --", "==== … ====")."""
    ends = stripped[:2] + stripped[-2:]
    return len(stripped) >= 4 and ends.strip(RULE_CHARS) == ""


def _is_rule_line(stripped: str, words: str) -> bool:
    """Rules on both sides with at most a few words between, or a long underscore line."""
    if len(stripped) >= 10 and not stripped.strip("_"):
        return True
    return _ruled(stripped) and len(words) <= 60


def separator_at(lines: list[str], i: int) -> bool:
    """Line i is "-----Original Message-----", a forward marker, or a rule above a header."""
    stripped = lines[i].strip()
    words = _between_rules(stripped)
    if words is None:
        return False
    if stripped[:2].strip(RULE_CHARS) == "" and words in SEPARATOR_PHRASES:
        return True
    if words in FORWARD_PHRASES:
        return True
    if _ruled(stripped) and words.endswith(WROTE_ENDINGS) and _sure(words):
        return True  # "---- On Tue, 03 Mar 2026 … Anna <anna@x.example> wrote ----"
    if _is_rule_line(stripped, words) or words in SEPARATOR_PHRASES:
        after = _next_lines(lines, i, 1)
        return bool(after) and header_block_span(lines, after[0]) > 0
    return False


def history_starts(lines: list[str], i: int) -> bool:
    """Everything from line i on is history (Outlook-style, no `>` in front)."""
    return header_block_span(lines, i) > 0 or separator_at(lines, i)


def _wrote_at_end(candidate: str) -> bool:
    """Ends with a verb ("… wrote"), or with a name after one ("… schrieb Anna <a@…>")."""
    core = candidate.rstrip(":： \t").lower()
    if core.endswith(WROTE_ENDINGS):
        return True
    tail = core[-VERB_SPAN:]
    return any(verb in tail for verb in NAMED_WORDS) and NAMED_RE.search(tail) is not None


def _attribution(candidate: str) -> bool:
    if _wrote_at_end(candidate):
        return True
    return bool(ADDRESS_END_RE.search(candidate[-VERB_SPAN:])) and bool(DATE_RE.search(candidate))


def _sure(candidate: str) -> bool:
    return "@" in candidate or bool(DATE_RE.search(candidate))


def _old_gmail(line: str) -> bool:
    """ "2011/4/7 Anna <anna@x.example>": a date, a name and an address, nothing more."""
    if not line.endswith(">") or not ISO_DAY_RE.match(line):
        return False
    opening = line.rfind("<")
    return opening > 0 and "@" in line[opening:]


def attribution_span(lines: list[str], i: int) -> tuple[int, bool]:
    """(lines the attribution at line i takes, whether it is sure without a quote below).

    (0, False) when line i starts none. Sure means it names a date or an address. Without
    its colon ("On Wed, 14 Nov 2018 08:14 John <j@x.example> wrote") it must be sure and
    start like an attribution; "2011/4/7 Anna <anna@…>" (old Gmail) counts above a quote.
    """
    joined = ""
    for k in range(MAX_JOINED):
        if i + k >= len(lines):
            break
        part = lines[i + k].strip()
        wrapped_end = k > 0 and WRAPPED_END_RE.match(part) is not None  # Gmail's "<addr\n>:"
        if not part or (is_quoted(part) and not wrapped_end) or len(part) > MAX_HEADER:
            break
        if k == 1 and not LEAD_RE.match(joined):
            break  # only a line that starts like an attribution is joined to the next
        joined = f"{joined}{part}" if wrapped_end else f"{joined} {part}" if joined else part
        if len(joined) > MAX_HEADER:
            break
        if joined.endswith((":", "：")):
            if _attribution(joined):
                return k + 1, _sure(joined)
            break  # a wrapped attribution has no colon before its end
        if k == 0 and LEAD_RE.match(joined) and joined.lower().endswith(WROTE_ENDINGS):
            return (1, True) if _sure(joined) else (0, False)
        if k == 0 and _old_gmail(joined):
            return 1, False
    return 0, False
