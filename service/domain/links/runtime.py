"""The process's fetchers: one for the scheduler (hosts that keep failing wait) and one
for a person's "check now" (goes ahead anyway); both share the fleet's slots and pacing."""

from __future__ import annotations

from dataclasses import dataclass

from service.domain.links.fetch import TIMEOUT, Fetcher
from service.domain.links.politeness import CONCURRENCY, Gate


@dataclass
class LinkFetchers:
    scheduled: Fetcher
    manual: Fetcher


def build(
    session_factory,
    allow_private: bool = False,
    timeout: float = TIMEOUT,
    concurrency: int = CONCURRENCY,
) -> LinkFetchers:
    """Fetchers on the database's politeness state (OUTREACH_LINKCHECK_* settings)."""
    scheduled = Gate(session_factory, concurrency)
    manual = Gate(session_factory, concurrency, honour_backoff=False)
    return LinkFetchers(
        scheduled=Fetcher(scheduled, allow_private, timeout),
        manual=Fetcher(manual, allow_private, timeout),
    )
