"""How sequences react to what other features announce (service/domain/registry.py
subscribes them): a card won or deleted, an address on the do-not-contact list."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.domain import events
from service.domain.deliverability import listing
from service.domain.sequences import enrollments


def card_moved(session: Session, moved: events.CardsMoved) -> None:
    """A won card's sequence stops (`won`): the link is there, nothing more to ask."""
    if moved.status == "won":
        enrollments.stop_active(session, moved.card_ids, "won", moved.at)


def card_deleted(session: Session, deleted: events.CardsDeleted) -> None:
    """A deleted card's sequence stops (`deleted`)."""
    enrollments.stop_active(session, deleted.card_ids, "deleted", deleted.at)


def suppression_added(session: Session, added: events.SuppressionAdded) -> None:
    """Every active enrollment towards what the new entry covers stops (`suppressed`)."""
    for enrollment in listing.covered_enrollments(session, added.site_id, added.kind, added.value):
        enrollments.stop(enrollment, "suppressed", added.at)
    session.flush()


SUBSCRIPTIONS = (
    (events.CardsMoved, card_moved),
    (events.CardsDeleted, card_deleted),
    (events.SuppressionAdded, suppression_added),
)
