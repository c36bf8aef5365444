"""The read side of board deltas: the clock, and what changed since a cursor.

A cursor is a site's board clock number (changes.py). `GET /board` reads the clock,
the change log, the cards and the counts in ONE snapshot (read_snapshot), so the answer
is the board exactly as of its cursor: counts agree with the cards, and a change that
commits meanwhile comes in the next delta.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.domain.opportunities import queries
from service.domain.sequences import enrollments
from service.models import BoardChange, BoardClock, Opportunity, Site
from service.models.opportunity import STATUSES


def peek(session: Session, site: Site) -> tuple[int, int]:
    """The clock read on its own, outside a transaction (PostgreSQL autocommit, like the
    signature check before it): an unchanged board's 304 costs one round trip."""
    if session.get_bind().dialect.name == "postgresql" and not session.in_transaction():
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
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


def etag(seq: int, q: str | None, since: int | None) -> str:
    """The entity tag of one board answer: the clock number, and the query it answered."""
    if not q and since is None:
        return f"b{seq}"
    digest = hashlib.blake2s(f"{q or ''}\n{since}".encode(), digest_size=6).hexdigest()
    return f"b{seq}-{digest}"


def can_answer(since: int, seq: int, pruned: int) -> bool:
    """A delta is exact from `since` only while its log rows are kept (and it is not ahead)."""
    return pruned <= since <= seq


def delta(session: Session, site: Site, since: int, upto: int, q: str | None) -> dict:
    """Cards changed in (since, upto], ids gone (deleted, or no longer matching `q`), the
    [id, position] pairs of columns whose other cards' positions moved, counts, and the
    next cursor."""
    table = BoardChange.__table__
    changes = session.execute(
        select(table.c.opportunity_id, table.c.status)
        .distinct()
        .where(table.c.site_id == site.id, table.c.seq > since, table.c.seq <= upto)
    ).all()
    ids = sorted({opp for opp, _ in changes if opp is not None})
    columns = sorted({status for opp, status in changes if opp is None and status})
    cards = []
    if ids:
        query = queries.card_query(site, q).where(Opportunity.id.in_(ids))
        cards = [
            dict(zip(queries.CARD_FIELDS, row, strict=True))
            for row in session.execute(query.order_by(Opportunity.id))
        ]
        found = enrollments.summaries(session, site, [c["id"] for c in cards]) if cards else {}
        for card in cards:
            card["sequence"] = found.get(card["id"])
    shown = {card["id"] for card in cards}
    return {
        "full": False,
        "cards": cards,
        "removed": [i for i in ids if i not in shown],
        "order": {status: column_order(session, site, status, q) for status in columns},
        "counts": counts(session, site, q),
        "cursor": str(upto),
    }


def column_order(session: Session, site: Site, status: str, q: str | None) -> list[list[int]]:
    """[id, position] of one column's live cards (matching `q`) in board order."""
    query = queries.card_query(site, q).with_only_columns(Opportunity.id, Opportunity.position)
    return [
        [opp, position]
        for opp, position in session.execute(
            query.where(Opportunity.status == status).order_by(Opportunity.position, Opportunity.id)
        )
    ]


def counts(session: Session, site: Site, q: str | None) -> dict[str, int]:
    """Live cards per column (matching `q`), every column present."""
    # One pass with FILTER, not GROUP BY: grouping sorted 5,000 statuses by collation.
    query = queries.card_query(site, q).with_only_columns(
        *(func.count().filter(Opportunity.status == status) for status in STATUSES)
    )
    return dict(zip(STATUSES, session.execute(query).one(), strict=True))
