"""One CSV row to the fields of an opportunity, or the reason a person can act on."""

from __future__ import annotations

import functools
import re

from marshmallow import ValidationError, validate

from service.domain.cards.fields import FIELDS, METRIC_SOURCE_LENGTH, METRICS
from service.models.opportunity import STATUSES

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets evaluate (OWASP)
# Where a spreadsheet may start a cell: the cell's start, and after `,` or `;` (Excel
# in locales whose list separator is `;` splits on it). The export puts one more
# apostrophe before a trigger there (and before apostrophes already leading to one, so
# the import can take exactly one off again: a lossless round trip).
FORMULA_AT = re.compile(r"(^|[;,])('*[=+\-@\t\r])")
NEUTRALISED_AT = re.compile(r"(^|[;,])'('*[=+\-@\t\r])")
# The card fields a cell may fill, with their limits (cards/fields.py).
LIMITS = {f.name: f.max_length for f in FIELDS if f.editable and f.max_length}
LABELS = {f.name: f"The {f.label[0].lower()}{f.label[1:]}" for f in FIELDS if f.editable}
WEB_ADDRESSES = tuple(f.name for f in FIELDS if f.editable and f.kind == "url")
TRUE, FALSE = {"1", "true", "yes", "y"}, {"0", "false", "no", "n", ""}
_url = validate.URL(schemes={"http", "https"}, require_tld=False)
_email = validate.Email()
NO_VALUE = {"", "-", "—", "n/a", "na", "none"}  # how exports write a metric they lack
BARE_HOST_RE = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?([/?#]|$)", re.IGNORECASE)


class RowError(ValueError):
    """This row cannot become a card; the message says why, for a person."""


def cell(value: str) -> str:
    """A cell as typed: trimmed, without the quotes our export put before formulas."""
    value = value.strip()
    return NEUTRALISED_AT.sub(r"\1\2", value) if "'" in value else value


def web_address(value: str, field: str) -> str:
    """An http(s) URL; a bare `host/path` (as Moz exports them) gets https://."""
    address = _address(value)
    if address is None:
        raise RowError(f"{LABELS[field]} “{value[:80]}” is not a web address.")
    return address


@functools.lru_cache(maxsize=1024)
def _address(value: str) -> str | None:
    """web_address() without the message; cached: a file names few target pages."""
    if "://" not in value:
        if not BARE_HOST_RE.match(value):
            return None
        value = "https://" + value
    try:
        _url(value)
    except ValidationError:
        return None
    return value


# marshmallow compiles these patterns on first use (~60 ms): once per process, not inside
# the first import a worker answers.
_url("https://warm.example/")
_email("warm@warm.example")


def parse(cells: list[str], columns: dict[int, str], width: int) -> dict:
    """{field: value} of the non-empty recognised cells; RowError when a value is unusable."""
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        raise RowError(f"This row has {len(cells)} cells but the header has {width} columns.")
    values = {}
    for index, field in columns.items():
        value = cell(cells[index]) if index < len(cells) else ""
        if value:
            values[field] = value
    if "source_domain" in values:
        domain = values.pop("source_domain").strip("/")
        values["source_url"] = f"https://{domain}/"
    return _checked(values)


def _checked(values: dict) -> dict:
    if not values.get("source_url"):
        raise RowError("The source URL (the page that should link) is empty.")
    for field, limit in LIMITS.items():
        if len(values.get(field, "")) > limit:
            raise RowError(f"{LABELS[field]} is longer than {limit:,} characters.")
    for field in WEB_ADDRESSES:
        if field in values:
            values[field] = web_address(values[field], field)
    if "contact_email" in values:
        try:
            _email(values["contact_email"])
        except ValidationError:
            raise RowError(
                f"The contact email “{values['contact_email'][:80]}” is not an email address."
            ) from None
    if "status" in values:
        values["status"] = values["status"].lower()
        if values["status"] not in STATUSES:
            raise RowError(f"The status must be one of: {', '.join(STATUSES)}.")
    _metrics(values)
    if "lost_link" in values:
        flag = values["lost_link"].lower()
        if flag not in TRUE | FALSE:
            raise RowError("lost_link must be true or false.")
        values["lost_link"] = flag in TRUE
    return values


def _metrics(values: dict) -> None:
    """The metric cells as whole numbers in their range (`1,234`, `45.0`, `12%` read)."""
    for metric in METRICS:
        if metric.name in values:  # "no value" leaves the card's own (update mode)
            found = number(values.pop(metric.name), metric)
            if found is not None:
                values[metric.name] = found
    source = values.get("metrics_source")
    if source is not None and (len(source) > METRIC_SOURCE_LENGTH or not source.isprintable()):
        raise RowError(f"metrics_source is longer than {METRIC_SOURCE_LENGTH} characters.")


def number(value: str, metric) -> int | None:
    """One metric cell as a whole number; None for an export's "no value"."""
    text = value.replace(",", "").replace(" ", "").replace("\u00a0", "").removesuffix("%")
    if text.lower() in NO_VALUE:
        return None
    try:
        found = float(text)
    except ValueError:
        raise RowError(f"{metric.label} “{value[:40]}” is not a number.") from None
    if not 0 <= found <= metric.maximum:  # NaN fails this too
        raise RowError(f"{metric.label} must be between 0 and {metric.maximum:,}.")
    return round(found)
