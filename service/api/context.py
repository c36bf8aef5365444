"""Request-scoped access to the session, the signed principal and the clock."""
from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app, g
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from service.domain import sending
from service.models import Site

log = logging.getLogger("outreach.api")


def runtime():
    """The process-wide Runtime of the current app."""
    return current_app.extensions["outreach"]


def db() -> Session:
    """The request's session, opened on first use and closed at teardown."""
    if "db" not in g:
        g.db = runtime().session_factory()
    return g.db


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
    """The request boundary commits; domain code only flushes."""
    db().commit()


def close_session(_exc=None) -> None:
    """Roll back anything uncommitted and release the connection."""
    session = g.pop("db", None)
    if session is not None:
        session.rollback()
        session.close()


def move_confirmed_cards() -> None:
    """After commit: cards of emails an event proved sent move to Reached, in a transaction
    of their own (best effort: the email's state is already committed)."""
    session = db()
    if not session.info.get("confirmed_cards"):
        return
    try:
        sending.move_confirmed_cards(session, now())
        session.commit()
    except DBAPIError:
        session.rollback()
        log.warning("cards of confirmed emails could not be moved to Reached", exc_info=True)
