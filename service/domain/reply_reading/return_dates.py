"""The date an out-of-office answer says its writer is back, in EN, DE, FR, ES, IT, PT, NL, PL.

Dates are read with their month names ("12 January", "January 12th", "5 septembre",
"3 de agosto", "15 sierpnia"), as numbers ("14.08.", "20/08", "2026-08-14", with or without
a year) and as a weekday after a return word ("back on Monday", "Monday 3rd", "ab Montag").
A number-only date without a year, or a bare weekday, counts only just after a return word
("back", "until", "bis", "retour", "hasta", "fino al", "até", "tot", "do" …), so "2.5 days"
is no date. The latest date found is the one meant ("away from 1 to 14 August, back on
the 15th"); "up to and including" ("bis einschließlich", "tot en met", "through",
"włącznie" …) means the day after. A day/month order is taken from the language: "08/12" in
English is August 12 unless only the other reading is in range, and dropped when both are.

None when unsure: nothing found, or the date is not after the message's day or more than
MAX_AHEAD days after it. Only the first MAX_READ characters are read.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from service.domain.reply_reading.calendar_words import MONTHS, WEEKDAYS

MAX_READ = 3_000
MAX_AHEAD = 90
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th|er|º|°|ª|e|\.)?"
DAY_MONTH_RE = re.compile(
    rf"\b(\d{{1,2}}){_ORD}\s?(?:de |of |the )?({_MONTH})\b\.?(?:,?\s(?:de )?(\d{{4}}))?", re.I
)
MONTH_DAY_RE = re.compile(rf"\b({_MONTH})\.?\s(\d{{1,2}}){_ORD}(?:,?\s(\d{{4}}))?\b", re.I)
ISO_RE = re.compile(r"\b(20\d\d)-(\d{1,2})-(\d{1,2})\b")
NUMERIC_RE = re.compile(r"\b(\d{1,2})([./-])(\d{1,2})(?:\2(\d{4}|\d{2}))?\b\.?")
WEEKDAY_RE = re.compile(
    rf"\b({_WEEKDAY})\b\.?,?\s?(?:(?:the|den|le|el|il|o|de)\s)?(\d{{1,2}}{_ORD})?", re.I
)
MONTH_NEXT_RE = re.compile(rf"\s?(?:de |of )?(?:{_MONTH})\b", re.I)
TRIGGER_RE = re.compile(
    r"\b(?:back|return\w*|until|till|til|through|thru|after|from|resum\w*|"
    r"bis|zurück|wieder|ab|einschließlich|"
    r"retour|jusqu'(?:au|à)|jusqu’(?:au|à)|au|à partir du|reviens|rentre\w*|"
    r"hasta|regres\w*|volver\w*|vuelvo|a partir del|al|"
    r"fino al|fino a|rientr\w*|torner\w*|ritorno|dal|a partire dal|"
    r"até|retorn\w*|volto|voltarei|a partir de|de volta|"
    r"tot|terug|vanaf|weer|t/m|"
    r"do|wracam|powr\w*|od|po)\b[^.!?\n]{0,25}$",
    re.I,
)
INCLUSIVE_BEFORE_RE = re.compile(
    rf"(?:einschließlich|einschl\.?|inkl\.?|tot en met|t/m|through|thru|including|"
    rf"up to and including)\s*(?:den |dem |the )?(?:(?:{_WEEKDAY})\.?,?\s*)?$",
    re.I,
)
INCLUSIVE_AFTER_RE = re.compile(
    r"\s*\(?(?:inclusive|incl\.?|einschließlich|inclus(?:ivement)?|incluido|incluso|"
    r"compreso|inclusive|inclusief|włącznie)",
    re.I,
)
ENGLISH_RE = re.compile(r"\b(?:the|and|will|be|am|back|office|until)\b", re.I)


def return_date(text: str, received: datetime | date, subject: str = "") -> date | None:
    """The day the writer of an auto-reply is back, or None (see the module docstring)."""
    today = received.date() if isinstance(received, datetime) else received
    read = f"{subject[:300]}\n{text[:MAX_READ]}"
    found = [d for d in _dates(read, today) if today < d <= today + timedelta(days=MAX_AHEAD)]
    return max(found) if found else None


def _dates(text: str, today: date):
    english = bool(ENGLISH_RE.search(text))
    for m in DAY_MONTH_RE.finditer(text):
        yield from _adjusted(
            text, m, _day(today, int(m.group(1)), MONTHS[m.group(2).lower()], m.group(3))
        )
    for m in MONTH_DAY_RE.finditer(text):
        yield from _adjusted(
            text, m, _day(today, int(m.group(2)), MONTHS[m.group(1).lower()], m.group(3))
        )
    for m in ISO_RE.finditer(text):
        yield from _adjusted(text, m, _day(today, int(m.group(3)), int(m.group(2)), m.group(1)))
    for m in NUMERIC_RE.finditer(text):
        if m.group(4) or _triggered(text, m.start()):
            yield from _adjusted(text, m, _numeric(today, m, english))
    for m in WEEKDAY_RE.finditer(text):
        if m.group(2) and MONTH_NEXT_RE.match(text, m.end()):
            continue  # "Monday 3 June": read as a day and a month above
        if m.group(2) or _triggered(text, m.start()):
            yield from _adjusted(text, m, _weekday(today, WEEKDAYS[m.group(1).lower()], m.group(2)))


def _triggered(text: str, start: int) -> bool:
    return bool(TRIGGER_RE.search(text[max(0, start - 40) : start]))


def _adjusted(text: str, m: re.Match, found: date | None):
    """The date, a day later when the text says "up to and including" it."""
    if found is None:
        return
    before, after = text[max(0, m.start() - 30) : m.start()], text[m.end() : m.end() + 20]
    inclusive = INCLUSIVE_BEFORE_RE.search(before) or INCLUSIVE_AFTER_RE.match(after)
    yield found + timedelta(days=1) if inclusive else found


def _day(today: date, day: int, month: int, year: str | None) -> date | None:
    """That day; without a year the first such day from the message's day on."""
    try:
        if year:
            return date(int(year) + (2000 if len(year) == 2 else 0), month, day)
        found = date(today.year, month, day)
        return found if found >= today else date(today.year + 1, month, day)
    except ValueError:
        return None


def _numeric(today: date, m: re.Match, english: bool) -> date | None:
    first, second, year = int(m.group(1)), int(m.group(3)), m.group(4)
    day_first = _day(today, first, second, year)
    if m.group(2) != "/" or not english:
        return day_first
    month_first = _day(today, second, first, year)
    window = (today, today + timedelta(days=MAX_AHEAD))
    fits = [d for d in (month_first, day_first) if d and window[0] < d <= window[1]]
    if len(fits) == 2 and fits[0] != fits[1]:
        return None  # "08/12" read both ways lands in range: unsure
    return fits[0] if fits else None


def _weekday(today: date, weekday: int, day_text: str | None) -> date | None:
    """The next such weekday; with a day number ("Monday 3rd"), the next date that is both."""
    if not day_text:
        return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
    day = int(re.sub(r"\D", "", day_text))
    for offset in range(1, MAX_AHEAD + 1):
        candidate = today + timedelta(days=offset)
        if candidate.day == day and candidate.weekday() == weekday:
            return candidate
    return None
