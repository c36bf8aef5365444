"""The sending window: the site's local days and hours in which scheduled emails go.

`send_window` is {"enabled", "days" (ISO weekdays, 1 = Monday), "start", "end" ("HH:MM",
local wall time in the site's `timezone`, start before end)}. Work that falls due outside
it waits for the next opening, spread over the opening's first 30 minutes so a night's
backlog does not leave in one burst. Wall times are resolved through zoneinfo, so daylight
saving changes move the window with the clock on the wall.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from service.domain.errors import Invalid
from service.models import Site
from service.models.site import DEFAULT_SEND_WINDOW as DEFAULT

SPREAD = timedelta(minutes=30)


def window_of(site: Site) -> dict:
    """The site's window with defaults filled in."""
    return {**DEFAULT, **(site.send_window or {})}


def _clock(value: str) -> time:
    hours, _, minutes = value.partition(":")
    return time(int(hours), int(minutes))


def validate(window: dict) -> dict:
    """The window to store, or Invalid naming what is wrong in plain words."""
    merged = {**DEFAULT, **window}
    errors = {}
    days = merged["days"]
    if not days or len(set(days)) != len(days) or not all(1 <= d <= 7 for d in days):
        errors["days"] = ["Pick at least one day, each once (1 = Monday ... 7 = Sunday)."]
    if _clock(merged["start"]) >= _clock(merged["end"]):
        errors["end"] = ["The window must end after it starts, on the same day."]
    if errors:
        raise Invalid(
            "The sending window is not valid: " + " ".join(errors[k][0] for k in errors),
            {f"send_window.{k}": v for k, v in errors.items()},
        )
    return {**merged, "days": sorted(days)}


def _zone(site: Site):
    return ZoneInfo(site.timezone) if site.timezone and site.timezone != "UTC" else UTC


def _at(day, clock: time, zone) -> datetime:
    """A local wall time on a day, in UTC (a time skipped by a spring change resolves to
    the same instant an hour later on the wall, as zoneinfo does)."""
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def next_opening(site: Site, due: datetime) -> tuple[datetime, datetime] | None:
    """(start, end) in UTC of the window period containing `due` or the next one after it;
    None when the window is off."""
    window = window_of(site)
    if not window["enabled"]:
        return None
    zone, start, end = _zone(site), _clock(window["start"]), _clock(window["end"])
    local = due.astimezone(zone).date()
    for offset in range(8):
        day = local + timedelta(days=offset)
        if day.isoweekday() not in window["days"]:
            continue
        opens, closes = _at(day, start, zone), _at(day, end, zone)
        if due < closes:
            return opens, closes
    return None  # unreachable with at least one day: kept total for safety


def next_send_time(site: Site, due: datetime, spread_key: int | str = 0) -> datetime:
    """When work due at `due` may go: `due` itself inside the window (or with none), else
    the next opening plus a stable offset within its first 30 minutes (by `spread_key`)."""
    period = next_opening(site, due)
    if period is None or period[0] <= due:
        return due
    opens, closes = period
    span = min(SPREAD, closes - opens)
    offset = zlib.crc32(str(spread_key).encode()) % max(1, int(span.total_seconds()))
    return opens + timedelta(seconds=offset)
