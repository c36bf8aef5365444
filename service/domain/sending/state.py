"""The sending state the settings screen shows: slots taken today, the next window opening."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from service.domain.deliverability import windows
from service.domain.sending import limits
from service.models import Site


def of(session: Session, site: Site, now: datetime) -> dict:
    """{sent_last_24h, next_window_opening (None while the window is open or off)}."""
    period = windows.next_opening(site, now)
    return {
        "sent_last_24h": limits.sent_last_24h(session, site, now),
        "next_window_opening": None if period is None or period[0] <= now else period[0],
    }
