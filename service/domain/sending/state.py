"""The sending state the settings screen shows: slots taken today, the next window opening."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from service.domain.deliverability import windows
from service.domain.sending import limits
from service.models import Site


def of(session: Session, site: Site, now: datetime, sent: int | None = None) -> dict:
    """{sent_last_24h, next_window_opening (None while the window is open or off)};
    `sent`: the count read already (limits.sent_last_24h_beside_site), else read here."""
    period = windows.next_opening(site, now)
    return {
        "sent_last_24h": limits.sent_last_24h(session, site, now) if sent is None else sent,
        "next_window_opening": None if period is None or period[0] <= now else period[0],
    }
