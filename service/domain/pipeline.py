"""Opportunities and the board: create, edit, move, notes, delete, search."""
from __future__ import annotations

import hashlib
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import DateTime, func, or_, select, text, type_coerce, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.db import UTCDateTime
from service.domain import audit, enrollments
from service.domain.errors import Conflict, Invalid, require
from service.models import Opportunity, Site
from service.models.opportunity import STATUSES

BOARD_LOCK_CLASS = 0x0B0A  # pg advisory-lock namespace: positions of one site's board
EDITABLE = ("source_url", "target_url", "anchor_text", "contact_email", "lost_link", "notes")


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
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:c, :s)"),
                        {"c": BOARD_LOCK_CLASS, "s": site.id})
    if opp is not None and opp.id is not None:
        session.flush()
        session.refresh(opp, ["status", "position"])


def get(session: Session, site: Site, opportunity_id: int) -> Opportunity:
    """A live opportunity of this site, or NotFound (deleted and foreign ids alike)."""
    opp = session.scalar(select(Opportunity).where(
        Opportunity.id == opportunity_id, Opportunity.site_id == site.id,
        Opportunity.deleted_at.is_(None)))
    return require(opp, "Opportunity")


def _find_duplicate(session: Session, site: Site, key: str, exclude_id=None):
    q = select(Opportunity.id).where(Opportunity.site_id == site.id,
                                     Opportunity.dedupe_key == key)
    if exclude_id is not None:
        q = q.where(Opportunity.id != exclude_id)
    return session.scalar(q)


def _duplicate_error(existing_id: int) -> Conflict:
    return Conflict("An opportunity with this source URL and target URL already exists.",
                    id=existing_id)


def _next_position(session: Session, site: Site, status: str) -> int:
    top = session.scalar(select(func.max(Opportunity.position)).where(
        Opportunity.site_id == site.id, Opportunity.status == status,
        Opportunity.deleted_at.is_(None)))
    return 0 if top is None else top + 1


def create(session: Session, site: Site, values: dict, actor: int, now: datetime) -> Opportunity:
    """Add an opportunity at the end of its column; 409 with the existing id on a duplicate."""
    status = values.get("status") or "new"
    lock_board(session, site)
    key = dedupe_key(values["source_url"], values.get("target_url"))
    existing = _find_duplicate(session, site, key)
    if existing is not None:
        raise _duplicate_error(existing)
    opp = Opportunity(site_id=site.id, status=status, domain=domain_of(values["source_url"]),
                      dedupe_key=key, position=_next_position(session, site, status),
                      lost_link=False, notes="", emails_sent=0, created_at=now,
                      updated_at=now, status_changed_at=now)
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
    audit.record(session, site, actor, "opportunity.create", "opportunity", opp.id,
                 {f: getattr(opp, f) for f in ("status",) + EDITABLE}, now)
    return opp


def update_fields(session: Session, site: Site, opp: Opportunity, values: dict, actor: int,
                  now: datetime) -> Opportunity:
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
        raise _duplicate_error(_find_duplicate(session, site, fields["dedupe_key"],
                                               exclude_id=opp.id)) from None
    changed.pop("dedupe_key", None)
    if changed:
        opp.updated_at = now
        audit.record(session, site, actor, "opportunity.update", "opportunity", opp.id,
                     changed, now)
    if status is not None or position is not None:
        move(session, site, opp, status or opp.status, position, actor, now)
    session.flush()
    return opp


def _close_gap(session: Session, site: Site, status: str, position: int, leaving_id: int):
    """Shift the cards after a leaving card up by one, so positions stay 0..n-1."""
    _shift(session, site, status, -1, leaving_id, position + 1)


def _shift(session: Session, site: Site, status: str, by: int, leaving_id: int,
           start: int, end: int | None = None) -> None:
    """Add `by` to the positions in [start, end] of one column (one UPDATE, no loading)."""
    where = [Opportunity.site_id == site.id, Opportunity.status == status,
             Opportunity.deleted_at.is_(None), Opportunity.id != leaving_id,
             Opportunity.position >= start]
    if end is not None:
        where.append(Opportunity.position <= end)
    session.execute(update(Opportunity).where(*where)
                    .values(position=Opportunity.position + by))


