"""The process's fetchers: one for the scheduler (hosts that keep failing wait) and one
for a person's "check now" (goes ahead anyway); both share the fleet's slots and pacing."""

from __future__ import annotations

from dataclasses import dataclass

from service.domain.links.fetch import TIMEOUT, Fetcher
from service.domain.links.politeness import Gate


@dataclass
class LinkFetchers:
    scheduled: Fetcher
    manual: Fetcher


def build(session_factory, allow_private: bool = False, timeout: float = TIMEOUT) -> LinkFetchers:
    """Fetchers on the database's politeness state (OUTREACH_LINKCHECK_* settings)."""
    return LinkFetchers(
        scheduled=Fetcher(Gate(session_factory), allow_private, timeout),
        manual=Fetcher(Gate(session_factory, honour_backoff=False), allow_private, timeout),
    )
