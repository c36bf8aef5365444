"""One CSV row to the fields of an opportunity, or the reason a person can act on."""

from __future__ import annotations

import functools
import re

from marshmallow import ValidationError, validate

from service.models.opportunity import STATUSES

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets evaluate (OWASP)
LIMITS = {
    "source_url": 2000,
    "target_url": 2000,
    "anchor_text": 500,
    "contact_email": 320,
    "contact_name": 200,
    "notes": 20000,
}
LABELS = {
    "source_url": "The source URL",
    "target_url": "The target URL",
    "anchor_text": "The anchor text",
    "contact_email": "The contact email",
    "contact_name": "The contact name",
    "notes": "The notes",
}
TRUE, FALSE = {"1", "true", "yes", "y"}, {"0", "false", "no", "n", ""}
_url = validate.URL(schemes={"http", "https"}, require_tld=False)
_email = validate.Email()
BARE_HOST_RE = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?([/?#]|$)", re.IGNORECASE)


class RowError(ValueError):
    """This row cannot become a card; the message says why, for a person."""


def cell(value: str) -> str:
    """A cell as typed: trimmed, without the quote our export put before a formula."""
    value = value.strip()
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
        return value[1:]
    return value


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
    for field in ("source_url", "target_url"):
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
    if "lost_link" in values:
        flag = values["lost_link"].lower()
        if flag not in TRUE | FALSE:
            raise RowError("lost_link must be true or false.")
        values["lost_link"] = flag in TRUE
    return values
