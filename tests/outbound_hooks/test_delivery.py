"""The outbox and its job kind (docs/api.md §17): every event once, signed, in order per
endpoint, retried on the schedule, disabled after 3 days of failures, never held up by
another endpoint."""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from service.db.unit_of_work import UnitOfWork
from service.domain import events
from service.models import AuditEntry, Email
from tests.outbound_hooks.conftest import ALL_EVENTS, TEST_TIMEOUT, add_hook
from tests.outbound_hooks.support import deliveries, endpoint, run_pass
from tests.support.api import create_opp, send

API = "/api/v1/webhooks"


@pytest.fixture
def app_settings(sending_app_settings):
    """Sends go to the fake SendGrid; the receiver is on 127.0.0.1; short attempts."""
    return {
        **sending_app_settings,
        "LINKCHECK_ALLOW_PRIVATE": True,
        "WEBHOOK_TIMEOUT": TEST_TIMEOUT,
    }


def _publish(app, kind, **fields) -> None:
    """An event announced in a transaction of its own (what its feature's use case does)."""
    uow = UnitOfWork.open(app.extensions["outreach"].session_factory)
    with uow:
        events.publish(uow.session, kind, **fields)
        uow.commit()
    uow.close()


def test_each_event_type_arrives_once_signed(app, client, receiver, site_key, session):
    hook = add_hook(client, receiver.plan("all"))
    card = create_opp(client)
    client.post(f"/api/v1/opportunities/{card['id']}/move", json={"status": "queued"})
    assert send(client, card["id"]).status_code == 201  # email.sent, and a move to Reached
    client.post("/api/v1/suppressions", json={"value": "no@thanks.example"})
    email_id = session.scalar(select(Email.id))
    session.commit()
    ids = {"site_id": site_key.site_id}
    _publish(app, events.EmailBounced, **ids, email_id=email_id, card_id=card["id"])
    _publish(
        app, events.ReplyReceived, **ids, email_id=email_id, card_id=card["id"], source="manual"
    )
    _publish(app, events.LinkWon, **ids, card_id=card["id"])
    _publish(app, events.LinkLost, **ids, card_id=card["id"])
    _publish(app, events.SitePaused, **ids, reason="bounce brake")
    counts = run_pass(app)
    got = receiver.at("all")
    assert counts == {"delivered": len(got)} and len(got) == 10
    verified = [r.verified(hook["secret"]) for r in got]  # the official library's check
    assert Counter(e["type"] for e in verified) == {
        **dict.fromkeys(ALL_EVENTS, 1),
        "opportunity.moved": 2,
    }
    assert len({r.webhook_id for r in got}) == len(got)
    by_type = {e["type"]: e["data"] for e in verified}
    assert by_type["opportunity.created"]["source_url"] == card["source_url"]
    assert by_type["email.sent"]["id"] == email_id
    assert by_type["reply.received"]["opportunity_id"] == card["id"]
    assert by_type["suppression.added"]["value"] == "no@thanks.example"
    assert run_pass(app) == {} and len(receiver.at("all")) == 10  # once, not again


def test_only_the_events_asked_for_and_only_active_endpoints(app, client, receiver):
    add_hook(client, receiver.plan("moves"), ["opportunity.moved"])
    off = add_hook(client, receiver.plan("off"), ["opportunity.created"], active=False)
    card = create_opp(client)
    client.post(f"/api/v1/opportunities/{card['id']}/move", json={"status": "won"})
    assert run_pass(app) == {"delivered": 1}
    assert [r.json()["type"] for r in receiver.at("moves")] == ["opportunity.moved"]
    assert receiver.at("off") == [] and off["active"] is False


def test_a_rolled_back_change_writes_no_event(app, client, receiver, site_key, engine):
    add_hook(client, receiver.plan("a"), ["link.won"])
    card = create_opp(client)
    uow = UnitOfWork.open(app.extensions["outreach"].session_factory)
    with uow:
        events.publish(uow.session, events.LinkWon, site_id=site_key.site_id, card_id=card["id"])
        uow.rollback()
    uow.close()
    assert deliveries(engine) == []


