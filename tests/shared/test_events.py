"""Domain events: each kind is published once per change, where it happens, and a
subscriber's work commits or rolls back with the change that caused it."""

from __future__ import annotations

import time
from contextlib import closing
from datetime import timedelta

import pytest

from service.db import unit_of_work
from service.db.unit_of_work import TransactionState, UnitOfWork
from service.domain import events
from service.domain.cards import writes
from service.domain.links import checks
from service.domain.links.classify import Found
from service.domain.links.fetch import Page
from service.models import Opportunity, Site
from tests.support.api import API, create_opp, sent_email

KINDS = [
    events.CardsCreated,
    events.CardsMoved,
    events.CardsDeleted,
    events.EmailSent,
    events.EmailBounced,
    events.ReplyReceived,
    events.LinkWon,
    events.LinkLost,
    events.SuppressionAdded,
    events.SitePaused,
]
CSV = "source_url,anchor_text\nhttps://a.example/1,x\nhttps://b.example/2,y\n"


class Subscriber:
    """Keeps what was published, but only once its transaction committed (as an outbox
    row would be kept)."""

    PENDING: TransactionState[list] = TransactionState(list)

    def __init__(self):
        self.seen: list[events.Event] = []

    def __call__(self, session, event: events.Event) -> None:
        pending = self.PENDING.of(session)
        if not pending:
            unit_of_work.of(session).after_commit.append(lambda _s: self.seen.extend(pending))
        pending.append(event)

    def take(self, kind) -> list[events.Event]:
        """The events of one kind seen so far (forgotten after this)."""
        found = [e for e in self.seen if isinstance(e, kind)]
        self.seen = [e for e in self.seen if not isinstance(e, kind)]
        return found


@pytest.fixture
def app_settings():
    return {"ALLOW_UNSIGNED_WEBHOOKS": True}


@pytest.fixture
def seen(app):
    subscriber = Subscriber()
    for kind in KINDS:
        events.subscribe(kind, subscriber)
    yield subscriber
    for kind in KINDS:
        events.unsubscribe(kind, subscriber)


def test_card_changes_each_publish_once(client, seen, site_key):
    first = create_opp(client, "https://one.example/")
    (created,) = seen.take(events.CardsCreated)
    assert created.card_ids == (first["id"],) and created.origin == "manual"
    second = create_opp(client, "https://two.example/")
    assert [e.card_ids for e in seen.take(events.CardsCreated)] == [(second["id"],)]
    client.post(f"{API}/opportunities/{first['id']}/move", json={"status": "new", "position": 1})
    assert seen.take(events.CardsMoved) == []  # a reorder in its column is no move
    client.post(f"{API}/opportunities/{first['id']}/move", json={"status": "won"})
    (moved,) = seen.take(events.CardsMoved)
    assert (moved.card_ids, moved.status, moved.site_id) == (
        (first["id"],),
        "won",
        site_key.site_id,
    )
    body = {"ids": [first["id"], second["id"]], "action": "move", "status": "queued"}
    assert client.post(f"{API}/opportunities/bulk", json=body).status_code == 200
    (bulk,) = seen.take(events.CardsMoved)
    assert set(bulk.card_ids) == {first["id"], second["id"]} and bulk.status == "queued"
    assert client.delete(f"{API}/opportunities/{second['id']}").status_code == 204
    assert [e.card_ids for e in seen.take(events.CardsDeleted)] == [(second["id"],)]


def test_an_import_publishes_its_new_cards_once(client, seen):
    r = client.post(
        f"{API}/opportunities/import", data=CSV.encode(), headers={"Content-Type": "text/csv"}
    )
    assert r.status_code == 200, r.json
    (created,) = seen.take(events.CardsCreated)
    assert len(created.card_ids) == 2 and created.origin == "import"


def test_a_send_a_reply_and_a_bounce_each_publish_once(client, raw, seen):
    email = sent_email(client)
    (sent,) = seen.take(events.EmailSent)
    assert (sent.email_id, sent.card_id) == (email["id"], email["opportunity_id"])
    seen.take(events.CardsMoved)  # the send moved its card to Reached
    for _ in range(2):
        client.post(f"{API}/emails/{email['id']}/replied")
    (replied,) = seen.take(events.ReplyReceived)
    assert (replied.email_id, replied.source) == (email["id"], "manual")
    bounce = {"event": "bounce", "timestamp": int(time.time()), "outreach_email_id": email["id"]}
    for _ in range(2):
        assert raw.post("/sendgrid/webhook", json=[bounce]).status_code == 200
    assert [e.email_id for e in seen.take(events.EmailBounced)] == [email["id"]]


def test_a_suppression_and_a_pause_each_publish_once(client, seen, site_key):
    body = {"value": "example.net", "reason": "manual"}
    assert client.post(f"{API}/suppressions", json=body).status_code == 201
    (added,) = seen.take(events.SuppressionAdded)
    assert (added.kind, added.value, added.reason) == ("domain", "example.net", "manual")
    for _ in range(2):
        assert client.patch(f"{API}/site", json={"paused": True}).status_code == 200
    (paused,) = seen.take(events.SitePaused)
    assert paused.site_id == site_key.site_id


def test_a_won_and_a_lost_link_each_publish_once(app, client, seen, clock):
    card = create_opp(client, "https://linker.example/", status="reached")
    with closing(UnitOfWork.open(app.extensions["outreach"].session_factory)) as uow:
        opp = uow.session.get(Opportunity, card["id"])
        site = uow.session.get(Site, opp.site_id)
        _apply(uow, site, opp, "live", clock.now())
        assert [e.card_id for e in seen.take(events.LinkWon)] == [card["id"]]
        site.link_lost_after = 1
        _apply(uow, site, opp, "missing", clock.now() + timedelta(hours=1))
        assert [e.card_id for e in seen.take(events.LinkLost)] == [card["id"]]


def test_what_a_rolled_back_change_published_is_never_seen(app, site_key, seen, clock):
    with closing(UnitOfWork.open(app.extensions["outreach"].session_factory)) as uow:
        site = uow.session.get(Site, site_key.site_id)
        writes.create(uow.session, site, {"source_url": "https://gone.example/"}, 1, clock.now())
        uow.rollback()
        assert seen.seen == []
        writes.create(uow.session, site, {"source_url": "https://kept.example/"}, 1, clock.now())
        uow.commit()
    assert len(seen.take(events.CardsCreated)) == 1


def test_publishing_without_subscribers_builds_no_event(monkeypatch):
    monkeypatch.setattr(events, "_handlers", {})  # the app's (webhooks hear every kind)
    built = []
    monkeypatch.setattr(events.SitePaused, "__init__", lambda *a, **k: built.append(a))
    events.publish(None, events.SitePaused, site_id=1, reason="x")
    assert built == [] and not events.wanted(events.SitePaused)


def _apply(uow, site, opp, status: str, now) -> None:
    """One link check of the card with this verdict, committed."""
    outcome = checks.Outcome(
        checks.subject_of(opp, site), status, Page(final_url=opp.source_url), Found(status)
    )
    checks.apply(uow.session, site, opp, outcome, "manual", 1, now)
    uow.commit()
