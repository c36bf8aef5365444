"""Bulk actions on cards: move and delete many, each id on its own (the sequence actions
are in sequences/bulk.py and share Outcome and live_cards).

Moves and deletes are set-based under one board lock: the cards change, then each column
they left is renumbered once (a bulk move of 500 cards is not 500 renumberings).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain import audit, events
from service.domain.cards import project_ref
from service.domain.cards.board import lock_board, next_position, renumber
from service.domain.errors import DomainError, NotFound
from service.models import Opportunity, Site

MAX_IDS = 500


@dataclass
class Outcome:
    """Ids done, and (id, error) of those that failed, in request order."""

    done: list[int] = field(default_factory=list)
    failed: list[tuple[int, DomainError]] = field(default_factory=list)


def unique(ids: list[int]) -> list[int]:
    """Request order, each id once."""
    return list(dict.fromkeys(ids))


def live_cards(session: Session, site: Site, ids: list[int], outcome: Outcome) -> list[Opportunity]:
    """The live cards of this site among `ids`; the rest fail as not found (foreign ids
    look exactly like missing ones)."""
    found = {
        c.id: c
        for c in session.scalars(
            select(Opportunity).where(
                Opportunity.id.in_(ids),
                Opportunity.site_id == site.id,
                Opportunity.deleted_at.is_(None),
            )
        )
    }
    for missing in (i for i in ids if i not in found):
        outcome.failed.append((missing, NotFound("Opportunity not found.")))
    return [found[i] for i in ids if i in found]


def move(
    session: Session, site: Site, ids: list[int], status: str, actor: int, now: datetime
) -> Outcome:
    """Move cards to the end of `status`, in their board order; cards already there stay."""
    outcome = Outcome()
    lock_board(session, site)
    cards = live_cards(session, site, ids, outcome)
    moving = sorted(
        (c for c in cards if c.status != status), key=lambda c: (c.status, c.position, c.id)
    )
    left = {c.status for c in moving}
    top = next_position(session, site, status)
    trail = []
    for offset, card in enumerate(moving):
        trail.append(
            (card.id, {"status": [card.status, status], "position": [card.position, top + offset]})
        )
        card.status, card.position = status, top + offset
        card.status_changed_at = card.updated_at = now
    audit.log_many(session, site, actor, "opportunity.move", "opportunity", trail, now)
    if moving:
        ids_moved = tuple(c.id for c in moving)
        events.publish(
            session, events.CardsMoved, site_id=site.id, card_ids=ids_moved, status=status, at=now
        )
    session.flush()
    if moving:
        renumber(session, site, moving[0], left)
    outcome.done = [c.id for c in cards]
    return outcome


def assign_project(
    session: Session, site: Site, ids: list[int], project_id, actor: int, now: datetime
) -> Outcome:
    """Put cards in a project (docs/api.md §19), or in none with None; 422 for a project
    not of this site. Positions do not change: a project is a filter, not a column."""
    project_ref.check(session, site, project_id)
    outcome = Outcome()
    cards = live_cards(session, site, ids, outcome)
    trail = []
    for card in cards:
        if card.project_id != project_id:
            trail.append((card.id, {"project_id": [card.project_id, project_id]}))
            card.project_id, card.updated_at = project_id, now
    audit.log_many(session, site, actor, "opportunity.update", "opportunity", trail, now)
    session.flush()
    outcome.done = [c.id for c in cards]
    return outcome


def delete(session: Session, site: Site, ids: list[int], actor: int, now: datetime) -> Outcome:
    """Take cards off the board (as writes.delete does), renumbering each column once."""
    outcome = Outcome()
    lock_board(session, site)
    cards = live_cards(session, site, ids, outcome)
    if cards:
        gone = tuple(c.id for c in cards)
        events.publish(session, events.CardsDeleted, site_id=site.id, card_ids=gone, at=now)
    for card in cards:
        card.deleted_at = card.updated_at = now
        card.dedupe_key = None
    audit.log_many(
        session,
        site,
        actor,
        "opportunity.delete",
        "opportunity",
        [(c.id, {"source_url": c.source_url}) for c in cards],
        now,
    )
    session.flush()
    if cards:
        renumber(session, site, cards[0], {c.status for c in cards})
    outcome.done = [c.id for c in cards]
    return outcome
