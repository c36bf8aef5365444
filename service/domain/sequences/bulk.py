"""Sequence actions on many cards, each card on its own: start (each step 1 reserved under
the limits, or queued, in a savepoint of its own: one card refused leaves the others
done), stop."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from service.domain.cards.board import lock_board
from service.domain.cards.bulk import Outcome, live_cards
from service.domain.errors import DomainError, Invalid, NotFound
from service.domain.ports import MailPort
from service.domain.sending import scheduled
from service.domain.sequences import definitions, enrollments, prepare
from service.models import Site


@dataclass
class Started(Outcome):
    """Outcome of a bulk start: the step 1s reserved, to send once they are committed, and
    the cards whose step 1 waits in the sending queue (id, scheduled_for), in request order."""

    steps: list[prepare.Step] = field(default_factory=list)
    queued: list[tuple[int, datetime]] = field(default_factory=list)


def stop_many(session: Session, site: Site, ids: list[int], actor: int, now: datetime) -> Outcome:
    """Stop each card's active sequence (reason `manual`); a card without one fails 404."""
    outcome = Outcome()
    cards = live_cards(session, site, ids, outcome)
    active = enrollments.active_of(session, [c.id for c in cards])
    for card in cards:
        enrollment = active.get(card.id)
        if enrollment is None:
            outcome.failed.append((card.id, NotFound("This opportunity has no active sequence.")))
            continue
        enrollments.stop_audited(session, enrollment, "manual", actor, now)
        outcome.done.append(card.id)
    unqueue(session, site, [c for c in cards if c.id in outcome.done], active, actor, now)
    session.flush()
    return outcome


def unqueue(session: Session, site: Site, cards: list, stopped: dict, actor: int, now):
    """After sequences were stopped by hand: a card the queue put in Queued (its step 1
    never went) and with nothing else waiting goes back to New."""
    cards = [c for c in cards if stopped[c.id].current_step == 0 and c.status == "queued"]
    if not cards:
        return
    session.flush()  # the enrollment rows before the board lock (the lock order)
    for card in cards:
        lock_board(session, site, card)
        scheduled.unqueue_card(session, site, card, actor, now)


def enrol_many(
    session: Session,
    site: Site,
    ids: list[int],
    sequence_id: int,
    to: str | None,
    actor: int,
    owner: str,
    now: datetime,
    mail: MailPort,
) -> Started:
    """Enrol each card and reserve its step 1, or queue it (the caller commits, then sends
    the reserved ones).

    The recipient is `to` when given, else the card's contact_email; a card with neither
    fails. Each card in its own savepoint: a limit, a missing placeholder or an active
    sequence fails that card only.
    """
    outcome = Started()
    sequence = definitions.get(session, site, sequence_id, lock=True)
    for card in live_cards(session, site, ids, outcome):
        recipient = to or card.contact_email
        if not recipient:
            missing = Invalid(
                "This card has no contact email: add one to the card first.",
                {"contact_email": ["Missing."]},
            )
            outcome.failed.append((card.id, missing))
            continue
        try:
            with session.begin_nested():
                step = prepare.enroll(
                    session, site, card, sequence, recipient, actor, owner, now, mail
                )
        except DomainError as exc:
            outcome.failed.append((card.id, exc))
            continue
        if isinstance(step, prepare.Queued):
            outcome.queued.append((card.id, step.scheduled_for))
            continue
        outcome.steps.append(step)
        outcome.done.append(card.id)
    return outcome
