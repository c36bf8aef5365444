"""Leases on due enrollments: which scheduler process may work on which enrollment."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from service.db.leases import lease_due
from service.models import Enrollment


def _claimable(now: datetime):
    return (
        Enrollment.status == "active",
        Enrollment.next_step_at <= now,
        or_(Enrollment.lease_until.is_(None), Enrollment.lease_until < now),
    )


def claim(
    session: Session, owner: str, now: datetime, lease: timedelta, batch: int
) -> list[tuple[int, datetime]]:
    """Lease up to `batch` due enrollments to `owner`: (id, next_step_at), oldest due first."""
    stamp = {"lease_owner": owner, "lease_until": now + lease}
    return lease_due(session, Enrollment, Enrollment.next_step_at, _claimable(now), stamp, batch)


def hold_many(
    session: Session, ids: list[int], owner: str, now: datetime, lease: timedelta
) -> list[Enrollment]:
    """Lock a chunk of claimed enrollments (in id order) and renew our lease where it runs
    low; the ones still ours to work on."""
    rows = session.scalars(
        select(Enrollment)
        .where(Enrollment.id.in_(ids))
        .order_by(Enrollment.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    held = [e for e in rows if e.status == "active" and e.lease_owner == owner]
    for enrollment in held:
        # Claimed moments ago, most of the time: renewing would be one UPDATE per step.
        if enrollment.lease_until is None or enrollment.lease_until - now < lease / 2:
            enrollment.lease_until = now + lease
    return held


def release_many(session: Session, ids: list[int], owner: str) -> None:
    """Give back leases never worked on (a stopping worker)."""
    session.execute(
        update(Enrollment)
        .where(Enrollment.id.in_(ids), Enrollment.lease_owner == owner)
        .values(lease_owner=None, lease_until=None)
    )
