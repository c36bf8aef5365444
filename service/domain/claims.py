"""Leases on due enrollments: which scheduler process may work on which enrollment."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from service.models import Enrollment


def _claimable(now: datetime):
    return (Enrollment.status == "active", Enrollment.next_step_at <= now,
            or_(Enrollment.lease_until.is_(None), Enrollment.lease_until < now))


def claim_due(session: Session, owner: str, now: datetime, lease: timedelta,
              batch: int) -> list[int]:
    """Lease up to `batch` due enrollments to `owner`; the caller commits at once.

    PostgreSQL: FOR UPDATE SKIP LOCKED lets racing schedulers take disjoint rows without
    waiting; SQLite: every transaction is BEGIN IMMEDIATE, so claims are serialised.
    """
    query = (select(Enrollment.id).where(*_claimable(now))
             .order_by(Enrollment.next_step_at, Enrollment.id).limit(batch))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = list(session.scalars(query))
    if not ids:
        return []
    session.execute(update(Enrollment).where(Enrollment.id.in_(ids), *_claimable(now))
                    .values(lease_owner=owner, lease_until=now + lease)
                    .execution_options(synchronize_session=False))
    return ids


def hold(session: Session, enrollment_id: int, owner: str, now: datetime,
         lease: timedelta) -> Enrollment | None:
    """Lock the enrollment row and renew our lease; None if it is no longer ours to work on."""
    enrollment = session.scalar(select(Enrollment).where(Enrollment.id == enrollment_id)
                                .with_for_update().execution_options(populate_existing=True))
    if enrollment is None or enrollment.status != "active" or enrollment.lease_owner != owner:
        return None
    enrollment.lease_until = now + lease
    return enrollment
