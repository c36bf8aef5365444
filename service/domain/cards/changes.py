"""Which cards changed, in commit order: the write side of board deltas and ETags.

Code that changes a card marks it (ORM changes to cards, enrollments and sequences are
marked by the flush hook below; set-based UPDATEs call mark_cards / mark_column). At
commit, the transaction bumps its site's board clock (one upsert on `board_clocks`) and
logs one `board_changes` row per marked card under that number.

Why the numbers follow commit order: the bump takes the clock row's write lock and keeps
it until COMMIT, so a second writer of the same site waits, and then (READ COMMITTED;
SQLite serialises writers anyway) reads the committed number and takes the next one. A
reader that sees number n committed therefore sees every number below n committed too,
and "changes with seq > cursor" never skips a change that commits late. The bump is the
last thing a transaction does and the log rows are plain inserts, so whoever holds the
clock lock waits on no other lock: it cannot take part in a deadlock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, event, func, inspect, select, update
from sqlalchemy.orm import Session

from service.db.bulk import dialect_insert, insert_many
from service.models import (
    BoardChange,
    BoardClock,
    Enrollment,
    Opportunity,
    Sequence,
    SequenceStep,
)

MARKS = "board_marks"
# Fields of an enrollment shown in a card's `sequence` summary (leases are not).
SUMMARY_FIELDS = (
    "status",
    "stop_reason",
    "current_step",
    "next_step_at",
    "last_error",
    "sequence_id",
)
KEEP = timedelta(hours=24)  # a cursor older than this may get the whole board instead
PRUNE_EVERY = 256  # clock ticks of a site between two prunes of its log
# A transaction changing more cards of a site (a CSV import) logs none of them and moves
# the site's pruned mark up to its own number instead: older cursors get the whole board,
# which costs no more than a delta that size, and the import writes no log rows.
LOG_AT_MOST = 1000


def _marks(session: Session) -> dict:
    return session.info.setdefault(
        MARKS, {"cards": set(), "pairs": set(), "columns": set(), "sequences": set()}
    )


def mark_cards(session: Session, opportunity_ids, site_id: int | None = None) -> None:
    """These cards' payload changed in this transaction (set-based writes call this).

    Callers that know the site pass it: the commit then need not look the cards up.
    """
    if site_id is None:
        _marks(session)["cards"].update(opportunity_ids)
    else:
        _marks(session)["pairs"].update((site_id, i) for i in opportunity_ids)


def mark_column(session: Session, site_id: int, status: str) -> None:
    """Positions of cards in this column shifted: deltas carry the column's new order."""
    _marks(session)["columns"].add((site_id, status))


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _context) -> None:
    """Mark the cards whose ORM objects this flush wrote (pre-flush state is still here)."""
    marks = None
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Opportunity):
            if obj in session.new or session.is_modified(obj, include_collections=False):
                marks = marks or _marks(session)
                marks["pairs"].add((obj.site_id, obj.id))
        elif isinstance(obj, Enrollment):
            if obj in session.dirty and not _summary_changed(obj):
                continue
            marks = marks or _marks(session)
            marks["pairs"].add((obj.site_id, obj.opportunity_id))
        elif isinstance(obj, Sequence | SequenceStep):
            # A renamed sequence or a changed step count shows on every card it ran on.
            marks = marks or _marks(session)
            marks["sequences"].add(obj.id if isinstance(obj, Sequence) else obj.sequence_id)


def _summary_changed(enrollment: Enrollment) -> bool:
    state = inspect(enrollment)
    return any(state.attrs[name].history.has_changes() for name in SUMMARY_FIELDS)


@event.listens_for(Session, "before_commit")
def _stamp(session: Session) -> None:
    """Log the transaction's marked cards under a fresh clock number of their site."""
    if session.in_nested_transaction():
        return
    session.flush()  # the commit's own flush comes after this hook: collect its marks
    marks = session.info.pop(MARKS, None)
    if marks and any(marks.values()):
        log_changes(session, marks, datetime.now(UTC))


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction) -> None:
    """Marks of a rolled-back transaction go with it."""
    if transaction.parent is None:
        session.info.pop(MARKS, None)


def log_changes(session: Session, marks: dict, now: datetime) -> None:
    """Bump each affected site's clock (in site order) and insert the change rows."""
    pairs = {(site, opp) for site, opp in marks["pairs"] if opp is not None}
    cards = {i for i in marks["cards"] if i is not None} - {opp for _, opp in pairs}
    if cards:
        pairs |= {
            (site, opp)
            for site, opp in session.execute(
                select(Opportunity.site_id, Opportunity.id).where(Opportunity.id.in_(sorted(cards)))
            )
        }
    if marks["sequences"]:
        pairs |= {
            (site, opp)
            for site, opp in session.execute(
                select(Enrollment.site_id, Enrollment.opportunity_id)
                .distinct()
                .where(Enrollment.sequence_id.in_(sorted(marks["sequences"])))
            )
        }
    columns = marks["columns"]
    sites = sorted({site for site, _ in pairs} | {site for site, _ in columns})
    rows = []
    for site_id in sites:
        cards_of_site = sorted(opp for s, opp in pairs if s == site_id)
        if len(cards_of_site) > LOG_AT_MOST:
            _tick(session, site_id, restart=True)  # nothing logged: older cursors start over
            continue
        seq = _tick(session, site_id)
        rows += [
            {
                "site_id": site_id,
                "seq": seq,
                "opportunity_id": opp,
                "status": None,
                "changed_at": now,
            }
            for opp in cards_of_site
        ]
        rows += [
            {
                "site_id": site_id,
                "seq": seq,
                "opportunity_id": None,
                "status": status,
                "changed_at": now,
            }
            for s, status in sorted(columns)
            if s == site_id
        ]
        if seq % PRUNE_EVERY == 0:
            prune(session, site_id, now - KEEP)
    insert_many(session, BoardChange, rows)


def _tick(session: Session, site_id: int, restart: bool = False) -> int:
    """The site's next clock number; the row stays locked until this transaction ends.

    `restart`: the log cannot answer from any earlier cursor (pruned up to the new number).
    """
    table = BoardClock.__table__
    first = dialect_insert(session, table).values(site_id=site_id, seq=1, pruned_seq=int(restart))
    bumped = {"seq": table.c.seq + 1}
    if restart:
        bumped["pruned_seq"] = table.c.seq + 1
    stmt = first.on_conflict_do_update(index_elements=[table.c.site_id], set_=bumped)
    return session.execute(stmt.returning(table.c.seq)).scalar_one()


def prune(session: Session, site_id: int, before: datetime) -> int:
    """Drop a site's log rows older than `before`; cursors up to them get a full board."""
    table = BoardChange.__table__
    top = session.scalar(
        select(func.max(table.c.seq)).where(table.c.site_id == site_id, table.c.changed_at < before)
    )
    if top is None:
        return 0
    session.execute(delete(table).where(table.c.site_id == site_id, table.c.seq <= top))
    clock = BoardClock.__table__
    session.execute(
        update(clock)
        .where(clock.c.site_id == site_id, clock.c.pruned_seq < top)
        .values(pruned_seq=top)
    )
    return top
