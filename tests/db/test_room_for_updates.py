"""Emails and cards leave room on their pages (service/db/engine.ROOM_FOR_UPDATES,
migration 0021): an event's update of a row on a page filled since stays in place (HOT),
adding nothing to the table's indexes."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select, text, update

from service.models import Email, Opportunity
from tests.support.databases import backend
from tests.support.state import saved_cards

pytestmark = pytest.mark.skipif(backend() != "postgres", reason="a PostgreSQL storage setting")


def in_place_updates(session, table: str) -> int:
    """This transaction's HOT updates of `table` (counted at once, unlike pg_stat_*)."""
    return session.scalar(text(f"SELECT pg_stat_get_xact_tuples_hot_updated('{table}'::regclass)"))


def test_the_migration_leaves_a_fifth_of_each_page_free(session):
    options = dict(
        session.execute(
            text(
                "SELECT relname, reloptions FROM pg_class"
                " WHERE relname IN ('emails', 'opportunities')"
            )
        ).all()
    )
    assert options == {"emails": ["fillfactor=80"], "opportunities": ["fillfactor=80"]}


def test_an_event_on_an_email_of_a_full_page_updates_it_in_place(session, site_key, clock):
    """The first of 60 emails (~9 a page) sits on a page filled after it: with every page
    filled to the brim its update would move it, a HOT update count of 0."""
    now = clock.now()
    card = saved_cards(session, site_key.site_id, 1, "hot", now)[0]
    row = {
        "site_id": site_key.site_id,
        "opportunity_id": card.id,
        "subject": "About your page",
        "text_body": "Hello " * 40,
        "html_body": "<p>" + "Hello " * 40 + "</p>",
        "send_state": "sent",
        "status": "delivered",
        "created_by": 1,
        "created_at": now,
        "sent_at": now,
    }
    rows = [
        {**row, "to_email": f"e{n}@x.example", "to_normalized": f"e{n}@x.example"}
        for n in range(60)
    ]
    first = session.scalars(insert(Email).returning(Email.id), rows).all()[0]
    session.commit()
    pages = session.scalar(text("SELECT count(DISTINCT (ctid::text::point)[0]) FROM emails"))
    assert pages >= 5, pages  # the first page is full (to its fill factor)
    session.execute(update(Email).where(Email.id == first).values(status="opened", opened_at=now))
    assert in_place_updates(session, "emails") == 1
    assert session.scalar(select(Email.status).where(Email.id == first)) == "opened"
    session.rollback()


def test_a_cards_email_status_update_stays_in_place(session, site_key, clock):
    cards = saved_cards(session, site_key.site_id, 120, "room", clock.now())
    session.commit()
    session.execute(
        update(Opportunity).where(Opportunity.id == cards[0].id).values(email_status="opened")
    )
    assert in_place_updates(session, "opportunities") == 1
    session.rollback()
