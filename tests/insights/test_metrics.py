"""Metrics on a hand-computed scenario (docs/sending.md, metrics)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from tests.support.api import API, create_opp, send
from tests.support.apps import webhook_url
from tests.support.fake_sendgrid import message_for


@pytest.fixture
def scenario(client, fake_sg, live, clock):
    """Four emails two days ago, four today (one refused, one unknown), events, wins."""
    today = clock.now()
    clock.set(today - timedelta(days=2))
    ids = {}
    for name in ("e1", "e2", "e3", "e4"):
        opp = create_opp(client, source_url=f"https://{name}.example/p")
        ids[name] = send(client, opp["id"], to=f"{name}@x.example").json
    clock.set(today)
    for name in ("e5", "e6"):
        opp = create_opp(client, source_url=f"https://{name}.example/p")
        ids[name] = send(client, opp["id"], to=f"{name}@x.example").json
    opp = create_opp(client, source_url="https://e7.example/p")
    fake_sg.fail_next(400, "bad")
    assert send(client, opp["id"], to="e7@x.example").status_code == 502
    fake_sg.fail_next(500, "oops")
    assert send(client, opp["id"], to="e8@x.example").status_code == 502
    ev = fake_sg.event
    msg = {n: message_for(fake_sg, e["id"]) for n, e in ids.items()}
    batch = [
        ev(msg["e1"], "delivered"),
        ev(msg["e1"], "open"),
        ev(msg["e1"], "click"),
        ev(msg["e2"], "delivered"),
        ev(msg["e2"], "open", sg_machine_open=True),
        ev(msg["e3"], "bounce"),
        ev(msg["e4"], "delivered"),
        ev(msg["e4"], "open"),
        ev(msg["e4"], "open", at=int(time.time()) - 60),
        ev(msg["e5"], "delivered"),
        ev(msg["e5"], "click"),
        ev(msg["e6"], "dropped"),
    ]
    r = fake_sg.post_events(webhook_url(live), batch, timestamp=int(clock.now().timestamp()))
    assert r.status_code == 200 and r.json()["stored"] == 12
    assert client.post(f"{API}/emails/{ids['e1']['id']}/replied").status_code == 200
    for name in ("e1", "e5"):
        opp_id = ids[name]["opportunity_id"]
        assert (
            client.post(f"{API}/opportunities/{opp_id}/move", json={"status": "won"}).status_code
            == 200
        )
    assert client.delete(f"{API}/opportunities/{ids['e5']['opportunity_id']}").status_code == 204
    create_opp(client, source_url="https://won-without-email.example/p", status="won")
    return today


def test_metrics_without_a_period_count_every_sent_email(client, scenario):
    r = client.get(f"{API}/metrics")
    assert r.status_code == 200
    assert r.json == {
        "total_sent": 6,
        "delivered": 4,
        "open_rate": 0.5,
        "click_rate": 0.5,
        "reply_rate": pytest.approx(1 / 6),
        "bounced": 2,
        "wins": 2,
        "unread_replies": 0,
    }


def test_a_period_counts_the_emails_sent_inside_it(client, scenario):
    day_a = (scenario - timedelta(days=2)).date().isoformat()
    day_b = scenario.date().isoformat()
    r = client.get(f"{API}/metrics", query={"from": day_a, "to": day_a})
    assert r.json == {
        "total_sent": 4,
        "delivered": 3,
        "open_rate": pytest.approx(2 / 3),
        "click_rate": pytest.approx(1 / 3),
        "reply_rate": 0.25,
        "bounced": 1,
        "wins": 1,
        "unread_replies": 0,
    }
    r = client.get(f"{API}/metrics", query={"from": day_b})
    assert r.json == {
        "total_sent": 2,
        "delivered": 1,
        "open_rate": 0.0,
        "click_rate": 1.0,
        "reply_rate": 0.0,
        "bounced": 1,
        "wins": 1,
        "unread_replies": 0,
    }
    r = client.get(f"{API}/metrics", query={"to": day_a})
    assert r.json["total_sent"] == 4


def test_bad_ranges_are_422(client):
    assert client.get(f"{API}/metrics", query={"from": "yesterday"}).status_code == 422
    r = client.get(f"{API}/metrics", query={"from": "2026-02-02", "to": "2026-02-01"})
    assert r.status_code == 422


def test_empty_site_is_all_zero(client):
    r = client.get(f"{API}/metrics")
    assert r.json == {
        "total_sent": 0,
        "delivered": 0,
        "open_rate": 0.0,
        "click_rate": 0.0,
        "reply_rate": 0.0,
        "bounced": 0,
        "wins": 0,
        "unread_replies": 0,
    }


def test_isolation_and_capability(scenario, client, other_client):
    assert other_client.get(f"{API}/metrics").json["total_sent"] == 0
    assert client.get(f"{API}/metrics", caps="outreach.edit").status_code == 403
