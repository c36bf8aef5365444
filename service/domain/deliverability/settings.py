"""Deliverability settings that need more than a plain assignment: window and pause."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from service.domain.deliverability import brake, windows
from service.models import Site

MANUAL_PAUSE = "Paused by hand from the sending settings."


def apply(session: Session, site: Site, values: dict, actor: int, now: datetime) -> dict:
    """Validate the window (a partial window merges into the current one), pause or resume;
    returns the values left for sites.update_settings."""
    values = dict(values)
    if "send_window" in values:
        values["send_window"] = windows.validate(
            {**windows.window_of(site), **(values["send_window"] or {})}
        )
    paused = values.pop("paused", None)
    if paused is False:
        brake.resume(session, site, actor, now)
    elif paused is True and not site.paused:
        brake.pause(session, site, MANUAL_PAUSE, actor, now)
    return values
