"""Audit trail: every write records who did it and what changed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, and_, cast, func, or_, select
from sqlalchemy.orm import Session

from service.db import unit_of_work
from service.db.bulk import insert_many
from service.db.unit_of_work import TransactionState, UnitOfWork
from service.models import AuditEntry, Email, Enrollment, Site


def _jsonable(value):
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def log(
    session: Session,
    site: Site,
    actor: int,
    action: str,
    resource_type: str,
    resource_id,
    changes: dict | None,
    now: datetime,
) -> None:
    """Append one audit entry in the caller's transaction (inside logging_once(): with
    the others of the batch, at its end)."""
    row = {
        **entry(site, actor, action, resource_type, now),
        "resource_id": None if resource_id is None else str(resource_id),
        "changes": {k: _jsonable(v) for k, v in (changes or {}).items()} or None,
    }
    later = ROWS_TO_LOG.peek(session)
    if later is not None:
        later.append(row)
    else:
        session.add(AuditEntry(**row))


# Entries waiting for the end of a batch (logging_once).
ROWS_TO_LOG: TransactionState[list[dict]] = TransactionState(list)


def logging_once(session: Session):
    """Inside: log() entries wait, and go in one INSERT at the end (a chunk of steps
    reserves one email a step, each flushed by itself for its id: its entry went with
    the next step's flush, one INSERT a step)."""
    return unit_of_work.collecting(session, ROWS_TO_LOG, _insert_entries)


def _insert_entries(session: Session, rows: list[dict]) -> None:
    insert_many(session, AuditEntry, rows)


def entry(site: Site, actor: int, action: str, resource_type: str, now: datetime) -> dict:
    """The values every entry of one bulk write shares (the rest: resource_id, changes)."""
    return {
        "site_id": site.id,
        "user_id": actor,
        "action": action,
        "resource_type": resource_type,
        "created_at": now,
    }


def log_many(
    session: Session,
    site: Site,
    actor: int,
    action: str,
    resource_type: str,
    entries: list[tuple[int, dict]],
    now: datetime,
) -> None:
    """Append one entry per (resource_id, changes) in one INSERT (bulk actions, imports)."""
    if entries:
        insert_many(
            session,
            AuditEntry,
            [
                {
                    **entry(site, actor, action, resource_type, now),
                    "resource_id": str(resource_id),
                    "changes": {k: _jsonable(v) for k, v in changes.items()} or None,
                }
                for resource_id, changes in entries
            ],
        )


def apply_changes(entity, values: dict) -> dict:
    """Set attributes that differ; return {field: [old, new]} for the audit trail."""
    changed = {}
    for field, new in values.items():
        old = getattr(entity, field)
        if old != new:
            setattr(entity, field, new)
            changed[field] = [_jsonable(old), _jsonable(new)]
    return changed


def about_card(site: Site, opportunity_id: int):
    """Entries of one card: its own, its emails' and its enrollments'."""
    emails = select(cast(Email.id, String)).where(
        Email.site_id == site.id, Email.opportunity_id == opportunity_id
    )
    enrollments = select(cast(Enrollment.id, String)).where(
        Enrollment.site_id == site.id, Enrollment.opportunity_id == opportunity_id
    )
    kind, rid = AuditEntry.resource_type, AuditEntry.resource_id
    return or_(
        and_(kind == "opportunity", rid == str(opportunity_id)),
        and_(kind == "email", rid.in_(emails)),
        and_(kind == "enrollment", rid.in_(enrollments)),
    )


def page(
    uow: UnitOfWork, site: Site, number: int, size: int, opportunity_id: int | None = None
) -> tuple[list[AuditEntry], int]:
    """One page of the site's trail, newest first, and the total (of one card if given):
    the audit trail's one use case (`uow`: the caller's unit of work)."""
    session = uow.session
    where = [AuditEntry.site_id == site.id]
    if opportunity_id is not None:
        where.append(about_card(site, opportunity_id))
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*where))
    items = session.scalars(
        select(AuditEntry)
        .where(*where)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(size)
        .offset((number - 1) * size)
    )
    return list(items), total or 0