def move(session: Session, site: Site, opp: Opportunity, status: str, position: int | None,
         actor: int, now: datetime) -> Opportunity:
    """Move a card to any column, at `position` (or the end), with a constant number of
    statements: the cards it passes shift by one, nothing else is loaded or rewritten."""
    if status not in STATUSES:
        raise Invalid("Unknown status.", {"status": [f"Must be one of: {', '.join(STATUSES)}."]})
    lock_board(session, site, opp)
    old_status, old_position = opp.status, opp.position
    others = session.scalar(select(func.count()).where(
        Opportunity.site_id == site.id, Opportunity.status == status,
        Opportunity.deleted_at.is_(None), Opportunity.id != opp.id))
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
    audit.record(session, site, actor, "opportunity.move", "opportunity", opp.id,
                 {"status": [old_status, status], "position": [old_position, index]}, now)
    session.flush()
    return opp


def set_notes(session: Session, site: Site, opp: Opportunity, notes: str, actor: int,
              now: datetime) -> Opportunity:
    """Replace the notes of a card."""
    if opp.notes != notes:
        audit.record(session, site, actor, "opportunity.notes", "opportunity", opp.id,
                     {"notes": [len(opp.notes), len(notes)]}, now)
        opp.notes = notes
        opp.updated_at = now
    session.flush()
    return opp


def delete(session: Session, site: Site, opp: Opportunity, actor: int, now: datetime) -> None:
    """Take a card off the board; its emails stay for the metrics and the audit trail."""
    lock_board(session, site, opp)
    enrollments.stop_active(session, opp, "deleted", now)
    opp.deleted_at = now
    opp.dedupe_key = None
    opp.updated_at = now
    _close_gap(session, site, opp.status, opp.position, opp.id)
    audit.record(session, site, actor, "opportunity.delete", "opportunity", opp.id,
                 {"source_url": opp.source_url}, now)
    session.flush()


def _search(q: str | None):
    if not q or not q.strip():
        return None
    escaped = q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped.lower()}%"
    return or_(*(func.lower(func.coalesce(col, "")).like(pattern, escape="\\")
                 for col in (Opportunity.source_url, Opportunity.anchor_text,
                             Opportunity.notes)))


def _live(site: Site, status: str | None = None, q: str | None = None):
    query = select(Opportunity).where(Opportunity.site_id == site.id,
                                      Opportunity.deleted_at.is_(None))
    if status:
        query = query.where(Opportunity.status == status)
    condition = _search(q)
    return query if condition is None else query.where(condition)


def list_page(session: Session, site: Site, status: str | None, q: str | None, page: int,
              page_size: int) -> tuple[list[Opportunity], int]:
    """One page of opportunities, newest first, and the total count."""
    query = _live(site, status, q)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    items = session.scalars(query.order_by(Opportunity.created_at.desc(), Opportunity.id.desc())
                            .limit(page_size).offset((page - 1) * page_size)).all()
    return list(items), total or 0


CARD_FIELDS = ("id", "status", "source_url", "domain", "target_url", "anchor_text",
               "contact_email", "lost_link", "notes", "position", "email_status", "emails_sent",
               "last_emailed_at", "created_at", "updated_at", "status_changed_at")


def board_cards(session: Session, site: Site, q: str | None) -> dict:
    """The kanban as plain dicts of card fields: the hot path for sites with many cards.

    Datetimes come back naive UTC, straight from the driver: converting 20,000 of them to
    aware values one Python call at a time was a quarter of the board's time; the caller
    serialises them as UTC (orjson OPT_NAIVE_UTC).
    """
    query = _live(site, None, q).with_only_columns(*(
        type_coerce(column, DateTime()) if isinstance(column.type, UTCDateTime) else column
        for column in (getattr(Opportunity, name) for name in CARD_FIELDS)))
    columns: dict[str, list] = {s: [] for s in STATUSES}
    for row in session.execute(query.order_by(Opportunity.status, Opportunity.position,
                                              Opportunity.id)):
        card = dict(zip(CARD_FIELDS, row, strict=True))
        columns[card["status"]].append(card)
    return {"columns": columns, "counts": {s: len(c) for s, c in columns.items()}}


def board(session: Session, site: Site, q: str | None) -> dict:
    """The whole kanban: columns of cards in position order, with counts."""
    cards = session.scalars(_live(site, None, q).order_by(
        Opportunity.status, Opportunity.position, Opportunity.id)).all()
    columns: dict[str, list] = {s: [] for s in STATUSES}
    for card in cards:
        columns[card.status].append(card)
    return {"columns": columns, "counts": {s: len(c) for s, c in columns.items()}}
