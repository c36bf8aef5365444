"""What a card shows of its emails: emails_sent, last_emailed_at, email_status, and its
move to Reached once an email to it is known to have gone out."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from itertools import groupby
from operator import itemgetter

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from service.db import unit_of_work
from service.db.bulk import is_postgresql, one_of_param
from service.db.unit_of_work import TransactionState
from service.domain import events
from service.domain.cards import changes
from service.domain.cards.board import append_to, lock_board
from service.models import Email, Opportunity, Site

# (site id, card id) proven sent by an event: moved to Reached after commit.
CARDS_TO_REACH: TransactionState[set[tuple[int, int]]] = TransactionState(set)
# Cards whose email_status a batch refreshes once, at its end (refreshing_once).
CARDS_TO_REFRESH: TransactionState[set[int]] = TransactionState(set)


def count_accepted(session: Session, opportunity_id: int, sent_at: datetime) -> None:
    """One more accepted email on the card (in SQL: concurrent sends never lose one)."""
    opp = session.get(Opportunity, opportunity_id)
    opp.emails_sent = Opportunity.emails_sent + 1
    opp.last_emailed_at = max(filter(None, [opp.last_emailed_at, sent_at]))


def confirm_sent(
    session: Session,
    site_id: int,
    email_id: int,
    opportunity_id: int,
    sent_at: datetime,
    now: datetime,
) -> None:
    """An event proved an `unknown` email was sent: count it now, move its card after commit.

    Not in this transaction: it holds email row locks, and the board lock must come
    before row locks, so the move runs in a transaction of its own after the commit.
    """
    count_accepted(session, opportunity_id, sent_at)
    cards = CARDS_TO_REACH.of(session)
    if not cards:
        unit_of_work.of(session).after_commit.append(partial(move_confirmed, cards, now))
    cards.add((site_id, opportunity_id))
    events.publish(
        session, events.EmailSent, site_id=site_id, email_id=email_id, card_id=opportunity_id
    )


def move_confirmed(cards: set[tuple[int, int]], now: datetime, session: Session) -> None:
    """After commit: the cards of emails proven sent move to Reached, as a send would."""
    for site_id, opportunity_id in sorted(cards):
        site, opp = session.get(Site, site_id), session.get(Opportunity, opportunity_id)
        move_to_reached(session, site, opp, 0, now)


def move_to_reached(
    session: Session, site: Site, opp: Opportunity, actor: int, now: datetime
) -> None:
    """New/queued cards move to Reached; a won card stays (status re-read under the lock).

    The board lock is taken before the card row is written, in the same order as every
    other board write, so concurrent sends and moves cannot deadlock on PostgreSQL.
    """
    if opp.deleted_at is not None or opp.status not in ("new", "queued"):
        return
    lock_board(session, site, opp)  # the board's own lock order
    if opp.status in ("new", "queued"):
        append_to(session, site, opp, "reached", actor, now)


def email_accepted(session: Session, site: Site, email: Email, now: datetime) -> None:
    """An email of the card was accepted: it moves to Reached, counts the email, and its
    email_status follows (at once, or once at the end of a batch: refreshing_once)."""
    opp = session.get(Opportunity, email.opportunity_id)
    move_to_reached(session, site, opp, email.created_by, now)
    count_accepted(session, opp.id, email.sent_at)
    later = CARDS_TO_REFRESH.peek(session)
    if later is not None:
        later.add(opp.id)
    else:
        refresh_cards(session, [opp.id])
    events.publish(session, events.EmailSent, site_id=site.id, email_id=email.id, card_id=opp.id)


@contextmanager
def refreshing_once(session: Session) -> Iterator[None]:
    """Inside: a card's email_status is refreshed once at the end, however many of its
    emails are recorded (a chunk of steps)."""
    CARDS_TO_REFRESH.of(session)
    try:
        yield
    finally:
        cards = CARDS_TO_REFRESH.peek(session) or set()
        unit_of_work.of(session).drop_state(CARDS_TO_REFRESH)
    refresh_cards(session, cards)


def refresh_cards(session: Session, opportunity_ids) -> None:
    """Each card's email_status = its latest accepted email's status."""
    ids = sorted(set(opportunity_ids))
    if not ids:
        return
    if is_postgresql(session):
        moved = session.execute(_refresh_statement(), {"ids": ids}).all()
        for site_id, cards in groupby(sorted(moved, key=itemgetter(1)), key=itemgetter(1)):
            changes.mark_cards(session, [i for i, _ in cards], site_id)  # board deltas
        _expire_status(session, [i for i, _ in moved])
        return
    latest = (
        select(func.max(Email.id))
        .where(Email.opportunity_id.in_(ids), Email.send_state == "sent")
        .group_by(Email.opportunity_id)
    )
    rows = session.execute(
        select(Opportunity.id, Opportunity.email_status, Email.status)
        .join(Email, Email.opportunity_id == Opportunity.id)
        .where(Email.id.in_(latest))
    ).all()
    todo = [{"b_id": i, "email_status": new} for i, old, new in sorted(rows) if old != new]
    if not todo:
        return
    table = Opportunity.__table__
    session.execute(update(table).where(table.c.id == bindparam("b_id")), todo)
    changes.mark_cards(session, [r["b_id"] for r in todo])  # board deltas
    _expire_status(session, [r["b_id"] for r in todo])


@functools.cache
def _refresh_statement():
    """PostgreSQL: read each card's latest accepted email, lock the cards whose status it
    moves (in id order: a global lock order), update them, return (id, site_id): one round
    trip where a 500-event open batch spent three (a read, an executemany of ~100 UPDATEs,
    and the board marks' site lookup at commit)."""
    email, card = Email.__table__, Opportunity.__table__
    newest = (
        select(func.max(email.c.id))
        .where(one_of_param(True, email.c.opportunity_id, "ids"), email.c.send_state == "sent")
        .group_by(email.c.opportunity_id)
    )
    latest = (
        select(email.c.opportunity_id, email.c.status).where(email.c.id.in_(newest)).cte("latest")
    )
    locked = (
        select(card.c.id)
        .join(latest, latest.c.opportunity_id == card.c.id)
        .where(card.c.email_status.is_distinct_from(latest.c.status))
        .order_by(card.c.id)
        .with_for_update(of=card, key_share=True)
        .cte("locked")
    )
    return (
        update(card)
        .where(card.c.id == locked.c.id, latest.c.opportunity_id == card.c.id)
        .values(email_status=latest.c.status)
        .returning(card.c.id, card.c.site_id)
    )


def _expire_status(session: Session, card_ids) -> None:
    for card_id in card_ids:  # an ORM copy in this session would now be stale
        obj = session.identity_map.get(identity_key(Opportunity, card_id))
        if obj is not None:
            session.expire(obj, ["email_status"])