def test_fails_twice_then_delivered_exactly_once_more(app, client, receiver, clock):
    hook = add_hook(client, receiver.plan("flaky", [500, 502]), ["opportunity.created"])
    create_opp(client)
    assert run_pass(app) == {"retry": 1}
    assert run_pass(app) == {}  # not before its retry (about 5 s)
    clock.advance(seconds=5)
    assert run_pass(app) == {"retry": 1}
    clock.advance(minutes=4)
    assert run_pass(app) == {}  # the second retry waits about 5 min
    clock.advance(minutes=1)
    assert run_pass(app) == {"delivered": 1}
    clock.advance(hours=30)
    assert run_pass(app) == {}
    posts = receiver.at("flaky")
    assert len(posts) == 3 and len({p.webhook_id for p in posts}) == 1
    assert [p.verified(hook["secret"])["type"] for p in posts] == ["opportunity.created"] * 3
    log = client.get(f"{API}/{hook['id']}/deliveries").get_json()["items"]
    assert [(a["attempt"], a["status_code"]) for a in log] == [(3, 200), (2, 502), (1, 500)]


def test_events_wait_behind_a_failed_one_in_order(app, client, receiver, clock):
    add_hook(client, receiver.plan("ordered", [500]), ["opportunity.created"])
    cards = [create_opp(client, f"https://p{i}.example/")["id"] for i in range(3)]
    assert run_pass(app) == {"retry": 1}
    clock.advance(seconds=5)
    assert run_pass(app) == {"delivered": 3}
    order = [r.json()["data"]["id"] for r in receiver.at("ordered")]
    assert order == [cards[0], cards[0], cards[1], cards[2]]


def test_three_days_of_failures_disable_it_audited(app, client, receiver, clock, session, engine):
    hook = add_hook(client, receiver.plan("dead", [500] * 1000), ["opportunity.created"])
    first = clock.now()
    for i in range(60):
        create_opp(client, f"https://d{i}.example/")
        while (counts := run_pass(app)).get("retry"):
            clock.set(endpoint(engine, hook["id"]).blocked_until)
        if counts.get("disabled"):
            break
        clock.advance(hours=1)  # the schedule ran out for that event: another one comes
    state = endpoint(engine, hook["id"])
    assert state.active is False and "3 days in a row" in state.disabled_reason
    assert timedelta(days=3) <= clock.now() - first < timedelta(days=3, hours=11)
    (entry,) = session.scalars(select(AuditEntry).where(AuditEntry.action == "webhook.disable"))
    assert entry.user_id == 0 and entry.changes["active"] is False
    session.commit()
    shown = client.get(f"{API}/{hook['id']}").get_json()
    assert shown["active"] is False and shown["disabled_reason"] == state.disabled_reason
    posts = len(receiver.at("dead"))
    clock.advance(days=1)
    assert run_pass(app) == {} and len(receiver.at("dead")) == posts
    receiver.plan("dead")  # it works again; switched on, what waited goes out
    assert client.patch(f"{API}/{hook['id']}", json={"active": True}).status_code == 200
    assert run_pass(app).get("delivered")


def test_slack_format_is_one_line_with_the_card_link(app, client, receiver):
    add_hook(client, receiver.plan("slack"), ["opportunity.moved"], format="slack")
    card = create_opp(client, "https://blog.example.org/post")
    client.post(f"/api/v1/opportunities/{card['id']}/move", json={"status": "won"})
    run_pass(app)
    (got,) = receiver.at("slack")
    text = got.json()["text"]
    assert set(got.json()) == {"text"} and "\n" not in text
    assert "Opportunity moved to Won: https://blog.example.org/post" in text
    link = f"https://a.example/wp-admin/admin.php?page=almaseo-outreach&card={card['id']}"
    assert f"<{link}|Open card>" in text


def test_a_slow_endpoint_does_not_hold_up_another(app, client, receiver):
    add_hook(client, receiver.plan("slow", delay=10), ["opportunity.created"])
    add_hook(client, receiver.plan("fast"), ["opportunity.created"])
    create_opp(client)
    started = time.monotonic()
    counts = run_pass(app)
    elapsed = time.monotonic() - started
    assert counts == {"delivered": 1, "retry": 1}
    (fast,) = receiver.at("fast")
    (slow,) = receiver.at("slow")
    assert fast.at - started < TEST_TIMEOUT  # it did not wait for the slow attempt
    assert elapsed < TEST_TIMEOUT + 3  # one bounded attempt, not the endpoint's 10 s
    (failed,) = [d for d in deliveries(app.extensions["outreach"].engine) if d.state == "pending"]
    assert failed.attempts == 1 and slow.webhook_id == failed.webhook_id


def test_deleting_an_endpoint_drops_its_outbox(app, client, receiver, engine):
    hook = add_hook(client, receiver.plan("gone", [500]), ["opportunity.created"])
    create_opp(client)
    run_pass(app)
    assert client.delete(f"{API}/{hook['id']}").status_code == 204
    assert deliveries(engine) == [] and run_pass(app) == {}
