"""What a request hands to the use cases: its unit of work, the signed site and user, the
time, and the process's ports (mail, link fetchers, clock)."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, g

from service.db.unit_of_work import UnitOfWork
from service.domain.ports import Clock, MailPort
from service.models import Site


def runtime():
    """The process-wide Runtime of the current app."""
    return current_app.extensions["outreach"]


def uow() -> UnitOfWork:
    """The request's unit of work, opened on first use and closed at teardown (the use
    cases begin and commit its transactions)."""
    if "uow" not in g:
        g.uow = UnitOfWork.open(runtime().session_factory)
    return g.uow


def now() -> datetime:
    """The current time from the injectable clock (fixed for the whole request)."""
    if "now" not in g:
        g.now = runtime().clock.now()
    return g.now


def clock() -> Clock:
    """The injectable clock, for use cases whose steps take time (a send, then its record)."""
    return runtime().clock


def mail() -> MailPort:
    """The process's mail port (SendGrid or the local outbox, with unsubscribe links)."""
    return runtime().mailer


def fetchers():
    """The process's page fetchers of link checks (a person's, and the scheduler's)."""
    return runtime().links


def current_site() -> Site:
    """The site whose key signed this request."""
    return g.signed_site  # read with the key, in this request's session


def actor() -> int:
    """The acting WordPress user id (0 for a system call)."""
    return g.principal.user_id


def close_session(_exc=None) -> None:
    """Roll back anything uncommitted and release the connection."""
    unit = g.pop("uow", None)
    if unit is not None:
        unit.close()
