"""Request-scoped access to the unit of work, the signed principal and the clock."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, g
from sqlalchemy.orm import Session

from service.db.unit_of_work import UnitOfWork
from service.models import Site


def runtime():
    """The process-wide Runtime of the current app."""
    return current_app.extensions["outreach"]


def unit() -> UnitOfWork:
    """The request's unit of work, opened on first use and closed at teardown."""
    if "uow" not in g:
        g.uow = UnitOfWork.open(runtime().session_factory)
    return g.uow


def db() -> Session:
    """The request's session (its unit of work's)."""
    return unit().session


def now() -> datetime:
    """The current time from the injectable clock (fixed for the whole request)."""
    if "now" not in g:
        g.now = runtime().clock.now()
    return g.now


def current_site() -> Site:
    """The site whose key signed this request."""
    return g.signed_site  # read with the key, in this request's session


def actor() -> int:
    """The acting WordPress user id (0 for a system call)."""
    return g.principal.user_id


def commit() -> None:
    """The request boundary commits (then after-commit actions run); domain code only flushes."""
    unit().commit()


def close_session(_exc=None) -> None:
    """Roll back anything uncommitted and release the connection."""
    uow = g.pop("uow", None)
    if uow is not None:
        uow.close()
