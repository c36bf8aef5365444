"""Bytes of an uploaded CSV file to a header and rows, with the line each row starts on.

What people upload: UTF-8 with or without a BOM, Excel's "Unicode text" (UTF-16 with a
BOM, tab-separated: the classic Ahrefs export), Windows-1252 from older Excel, comma,
semicolon (European Excel), tab or pipe separated, CRLF or LF, quoted cells holding line
breaks. Everything else ends in one sentence saying what is wrong with the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass

from service.domain.errors import Invalid

DELIMITERS = ",;\t|"
MAX_COLUMNS = 200  # the widest real export (Ahrefs backlinks) has about 40
UTF8_MULTIBYTE_RE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


@dataclass
class Table:
    """A parsed file: the header cells and (line, cells) of each data row."""

    header: list[str]
    rows: list[tuple[int, list[str]]]


def refuse(message: str) -> Invalid:
    """A whole-file refusal (422) with the message under the `file` field."""
    return Invalid(message, {"file": [message]})


def decode(raw: bytes) -> str:
    """The file's text; Invalid when it is empty, binary or in more than one encoding."""
    if not raw.strip():
        raise refuse("The file is empty.")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_utf16(raw, "utf-16")
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    head = raw[:4096]
    if head.count(b"\0") > len(head) // 4:  # UTF-16 without a BOM: every other byte is 0
        return _decode_utf16(raw, "utf-16-le" if head[1:2] == b"\0" else "utf-16-be")
    if b"\0" in raw:
        raise refuse("This is not a CSV file: it holds binary data (save it as CSV and retry).")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if UTF8_MULTIBYTE_RE.search(raw):  # some text is UTF-8, some is not
            line = raw.count(b"\n", 0, exc.start) + 1
            raise refuse(
                f"Line {line} is not UTF-8 text while the rest of the file is: the file mixes "
                'encodings. Save it as "CSV UTF-8" and retry.'
            ) from None
    return raw.decode("cp1252", errors="replace")  # old Excel "CSV" on Windows


def _decode_utf16(raw: bytes, codec: str) -> str:
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError:
        raise refuse("The file starts as UTF-16 text but is not: save it as CSV UTF-8.") from None
    if "\0" in text:
        raise refuse("This is not a CSV file: it holds binary data (save it as CSV and retry).")
    return text


def sniff_delimiter(header_line: str) -> str:
    """The delimiter of the header line: csv.Sniffer, else the most frequent candidate."""
    try:
        return csv.Sniffer().sniff(header_line, delimiters=DELIMITERS).delimiter
    except csv.Error:
        counts = {d: header_line.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def read(raw: bytes) -> Table:
    """Header and rows of the file (blank lines skipped); Invalid for an unusable file."""
    text = decode(raw)
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first_line))
    header, rows, line = None, [], 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = _header(cells, start)
            else:
                rows.append((start, cells))
    except csv.Error as exc:
        raise refuse(f"Line {line} cannot be read as CSV ({exc}).") from None
    if header is None:
        raise refuse("The file is empty.")
    if not rows:
        raise refuse("The file has a header row but no rows under it.")
    return Table(header, rows)


def _header(cells: list[str], line: int) -> list[str]:
    if len(cells) > MAX_COLUMNS:
        raise refuse(
            f"The header on line {line} has {len(cells)} columns; at most {MAX_COLUMNS} are read."
        )
    return [c.strip() for c in cells]
