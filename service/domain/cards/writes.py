"""Opportunities and the board: create, edit, move, notes, delete, search."""

from __future__ import annotations

import hashlib
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.db import unit_of_work
from service.db.bulk import is_postgresql
from service.domain import audit
from service.domain.errors import Conflict, Invalid
from service.domain.opportunities import (
    changes,
    duplicates,  # noqa: F401 (its listener sets source_key)
)
from service.domain.sequences import enrollments
from service.models import Opportunity, Site
from service.models.opportunity import STATUSES

BOARD_LOCK_CLASS = 0x0B0A  # pg advisory-lock namespace: positions of one site's board
EDITABLE = (
    "source_url",
    "target_url",
    "anchor_text",
    "contact_email",
    "contact_name",
    "lost_link",
    "notes",
)


def domain_of(url: str) -> str:
    """Host of a URL, lower case, without a leading `www.`."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def dedupe_key(source_url: str, target_url: str | None) -> str:
    """Identity of an opportunity within a site: the same source and target twice is a dup."""
    return hashlib.sha256(f"{source_url}\n{target_url or ''}".encode()).hexdigest()


def lock_board(session: Session, site: Site, opp: Opportunity | None = None) -> None:
    """Serialise position writes of one site's board until commit, then re-read the card.

    SQLite's BEGIN IMMEDIATE already serialises writers; PostgreSQL needs the lock, or two
    concurrent moves into one column both compute the same position from their snapshot.
    """
    uow = unit_of_work.of(session)
    if site.id not in uow.board_locks and is_postgresql(session):
        session.execute(
            text("SELECT pg_advisory_xact_lock(:c, :s)"), {"c": BOARD_LOCK_CLASS, "s": site.id}
        )
        uow.board_locks.add(site.id)
    if opp is not None and opp.id is not None and opp.id not in uow.fresh_cards:
        session.flush()
        session.refresh(opp, ["status", "position"])


def _find_duplicate(session: Session, site: Site, key: str, exclude_id=None):
    q = select(Opportunity.id).where(Opportunity.site_id == site.id, Opportunity.dedupe_key == key)
    if exclude_id is not None:
        q = q.where(Opportunity.id != exclude_id)
    return session.scalar(q)


def _duplicate_error(existing_id: int) -> Conflict:
    return Conflict(
        "An opportunity with this source URL and target URL already exists.", id=existing_id
    )


def next_position(session: Session, site: Site, status: str) -> int:
    top = session.scalar(
        select(func.max(Opportunity.position)).where(
            Opportunity.site_id == site.id,
            Opportunity.status == status,
            Opportunity.deleted_at.is_(None),
        )
    )
    return 0 if top is None else top + 1


def create(session: Session, site: Site, values: dict, actor: int, now: datetime) -> Opportunity:
    """Add an opportunity at the end of its column; 409 with the existing id on a duplicate."""
    status = values.get("status") or "new"
    lock_board(session, site)
    key = dedupe_key(values["source_url"], values.get("target_url"))
    existing = _find_duplicate(session, site, key)
    if existing is not None:
        raise _duplicate_error(existing)
    opp = Opportunity(
        site_id=site.id,
        status=status,
        domain=domain_of(values["source_url"]),
        dedupe_key=key,
        position=next_position(session, site, status),
        lost_link=False,
        notes="",
        emails_sent=0,
        created_at=now,
        updated_at=now,
        status_changed_at=now,
    )
    for field in EDITABLE:
        if field in values and values[field] is not None:
            setattr(opp, field, values[field])
    try:
        with session.begin_nested():
            session.add(opp)
            session.flush()
    except IntegrityError:
        # A concurrent create won the race; answer like the sequential case.
        raise _duplicate_error(_find_duplicate(session, site, key)) from None
    audit.record(
        session,
        site,
        actor,
        "opportunity.create",
        "opportunity",
        opp.id,
        {f: getattr(opp, f) for f in ("status",) + EDITABLE},
        now,
    )
    return opp


def update_fields(
    session: Session, site: Site, opp: Opportunity, values: dict, actor: int, now: datetime
) -> Opportunity:
    """PATCH: change editable fields (and status/position through move)."""
    status, position = values.pop("status", None), values.pop("position", None)
    fields = {k: v for k, v in values.items() if k in EDITABLE}
    if "notes" in fields and fields["notes"] is None:
        fields["notes"] = ""
    if "source_url" in fields and fields["source_url"] is None:
        raise Invalid("source_url is required.", {"source_url": ["Field may not be null."]})
    if {"source_url", "target_url"} & fields.keys():
        source = fields.get("source_url", opp.source_url)
        target = fields.get("target_url", opp.target_url)
        key = dedupe_key(source, target)
        existing = _find_duplicate(session, site, key, exclude_id=opp.id)
        if existing is not None:
            raise _duplicate_error(existing)
        fields["dedupe_key"] = key
        fields["domain"] = domain_of(source)
    try:
        with session.begin_nested():
            changed = audit.apply_changes(opp, fields)
            session.flush()
    except IntegrityError:
        if "dedupe_key" not in fields:
            raise
        # A concurrent create or patch took these URLs first; answer like the sequential case.
        raise _duplicate_error(
            _find_duplicate(session, site, fields["dedupe_key"], exclude_id=opp.id)
        ) from None
    changed.pop("dedupe_key", None)
    if changed:
        opp.updated_at = now
        audit.record(
            session, site, actor, "opportunity.update", "opportunity", opp.id, changed, now
        )
    if status is not None or position is not None:
        move(session, site, opp, status or opp.status, position, actor, now)
    session.flush()
    return opp


def _close_gap(session: Session, site: Site, status: str, position: int, leaving_id: int):
    """Shift the cards after a leaving card up by one, so positions stay 0..n-1."""
    _shift(session, site, status, -1, leaving_id, position + 1)


def _shift(
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


def append_to(
    session: Session, site: Site, opp: Opportunity, status: str, actor: int, now: datetime
) -> Opportunity:
    """An automatic move (a send moving its card to Reached): to the end of `status`.

    Call it under lock_board(session, site, opp). The card leaves a gap in its old column
    rather than renumbering every card after it (thousands of rows per send on a big
    board); order is all positions promise, and the next user move there closes the gap.
    """
    old = [opp.status, opp.position]
    ends, key = unit_of_work.of(session).column_ends, (site.id, status)
    if key not in ends:  # under the board lock: nobody else appends until we commit
        ends[key] = next_position(session, site, status)
    opp.position = ends[key]
    ends[key] += 1
    opp.status, opp.status_changed_at, opp.updated_at = status, now, now
    audit.record(
        session,
        site,
        actor,
        "opportunity.move",
        "opportunity",
        opp.id,
        {"status": [old[0], status], "position": [old[1], opp.position]},
        now,
    )
    return opp  # flushed with the caller's other changes to the card: one UPDATE


def move(
    session: Session,
    site: Site,
    opp: Opportunity,
    status: str,
    position: int | None,
    actor: int,
    now: datetime,
) -> Opportunity:
    """Move a card to any column, at `position` (or the end), with a constant number of
    statements: the cards it passes shift by one, nothing else is loaded or rewritten."""
    if status not in STATUSES:
        raise Invalid("Unknown status.", {"status": [f"Must be one of: {', '.join(STATUSES)}."]})
    lock_board(session, site, opp)
    renumber(session, site, opp, {opp.status, status})
    old_status, old_position = opp.status, opp.position
    others = session.scalar(
        select(func.count()).where(
            Opportunity.site_id == site.id,
            Opportunity.status == status,
            Opportunity.deleted_at.is_(None),
            Opportunity.id != opp.id,
        )
    )
    index = others if position is None else max(0, min(position, others))
    if status == old_status:
        if index > old_position:
            _shift(session, site, status, -1, opp.id, old_position + 1, index)
        elif index < old_position:
            _shift(session, site, status, +1, opp.id, index, old_position - 1)
    else:
        _close_gap(session, site, old_status, old_position, opp.id)
        if index < others:
            _shift(session, site, status, +1, opp.id, index)
        opp.status = status
        opp.status_changed_at = now
        if status == "won":
            enrollments.stop_active(session, opp, "won", now)
    opp.position = index
    opp.updated_at = now
    audit.record(
        session,
        site,
        actor,
        "opportunity.move",
        "opportunity",
        opp.id,
        {"status": [old_status, status], "position": [old_position, index]},
        now,
    )
    session.flush()
    return opp


def set_notes(
    session: Session, site: Site, opp: Opportunity, notes: str, actor: int, now: datetime
) -> Opportunity:
    """Replace the notes of a card."""
    if opp.notes != notes:
        audit.record(
            session,
            site,
            actor,
            "opportunity.notes",
            "opportunity",
            opp.id,
            {"notes": [len(opp.notes), len(notes)]},
            now,
        )
        opp.notes = notes
        opp.updated_at = now
    session.flush()
    return opp


def delete(session: Session, site: Site, opp: Opportunity, actor: int, now: datetime) -> None:
    """Take a card off the board; its emails stay for the metrics and the audit trail."""
    lock_board(session, site, opp)
    renumber(session, site, opp, {opp.status})
    enrollments.stop_active(session, opp, "deleted", now)
    opp.deleted_at = now
    opp.dedupe_key = None
    opp.updated_at = now
    _close_gap(session, site, opp.status, opp.position, opp.id)
    audit.record(
        session,
        site,
        actor,
        "opportunity.delete",
        "opportunity",
        opp.id,
        {"source_url": opp.source_url},
        now,
    )
    session.flush()
