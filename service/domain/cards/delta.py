"""The read side of board deltas: the clock, and what changed since a cursor.

A cursor is a site's board clock number (changes.py). `GET /board` reads the clock,
the change log, the cards and the counts in ONE snapshot (read_snapshot), so the answer
is the board exactly as of its cursor: counts agree with the cards, and a change that
commits meanwhile comes in the next delta.
"""

from __future__ import annotations

import functools
import hashlib

from sqlalchemy import Integer, String, and_, bindparam, func, select
from sqlalchemy.orm import Session

from service.db.bulk import is_postgresql, one_of_param
from service.db.unit_of_work import autocommit_read
from service.domain.cards import queries
from service.domain.cards.board_filters import BoardQuery, conditions
from service.models import BoardChange, BoardClock, Enrollment, Opportunity, Sequence, Site
from service.models.opportunity import STATUSES


def peek(session: Session, site: Site) -> tuple[int, int]:
    """The clock read on its own, outside a transaction (PostgreSQL autocommit, like the
    signature check before it): an unchanged board's 304 costs one round trip."""
    autocommit_read(session)
    found = clock(session, site)
    session.commit()  # a snapshot for the answer, if one is needed, starts afresh
    return found


def read_snapshot(session: Session) -> None:
    """Make the coming transaction one snapshot (PostgreSQL REPEATABLE READ: read-only, it
    never fails to serialise; a SQLite transaction is one snapshot already)."""
    if session.get_bind().dialect.name == "postgresql" and not session.in_transaction():
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def clock(session: Session, site: Site) -> tuple[int, int]:
    """(current clock number, pruned up to) of the site's board; (0, 0) before any change."""
    row = session.execute(
        select(BoardClock.seq, BoardClock.pruned_seq).where(BoardClock.site_id == site.id)
    ).first()
    return (row[0], row[1]) if row else (0, 0)


def etag(seq: int, view: BoardQuery, since: int | None) -> str:
    """The entity tag of one board answer: the clock number, and the query it answered."""
    asked = view.key()
    if not asked and since is None:
        return f"b{seq}"
    digest = hashlib.blake2s(f"{asked}\n{since}".encode(), digest_size=6).hexdigest()
    return f"b{seq}-{digest}"


def can_answer(since: int, seq: int, pruned: int) -> bool:
    """A delta is exact from `since` only while its log rows are kept (and it is not ahead)."""
    return pruned <= since <= seq


def delta(session: Session, site: Site, since: int, view: BoardQuery) -> tuple[int, dict | None]:
    """(the clock number, the delta from `since` up to it); None for the delta when the kept
    log cannot answer from `since` (the caller sends the whole board).

    The delta: cards changed in (since, clock], ids gone (deleted, or no longer matching
    the view's search and filters), the [id, position] pairs of columns whose other
    cards' positions moved, counts, and the next cursor. Two statements in the common
    case (a poll is the board's hottest path): the clock, the log and the counts in one,
    the cards with their sequence summaries in the other; both built once per filter
    shape and cached, both Core (no ORM step).
    """
    pattern = queries.search_pattern(view.q)
    postgres = is_postgresql(session)
    params = {"site_id": site.id, "since": since, "pattern": pattern, **view.params()}
    shape = (pattern is not None, view.shape())
    head = session.execute(_head_statement(postgres, *shape), params).all()
    seq, pruned = head[0][0] or 0, head[0][1] or 0
    if not can_answer(since, seq, pruned):
        return seq, None
    ids = sorted({row[2] for row in head if row[2] is not None})
    columns = sorted({row[3] for row in head if row[2] is None and row[3]})
    cards = []
    if ids:
        width = len(queries.ROW_NAMES)
        for row in session.execute(_cards_statement(postgres, *shape), {**params, "ids": ids}):
            card = queries.card_of(row)
            card["sequence"] = queries.summary(row[width:])
            cards.append(card)
    shown = {card["id"] for card in cards}
    return seq, {
        "full": False,
        "cards": cards,
        "removed": [i for i in ids if i not in shown],
        "order": {status: column_order(session, site, status, view) for status in columns},
        "counts": dict(zip(STATUSES, head[0][4:], strict=True)),
        "cursor": str(seq),
    }


@functools.cache
def _head_statement(postgres: bool, searching: bool, filters: tuple):
    """One row per logged change in (since, clock] (one row with NULLs when none, or when
    the log was pruned past `since`), each carrying the clock and the live counts."""
    cards, clock, log = Opportunity.__table__, BoardClock.__table__, BoardChange.__table__
    site_id, since = bindparam("site_id", type_=Integer), bindparam("since", type_=Integer)
    live = [cards.c.site_id == site_id, cards.c.deleted_at.is_(None)]
    if searching:
        live.append(queries.matches(bindparam("pattern", type_=String)))
    live += conditions(cards, filters)
    # One pass with FILTER, not GROUP BY: grouping sorted 5,000 statuses by collation.
    tally = (
        select(*(func.count().filter(cards.c.status == s).label(f"n_{s}") for s in STATUSES))
        .where(*live)
        .subquery("tally")
    )
    logged = and_(
        log.c.site_id == clock.c.site_id,
        log.c.seq > since,
        log.c.seq <= clock.c.seq,
        clock.c.pruned_seq <= since,
    )
    return (
        select(clock.c.seq, clock.c.pruned_seq, log.c.opportunity_id, log.c.status, *tally.c)
        .select_from(tally)
        .outerjoin(clock, clock.c.site_id == site_id)
        .outerjoin(log, logged)
    )


@functools.cache
def _cards_statement(postgres: bool, searching: bool, filters: tuple):
    """The live cards among :ids (matching the search and filters) with their latest
    enrollment."""
    cards, enrollment = Opportunity.__table__, Enrollment.__table__
    sequence, newer = Sequence.__table__, Enrollment.__table__.alias("newer")
    latest = (
        select(func.max(newer.c.id))
        .where(newer.c.opportunity_id == cards.c.id)
        .correlate(cards)
        .scalar_subquery()
    )
    wanted = [
        cards.c.site_id == bindparam("site_id", type_=Integer),
        cards.c.deleted_at.is_(None),
        one_of_param(postgres, cards.c.id, "ids"),
    ]
    if searching:
        wanted.append(queries.matches(bindparam("pattern", type_=String)))
    wanted += conditions(cards, filters)
    joined = cards.outerjoin(enrollment, enrollment.c.id == latest).outerjoin(
        sequence, sequence.c.id == enrollment.c.sequence_id
    )
    return (
        select(*queries.card_columns(cards), *queries.summary_columns())
        .select_from(joined)
        .where(*wanted)
        .order_by(cards.c.id)
    )


def column_order(session: Session, site: Site, status: str, view: BoardQuery) -> list[list[int]]:
    """[id, position] of one column's live cards (the view shows) in board order."""
    query = queries.card_query(site, view).with_only_columns(Opportunity.id, Opportunity.position)
    return [
        [opp, position]
        for opp, position in session.execute(
            query.where(Opportunity.status == status).order_by(Opportunity.position, Opportunity.id)
        )
    ]
