"""What a card shows of its emails: emails_sent, last_emailed_at, email_status, and its
move to Reached once an email to it is known to have gone out."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from service.db import unit_of_work
from service.domain.opportunities import changes, writes
from service.models import Email, Opportunity, Site


def count_accepted(session: Session, opportunity_id: int, sent_at: datetime) -> None:
    """One more accepted email on the card (in SQL: concurrent sends never lose one)."""
    opp = session.get(Opportunity, opportunity_id)
    opp.emails_sent = Opportunity.emails_sent + 1
    opp.last_emailed_at = max(filter(None, [opp.last_emailed_at, sent_at]))


def confirm_sent(
    session: Session, site_id: int, opportunity_id: int, sent_at: datetime, now: datetime
) -> None:
    """An event proved an `unknown` email was sent: count it now, move its card after commit.

    Not in this transaction: it holds email row locks, and the board lock must come
    before row locks, so the move runs in a transaction of its own after the commit.
    """
    count_accepted(session, opportunity_id, sent_at)
    uow = unit_of_work.of(session)
    if not uow.cards_to_reach:
        uow.after_commit.append(partial(move_confirmed, uow.cards_to_reach, now))
    uow.cards_to_reach.add((site_id, opportunity_id))


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
    writes.lock_board(session, site, opp)  # the board's own lock order
    if opp.status in ("new", "queued"):
        writes.append_to(session, site, opp, "reached", actor, now)


def refresh_cards(session: Session, opportunity_ids) -> None:
    """Each card's email_status = its latest accepted email's status (executemany UPDATE)."""
    ids = sorted(set(opportunity_ids))
    if not ids:
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
    for r in todo:
        obj = session.identity_map.get(identity_key(Opportunity, r["b_id"]))
        if obj is not None:
            session.expire(obj, ["email_status"])
