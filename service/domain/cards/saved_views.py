"""Saved board views (docs/api.md §20): each WordPress user's named board queries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.domain.errors import Conflict, require
from service.models import SavedView, Site

MAX_VIEWS = 50  # per person and site: a pick list, not a store


def mine(session: Session, site: Site, user_id: int) -> list[SavedView]:
    """The person's views, by name."""
    return list(
        session.scalars(
            select(SavedView)
            .where(SavedView.site_id == site.id, SavedView.user_id == user_id)
            .order_by(SavedView.name, SavedView.id)
        )
    )


def add(session: Session, site: Site, user_id: int, name: str, query: dict, now: datetime):
    """A new view; 409 when the person has one of that name (its id) or has MAX_VIEWS."""
    owned = (SavedView.site_id == site.id, SavedView.user_id == user_id)
    existing = session.scalar(select(SavedView.id).where(*owned, SavedView.name == name))
    if existing is not None:
        raise Conflict("You already have a view with this name.", id=existing)
    if session.scalar(select(func.count()).where(*owned)) >= MAX_VIEWS:
        raise Conflict(f"You have {MAX_VIEWS} saved views: delete one first.")
    view = SavedView(site_id=site.id, user_id=user_id, name=name, query=query, created_at=now)
    try:
        with session.begin_nested():
            session.add(view)
            session.flush()
    except IntegrityError:  # a second tab saved the same name at the same moment
        raise Conflict("You already have a view with this name.") from None
    return view


def remove(session: Session, site: Site, user_id: int, view_id: int) -> None:
    """Delete one of the person's views (another person's is not found)."""
    view = session.scalar(
        select(SavedView).where(
            SavedView.id == view_id, SavedView.site_id == site.id, SavedView.user_id == user_id
        )
    )
    session.delete(require(view, "View"))
    session.flush()
