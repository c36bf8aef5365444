"""Positions on the board: the board lock, column ends, gaps and renumbering.

Every write of a position happens under the board lock of its site (lock_board), taken
before any card or email row (docs/architecture.md, lock order), and held until commit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from service.db.bulk import is_postgresql
from service.db.unit_of_work import TransactionState
from service.domain import audit, events
from service.domain.cards import changes
from service.models import Opportunity, Site

BOARD_LOCK_CLASS = 0x0B0A  # pg advisory-lock namespace: positions of one site's board
# What this transaction holds: board locks taken (taking one again is a no-op), cards
# re-read under one (lock_board need not refresh them), and each column's next position
# (under the lock nobody else appends until we commit).
BOARD_LOCKS: TransactionState[set[int]] = TransactionState(set)
FRESH_CARDS: TransactionState[set[int]] = TransactionState(set)
COLUMN_ENDS: TransactionState[dict[tuple[int, str], int]] = TransactionState(dict)


def lock_board(session: Session, site: Site, opp: Opportunity | None = None) -> None:
    """Serialise position writes of one site's board until commit, then re-read the card.

    SQLite's BEGIN IMMEDIATE already serialises writers; PostgreSQL needs the lock, or two
    concurrent moves into one column both compute the same position from their snapshot.
    """
    locks = BOARD_LOCKS.of(session)
    if site.id not in locks and is_postgresql(session):
        session.execute(
            text("SELECT pg_advisory_xact_lock(:c, :s)"), {"c": BOARD_LOCK_CLASS, "s": site.id}
        )
        locks.add(site.id)
    if opp is not None and opp.id is not None and opp.id not in FRESH_CARDS.of(session):
        session.flush()
        session.refresh(opp, ["status", "position"])


def mark_fresh(session: Session, card_ids) -> None:
    """These cards were just re-read under the board lock: lock_board need not again."""
    FRESH_CARDS.of(session).update(card_ids)


def next_position(session: Session, site: Site, status: str) -> int:
    """The position after the last live card of a column."""
    top = session.scalar(
        select(func.max(Opportunity.position)).where(
            Opportunity.site_id == site.id,
            Opportunity.status == status,
            Opportunity.deleted_at.is_(None),
        )
    )
    return 0 if top is None else top + 1


def column_ends(session: Session, site: Site, status: str) -> dict[tuple[int, str], int]:
    """This transaction's next positions, with the column's read if it was not yet: call
    under the board lock (nobody else appends until we commit). A batch of moves reads it
    before its first write, so the query's autoflush has nothing to send on its own."""
    ends, key = COLUMN_ENDS.of(session), (site.id, status)
    if key not in ends:
        ends[key] = next_position(session, site, status)
    return ends


def close_gap(session: Session, site: Site, status: str, position: int, leaving_id: int):
    """Shift the cards after a leaving card up by one, so positions stay 0..n-1."""
    shift(session, site, status, -1, leaving_id, position + 1)


def shift(
    session: Session,
    site: Site,
    status: str,
    by: int,
    leaving_id: int,
    start: int,
    end: int | None = None,
) -> None:
    """Add `by` to the positions in [start, end] of one column (one UPDATE, no loading)."""
    where = [
        Opportunity.site_id == site.id,
        Opportunity.status == status,
        Opportunity.deleted_at.is_(None),
        Opportunity.id != leaving_id,
        Opportunity.position >= start,
    ]
    if end is not None:
        where.append(Opportunity.position <= end)
    shifted = session.execute(
        update(Opportunity).where(*where).values(position=Opportunity.position + by)
    )
    if shifted.rowcount:
        changes.mark_column(session, site.id, status)  # board deltas: new order


def renumber(session: Session, site: Site, opp: Opportunity, statuses: set[str]) -> None:
    """Renumber the columns 0..n-1 where automatic moves left gaps (under the board lock).

    A user's move or delete then works on exact indexes; columns without gaps cost one
    aggregate query and nothing else.
    """
    live = (Opportunity.site_id == site.id, Opportunity.deleted_at.is_(None))
    gapped = [
        status
        for status, count, top in session.execute(
            select(Opportunity.status, func.count(), func.max(Opportunity.position))
            .where(*live, Opportunity.status.in_(statuses))
            .group_by(Opportunity.status)
        )
        if top != count - 1
    ]
    for status in gapped:
        changes.mark_column(session, site.id, status)  # board deltas: new positions
        ranked = (
            select(
                Opportunity.id,
                (func.row_number().over(order_by=(Opportunity.position, Opportunity.id)) - 1).label(
                    "rank"
                ),
            )
            .where(*live, Opportunity.status == status)
            .subquery()
        )
        session.execute(
            update(Opportunity)
            .where(Opportunity.id == ranked.c.id, Opportunity.position != ranked.c.rank)
            .values(position=ranked.c.rank)
            .execution_options(synchronize_session=False)
        )
    if gapped:
        session.refresh(opp, ["position"])


def log_move(session: Session, site: Site, actor: int, opp: Opportunity, was, now) -> None:
    """The audit entry of a card that moved from `was` ([status, position]) to where it is."""
    changes = {"status": [was[0], opp.status], "position": [was[1], opp.position]}
    audit.log(session, site, actor, "opportunity.move", "opportunity", opp.id, changes, now)


def append_to(
    session: Session, site: Site, opp: Opportunity, status: str, actor: int, now: datetime
) -> Opportunity:
    """An automatic move (a send moving its card to Reached): to the end of `status`.

    Call it under lock_board(session, site, opp). The card leaves a gap in its old column
    rather than renumbering every card after it (thousands of rows per send on a big
    board); order is all positions promise, and the next user move there closes the gap.
    """
    old = [opp.status, opp.position]
    ends, key = column_ends(session, site, status), (site.id, status)
    opp.position = ends[key]
    ends[key] += 1
    opp.status, opp.status_changed_at, opp.updated_at = status, now, now
    log_move(session, site, actor, opp, old, now)
    events.publish(
        session, events.CardsMoved, site_id=site.id, card_ids=(opp.id,), status=status, at=now
    )
    return opp  # flushed with the caller's other changes to the card: one UPDATE
