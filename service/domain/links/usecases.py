"""What a person does with links: check a card's link now, read its checks, watch
backlinks (add, list, stop watching)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from service.db.unit_of_work import UnitOfWork
from service.domain.cards import queries
from service.domain.errors import LimitExceeded
from service.domain.links import backlinks, checks
from service.models import LinkCheck, Site

if TYPE_CHECKING:
    from service.domain.links.runtime import LinkFetchers

MANUAL_BUDGET = 20.0  # seconds a person's "check now" may take in all


def check_now(
    uow: UnitOfWork, fetchers: LinkFetchers, site: Site, card_id: int, actor: int, now: datetime
) -> LinkCheck:
    """Check the card's page now (at most MANUAL_BUDGET) and apply the result to the card;
    429 when every fetch slot stayed busy."""
    with uow:
        subject = checks.subject_of(queries.get(uow.session, site, card_id), site)
        uow.commit()  # no transaction stays open across the fetch
        outcome = checks.run(fetchers.manual, subject, time.monotonic() + MANUAL_BUDGET)
        if outcome.deferred is not None:
            raise LimitExceeded(
                "Every link-check slot stayed busy; try again in a moment.",
                limit="link_checks",
                retry_at=now + timedelta(seconds=5),
                retry_after=5,
            )
        card = queries.get(uow.session, site, card_id)
        check = checks.apply(uow.session, site, card, outcome, "manual", actor, now)
        uow.commit()
    return check


def check_history(uow: UnitOfWork, site: Site, card_id: int) -> list[LinkCheck]:
    """The card's link checks, newest first."""
    return checks.history(uow.session, site, queries.get(uow.session, site, card_id))


def watch(uow: UnitOfWork, site: Site, items: list[dict], now: datetime) -> tuple[int, int]:
    """Watch backlinks: (created, already watched)."""
    return uow.run(backlinks.add_many, site, items, now)


def watched(uow: UnitOfWork, site: Site, status: str | None, page: int, page_size: int):
    """One page of watched backlinks, newest first ((items, total))."""
    return backlinks.list_page(uow.session, site, status, page, page_size)


def unwatch(uow: UnitOfWork, site: Site, backlink_id: int) -> None:
    """Stop watching a backlink."""
    uow.run(backlinks.remove, site, backlink_id)
