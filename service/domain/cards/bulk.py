"""Bulk actions on cards: move, delete, stop or start sequences, each id on its own.

Moves and deletes are set-based under one board lock: the cards change, then each column
they left is renumbered once (a bulk move of 500 cards is not 500 renumberings). Sequence
starts go card by card in savepoints, because each reserves its own step 1 under the
limits: one card refused (a limit, a missing placeholder) leaves the others done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain import audit
from service.domain.errors import DomainError, Invalid, NotFound
from service.domain.opportunities import writes
from service.domain.sequences import definitions, enrollments, prepare
from service.models import Enrollment, Opportunity, Site

MAX_IDS = 500


@dataclass
class Outcome:
    """Ids done, and (id, error) of those that failed, in request order."""

    done: list[int] = field(default_factory=list)
    failed: list[tuple[int, DomainError]] = field(default_factory=list)
    started: list[prepare.Job] = field(default_factory=list)  # step 1s reserved, to send


def unique(ids: list[int]) -> list[int]:
    """Request order, each id once."""
    return list(dict.fromkeys(ids))


def _cards(session: Session, site: Site, ids: list[int], outcome: Outcome) -> list[Opportunity]:
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
    writes.lock_board(session, site)
    cards = _cards(session, site, ids, outcome)
    moving = sorted(
        (c for c in cards if c.status != status), key=lambda c: (c.status, c.position, c.id)
    )
    left = {c.status for c in moving}
    top = writes.next_position(session, site, status)
    trail = []
    for offset, card in enumerate(moving):
        trail.append(
            (card.id, {"status": [card.status, status], "position": [card.position, top + offset]})
        )
        card.status, card.position = status, top + offset
        card.status_changed_at = card.updated_at = now
    audit.record_many(session, site, actor, "opportunity.move", "opportunity", trail, now)
    if status == "won":
        _stop_active(session, [c.id for c in moving], "won", now)
    session.flush()
    if moving:
        writes.renumber(session, site, moving[0], left)
    outcome.done = [c.id for c in cards]
    return outcome


def delete(session: Session, site: Site, ids: list[int], actor: int, now: datetime) -> Outcome:
    """Take cards off the board (as writes.delete does), renumbering each column once."""
    outcome = Outcome()
    writes.lock_board(session, site)
    cards = _cards(session, site, ids, outcome)
    _stop_active(session, [c.id for c in cards], "deleted", now)
    for card in cards:
        card.deleted_at = card.updated_at = now
        card.dedupe_key = None
    audit.record_many(
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
        writes.renumber(session, site, cards[0], {c.status for c in cards})
    outcome.done = [c.id for c in cards]
    return outcome


def stop_sequences(
    session: Session, site: Site, ids: list[int], actor: int, now: datetime
) -> Outcome:
    """Stop each card's active sequence (reason `manual`); a card without one fails 404."""
    outcome = Outcome()
    cards = _cards(session, site, ids, outcome)
    active = _active(session, [c.id for c in cards])
    for card in cards:
        enrollment = active.get(card.id)
        if enrollment is None:
            outcome.failed.append((card.id, NotFound("This opportunity has no active sequence.")))
            continue
        enrollments.stop_audited(session, enrollment, "manual", actor, now)
        outcome.done.append(card.id)
    session.flush()
    return outcome


def assign_sequence(
    session: Session,
    site: Site,
    ids: list[int],
    sequence_id: int,
    to: str | None,
    actor: int,
    owner: str,
    now: datetime,
    reply_domain: str | None,
) -> Outcome:
    """Enroll each card and reserve its step 1 (the caller commits, then sends them).

    The recipient is `to` when given, else the card's contact_email; a card with neither
    fails. Each card in its own savepoint: a limit, a missing placeholder or an active
    sequence fails that card only.
    """
    outcome = Outcome()
    sequence = definitions.get(session, site, sequence_id, lock=True)
    for card in _cards(session, site, ids, outcome):
        recipient = to or card.contact_email
        if not recipient:
            outcome.failed.append(
                (
                    card.id,
                    Invalid(
                        "This card has no contact email: add one to the card first.",
                        {"contact_email": ["Missing."]},
                    ),
                )
            )
            continue
        try:
            with session.begin_nested():
                outcome.started.append(
                    prepare.enroll(
                        session, site, card, sequence, recipient, actor, owner, now, reply_domain
                    )
                )
        except DomainError as exc:
            outcome.failed.append((card.id, exc))
            continue
        outcome.done.append(card.id)
    return outcome


def _active(session: Session, opportunity_ids: list[int]) -> dict[int, Enrollment]:
    if not opportunity_ids:
        return {}
    return {
        e.opportunity_id: e
        for e in session.scalars(
            select(Enrollment).where(
                Enrollment.opportunity_id.in_(opportunity_ids), Enrollment.status == "active"
            )
        )
    }


def _stop_active(session: Session, opportunity_ids: list[int], reason: str, now: datetime) -> None:
    for enrollment in _active(session, opportunity_ids).values():
        enrollments.stop(enrollment, reason, now)
