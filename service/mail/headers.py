"""Header fields of an outgoing message, written as text without the stdlib's header
registry (which parses every value and refolds it: most of a mailbox send's CPU, issue 23).

What it guarantees: a value holding a line break (anything str.splitlines() breaks at) is
refused with ValueError, as the registry refused it (a trailing one it let through, which
ended the header block early); lines are broken only before whitespace that is already in
the value (unfolding gives it back) and stay within 78 characters wherever such a break
exists; text a reader could not take as it is (non-ASCII outside SMTPUTF8, control
characters, in free text also words that look like encoded-words or cannot fit a line)
goes as RFC 2047 encoded-words. Addresses the simple writer does not know go through the
registry as before (`registry`).
"""

from __future__ import annotations

import binascii
import re
import string
from email import policy
from email.errors import HeaderParseError

LINE = 78  # RFC 5322 2.1.1: lines SHOULD be at most 78 characters (MUST: 998)
EW_LIMIT = 75  # RFC 2047 2: an encoded-word is at most 75 characters
EW_FRAME = len("=?utf-8?q??=")
# Where str.splitlines() breaks: one of these in a value would end the header (injection).
BREAKS = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # tab is whitespace
WSP = re.compile(r"([ \t]+)")
NAME = re.compile(r"[!-9;-~]+")  # RFC 5322 2.2: printable ASCII but the colon
SPECIALS = frozenset('()<>@,:;.\\"[]')  # a display name holding one is quoted
ATEXT = r"[\w!#$%&'*+/=?^`{|}~-]"
SIMPLE_ADDRESS = re.compile(rf"{ATEXT}+(?:\.{ATEXT}+)*@[\w-]+(?:\.[\w-]+)*")
# Q-encoding safe in a phrase too (RFC 2047 5(3)); the space as "_".
_Q_SAFE = frozenset((string.ascii_letters + string.digits + "-!*+/").encode())
_Q = ["_" if b == 0x20 else chr(b) if b in _Q_SAFE else f"={b:02X}" for b in range(256)]


def checked(value: str) -> str:
    if BREAKS.search(value):
        raise ValueError("Header values may not contain linefeed or carriage return characters")
    return value


def checked_name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise ValueError(f"Not a header name: {name!r}")
    return name


def text(name: str, value: str, utf8: bool, free: bool = True) -> str:
    """An unstructured field. `free` text (a subject) also encodes words a reader would
    decode (`=?...?=`) or that cannot fit a line; otherwise (References, List-Unsubscribe,
    Message-ID) ASCII words go as they are, however long."""
    return fold(name, _tokens(checked(value), lambda word: _unreadable(word, utf8, free)))


def address(name: str, value: str, utf8: bool) -> str:
    """To or Reply-To as given (as the registry wrote them), or through the registry
    when they need encoding."""
    if CONTROLS.search(checked(value)) or not (utf8 or value.isascii()):
        return registry(name, value, utf8)
    return text(name, value, utf8, free=False)  # nothing to encode: written as it is


def mailbox(name: str, display_name: str | None, addr: str, utf8: bool) -> str:
    """`Display Name <addr>` (From): the name quoted when it holds specials, or, when it
    cannot go as it is, its words that cannot (and those with specials) as encoded-words;
    its whitespace collapsed, as readers collapse it."""
    if not (SIMPLE_ADDRESS.fullmatch(addr) and (utf8 or addr.isascii())):
        from email.headerregistry import Address  # the rare address the registry knows

        try:
            return registry(name, Address(display_name or "", addr_spec=addr), utf8)
        except HeaderParseError as exc:  # no ValueError: it escaped the send path
            raise ValueError(str(exc)) from None
    display = " ".join(WSP.split(checked(display_name or "").strip(" \t"))[::2])
    if not display:
        return fold(name, [(" ", addr, False)])
    if _unreadable(display, utf8, False) or "=?" in display:
        tokens = _tokens(display, lambda w: _unreadable(w, utf8, True) or not _atom(w))
    else:
        if not _atom(display):
            display = '"' + display.replace("\\", "\\\\").replace('"', '\\"') + '"'
        tokens = [(" ", word, False) for word in display.split(" ")]
    return fold(name, [*tokens, (" ", f"<{addr}>", False)])


