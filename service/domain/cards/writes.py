"""Writes of one card: create, edit, move, notes, delete (positions: board.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.domain import audit, events
from service.domain.cards import project_ref
from service.domain.cards.board import (
    close_gap,
    lock_board,
    log_move,
    next_position,
    renumber,
    shift,
)
from service.domain.cards.duplicates import dedupe_key, domain_of
from service.domain.cards.fields import EDITABLE, metric_values, new_card
from service.domain.errors import Conflict, Invalid
from service.models import Opportunity, Site
from service.models.opportunity import STATUSES


def _find_duplicate(session: Session, site: Site, key: str, exclude_id=None):
    q = select(Opportunity.id).where(Opportunity.site_id == site.id, Opportunity.dedupe_key == key)
    if exclude_id is not None:
        q = q.where(Opportunity.id != exclude_id)
    return session.scalar(q)


def _duplicate_error(existing_id: int) -> Conflict:
    return Conflict(
        "An opportunity with this source URL and target URL already exists.", id=existing_id
    )


def create(
    session: Session,
    site: Site,
    values: dict,
    actor: int,
    now: datetime,
    origin: str = "manual",
) -> Opportunity:
    """Add an opportunity at the end of its column; 409 with the existing id on a duplicate."""
    status = values.get("status") or "new"
    project_ref.check(session, site, values.get("project_id"))
    lock_board(session, site)
    key = dedupe_key(values["source_url"], values.get("target_url"))
    existing = _find_duplicate(session, site, key)
    if existing is not None:
        raise _duplicate_error(existing)
    position = next_position(session, site, status)
    opp = Opportunity(**new_card(site.id, values, position=position, now=now, origin=origin))
    try:
        with session.begin_nested():
            session.add(opp)
            session.flush()
    except IntegrityError:
        # A concurrent create won the race; answer like the sequential case.
        raise _duplicate_error(_find_duplicate(session, site, key)) from None
    audit.log(
        session,
        site,
        actor,
        "opportunity.create",
        "opportunity",
        opp.id,
        {f: getattr(opp, f) for f in ("status",) + EDITABLE},
        now,
    )
    events.publish(session, events.CardsCreated, site_id=site.id, card_ids=(opp.id,), origin=origin)
    return opp


def update_fields(
    session: Session, site: Site, opp: Opportunity, values: dict, actor: int, now: datetime
) -> Opportunity:
    """PATCH: change editable fields (and status/position through move)."""
    status, position = values.pop("status", None), values.pop("position", None)
    fields = {k: v for k, v in values.items() if k in EDITABLE}
    if "notes" in fields and fields["notes"] is None:
        fields["notes"] = ""
    if "project_id" in fields:
        project_ref.check(session, site, fields["project_id"])
    if "metrics" in fields:  # the keys given change, null clears all (docs/api.md §20)
        fields.update(metric_values(fields.pop("metrics"), opp.metrics))
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
        audit.log(session, site, actor, "opportunity.update", "opportunity", opp.id, changed, now)
    if status is not None or position is not None:
        move(session, site, opp, status or opp.status, position, actor, now)
    session.flush()
    return opp


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
            shift(session, site, status, -1, opp.id, old_position + 1, index)
        elif index < old_position:
            shift(session, site, status, +1, opp.id, index, old_position - 1)
    else:
        close_gap(session, site, old_status, old_position, opp.id)
        if index < others:
            shift(session, site, status, +1, opp.id, index)
        opp.status = status
        opp.status_changed_at = now
        events.publish(
            session, events.CardsMoved, site_id=site.id, card_ids=(opp.id,), status=status, at=now
        )
    opp.position = index
    opp.updated_at = now
    log_move(session, site, actor, opp, (old_status, old_position), now)
    session.flush()
    return opp


def set_notes(
    session: Session, site: Site, opp: Opportunity, notes: str, actor: int, now: datetime
) -> Opportunity:
    """Replace the notes of a card."""
    if opp.notes != notes:
        audit.log(
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
    events.publish(session, events.CardsDeleted, site_id=site.id, card_ids=(opp.id,), at=now)
    opp.deleted_at = now
    opp.dedupe_key = None
    opp.updated_at = now
    close_gap(session, site, opp.status, opp.position, opp.id)
    audit.log(
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
