"""Leases on due rows: how every scheduler job kind claims its work exactly once.

A claim selects due rows that nobody holds and stamps them with a lease in the same
transaction, which the caller commits at once. PostgreSQL: FOR UPDATE SKIP LOCKED lets
racing schedulers take disjoint rows without waiting; SQLite: every transaction is BEGIN
IMMEDIATE, so claims are serialised. The UPDATE repeats the condition, so a row whose
state changed meanwhile is not leased.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.db.bulk import skip_locked


def lease_due(
    session: Session, model, due, claimable: tuple, lease: dict, batch: int, order=None
) -> list[tuple]:
    """Lease up to `batch` rows of `model` matching `claimable` (`lease`: the column values
    to stamp), oldest `due` first unless `order` says otherwise: [(id, due)]."""
    query = (
        select(model.id, due)
        .where(*claimable)
        .order_by(*(order if order is not None else (due, model.id)))
        .limit(batch)
    )
    rows = [tuple(r) for r in session.execute(skip_locked(query, session))]
    if rows:
        session.execute(
            update(model)
            .where(model.id.in_([r[0] for r in rows]), *claimable)
            .values(lease)
            .execution_options(synchronize_session=False)
        )
    return rows