def registry(name: str, value, utf8: bool) -> str:
    """The field as the stdlib's header registry writes it (what every field went through
    before issue 23); ValueError where it refuses the value."""
    header = policy.SMTP.header_store_parse(name, value)[1]
    return (policy.SMTPUTF8 if utf8 else policy.SMTP).fold(name, header).removesuffix("\r\n")


def fold(name: str, tokens: list[tuple[str, str, bool]]) -> str:
    """`Name: value` from (whitespace, word, encode) tokens, broken before whitespace when
    a line would pass 78 characters; a run to encode becomes encoded-words, the first
    sized to the room left on its line."""
    lines, line, bare = [], name + ":", True
    for space, word, encode in tokens:
        pieces = _encoded_words(word, LINE - len(line) - len(space)) if encode else [word]
        for piece in pieces:
            if word and not bare and len(line) + len(space) + len(piece) > LINE:
                lines.append(line)
                line = space + piece
            else:
                line += space + piece
            bare = bare and not piece
            space = " "  # between encoded-words: dropped by readers
    lines.append(line)
    return "\r\n".join(lines)


def _tokens(value: str, encode) -> list[tuple[str, str, bool]]:
    """(whitespace before, word, encode) for each word; adjacent words to encode merge into
    one run with the whitespace between them, which readers drop between encoded-words."""
    tokens, parts, space = [], WSP.split(value), " "
    for n in range(0, len(parts), 2):
        word = parts[n]
        coded = bool(word) and encode(word)
        if coded and tokens and tokens[-1][2]:
            before, run, _ = tokens[-1]
            tokens[-1] = (before, run + space + word, True)
        else:
            tokens.append((space, word, coded))
        space = parts[n + 1] if n + 1 < len(parts) else ""
    return tokens


def _atom(word: str) -> bool:
    return SPECIALS.isdisjoint(word)


def _unreadable(word: str, utf8: bool, free: bool) -> bool:
    if (not utf8 and not word.isascii()) or CONTROLS.search(word):
        return True
    return free and ("=?" in word or len(word) >= LINE - 1)


def _encoded_words(run: str, room: int) -> list[str]:
    """RFC 2047 encoded-words of `run` (UTF-8; Q or B, whichever is shorter, as the stdlib
    chooses), split between characters: readers join adjacent ones (RFC 2047 6.2)."""
    data = run.encode("utf-8")
    q_size = sum(len(_Q[b]) for b in data)
    b_size = 4 * -(-len(data) // 3)
    kind = "q" if q_size - b_size < 5 else "b"
    limit = room if room >= EW_FRAME + 8 else EW_LIMIT
    words, start, used = [], 0, 0  # used: bytes (b) or characters (q) of the current word
    for n, char in enumerate(run):
        raw = char.encode("utf-8")
        step = len(raw) if kind == "b" else sum(len(_Q[b]) for b in raw)
        size = 4 * -(-(used + step) // 3) if kind == "b" else used + step
        if EW_FRAME + size > limit and n > start:
            words.append(_encoded_word(run[start:n], kind))
            start, used, limit = n, 0, EW_LIMIT
        used += step
    words.append(_encoded_word(run[start:], kind))
    return words


def _encoded_word(chunk: str, kind: str) -> str:
    data = chunk.encode("utf-8")
    if kind == "q":
        return "=?utf-8?q?" + "".join([_Q[b] for b in data]) + "?="
    return "=?utf-8?b?" + binascii.b2a_base64(data, newline=False).decode("ascii") + "?="
