"""Domain events: what happened, announced in the transaction that made it happen.

A feature publishes where the change happens (`publish(session, CardsMoved, ...)`);
subscribers run at once, in the same transaction, so what they write commits or rolls
back with the change that caused it (the webhook outbox to come writes its rows this
way). Another feature reacts to a change without being imported by it: a card moved to
Won stops its sequence, a new do-not-contact entry stops the enrollments it covers
(service/domain/registry.py lists who reacts to what).

Publishing costs one dictionary lookup when nobody subscribes: the event itself is built
only for subscribers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Something that happened to one site's data."""

    site_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CardsCreated(Event):
    """Cards were added to the board (by a person, an import, or a lost backlink)."""

    card_ids: tuple[int, ...]
    origin: str  # manual | import | link_check


@dataclass(frozen=True, slots=True, kw_only=True)
class CardsMoved(Event):
    """Cards went to another column (a reorder inside a column is no move)."""

    card_ids: tuple[int, ...]
    status: str  # the column they are in now
    at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class CardsDeleted(Event):
    """Cards left the board."""

    card_ids: tuple[int, ...]
    at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailSent(Event):
    """The mail provider took an email (or an event later proved it did)."""

    email_id: int
    card_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailBounced(Event):
    """An email bounced (first report of it)."""

    email_id: int
    card_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplyReceived(Event):
    """A prospect answered an email (detected, or marked by hand)."""

    email_id: int
    card_id: int
    source: str  # inbound | manual
    sender: str | None = None  # the From of a detected reply (kept after the event)
    subject: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkWon(Event):
    """A check found the card's page linking to the site: the card moved to Won."""

    card_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkLost(Event):
    """A won link (a card's, or a watched backlink's) is gone: its card is flagged."""

    card_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class SuppressionAdded(Event):
    """An address or a domain went on the do-not-contact list (by hand or unsubscribed)."""

    kind: str  # email | domain
    value: str
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class SitePaused(Event):
    """The site's sends were paused (the bounce brake, or by hand)."""

    reason: str


Handler = Callable[[Session, Event], None]
_handlers: dict[type[Event], tuple[Handler, ...]] = {}


def subscribe(kind: type[Event], handler: Handler) -> None:
    """Run `handler(session, event)` for every `kind` published from now on (once: a second
    subscription of the same handler changes nothing)."""
    known = _handlers.get(kind, ())
    if handler not in known:
        _handlers[kind] = (*known, handler)


def unsubscribe(kind: type[Event], handler: Handler) -> None:
    """Stop running `handler` for `kind` (a test's subscriber, when it is done)."""
    _handlers[kind] = tuple(h for h in _handlers.get(kind, ()) if h != handler)


def wanted(kind: type[Event]) -> bool:
    """Whether anyone subscribes to `kind` (to skip finding events nobody would hear)."""
    return bool(_handlers.get(kind))


def publish(session: Session, event_type: type[Event], /, **fields) -> None:
    """Announce one event in the session's transaction, to each subscriber in turn."""
    handlers = _handlers.get(event_type)
    if handlers:
        happened = event_type(**fields)
        for handler in handlers:
            handler(session, happened)


def publish_about(session: Session, event_type: type[Event], email, /, **fields) -> None:
    """Announce an event about one email row: its site, the email and its card, and
    `fields`."""
    ids = {"site_id": email.site_id, "email_id": email.id, "card_id": email.opportunity_id}
    publish(session, event_type, **ids, **fields)
