"""Insights (docs/api.md, insights): filtered metrics, days in the site's zone, per pitch."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.support import api
from tests.support.api import API, create_opp, send, settings
from tests.support.apps import webhook_url
from tests.support.fake_sendgrid import message_for

ZONE = ZoneInfo("America/New_York")


@pytest.fixture
def pitches(client, fake_sg, live, clock):
    """Two templates, a two-step sequence, three emails on two New York days, events."""
    settings(client, timezone="America/New_York")
    t1 = api.create_template(client, name="Guest post")
    t2 = api.create_template(client, name="Broken link")
    sequence = api.make_sequence(client, [t1["id"], t2["id"]], name="Drip")
    # 03:30 UTC is the evening before in New York: the day must follow the site's zone.
    late = clock.now().replace(hour=3, minute=30) - timedelta(days=1)
    clock.set(late)
    a = create_opp(client, source_url="https://a.example/p")
    e1 = send(client, a["id"], to="ed@a.example", template_id=t1["id"]).json
    clock.set(late + timedelta(hours=12))
    b = create_opp(client, source_url="https://b.example/p")
    e2 = send(client, b["id"], to="ed@b.example", template_id=t2["id"]).json
    c = create_opp(client, source_url="https://c.example/p")
    assert api.enroll(client, c["id"], sequence["id"], to="ed@c.example").status_code == 201
    step1 = next(e for e in client.get(f"{API}/opportunities/{c['id']}/emails").json)
    ev, at = fake_sg.event, int(clock.now().timestamp())
    batch = [
        ev(message_for(fake_sg, e1["id"]), "delivered", at=at),
        ev(message_for(fake_sg, e1["id"]), "open", at=at),
        ev(message_for(fake_sg, e2["id"]), "bounce", at=at),
        ev(message_for(fake_sg, step1["id"]), "delivered", at=at),
        ev(message_for(fake_sg, step1["id"]), "click", at=at),
    ]
    r = fake_sg.post_events(webhook_url(live), batch, timestamp=at)
    assert r.status_code == 200, r.text
    won = client.post(f"{API}/opportunities/{a['id']}/move", json={"status": "won"})
    assert won.status_code == 200, won.json
    return {"t1": t1, "t2": t2, "sequence": sequence, "late": late, "cards": (a, b, c)}


def test_metrics_honour_template_and_sequence_filters(client, pitches):
    everything = client.get(f"{API}/metrics").json
    assert everything["total_sent"] == 3
    by_t1 = client.get(f"{API}/metrics", query={"template_id": pitches["t1"]["id"]}).json
    assert (by_t1["total_sent"], by_t1["delivered"], by_t1["wins"]) == (2, 2, 1)
    assert by_t1["open_rate"] == 0.5 and by_t1["click_rate"] == 0.5
    by_t2 = client.get(f"{API}/metrics", query={"template_id": pitches["t2"]["id"]}).json
    assert (by_t2["total_sent"], by_t2["bounced"], by_t2["wins"]) == (1, 1, 0)
    by_seq = client.get(f"{API}/metrics", query={"sequence_id": pitches["sequence"]["id"]}).json
    assert (by_seq["total_sent"], by_seq["click_rate"]) == (1, 1.0)
    none = client.get(f"{API}/metrics", query={"template_id": 999999}).json
    assert none["total_sent"] == 0


def test_daily_rows_are_days_in_the_site_time_zone(client, pitches, clock):
    first_day = pitches["late"].astimezone(ZONE).date()
    assert first_day < pitches["late"].date()  # the evening before, in New York
    last_day = clock.now().astimezone(ZONE).date()
    r = client.get(
        f"{API}/metrics/daily",
        query={"from": (first_day - timedelta(days=1)).isoformat(), "to": last_day.isoformat()},
    )
    assert r.status_code == 200, r.json
    days = {d["date"]: d for d in r.json}
    assert list(days)[0] == (first_day - timedelta(days=1)).isoformat()
    assert days[first_day.isoformat()]["sent"] == 1
    assert days[last_day.isoformat()]["sent"] == 2
    assert days[last_day.isoformat()]["opened"] == 1
    assert days[last_day.isoformat()]["bounced"] == 1
    assert days[last_day.isoformat()]["won"] == 1
    assert sum(d["sent"] for d in r.json) == 3
    default = client.get(f"{API}/metrics/daily").json
    assert len(default) == 30 and default[-1]["date"] == last_day.isoformat()


def test_daily_refuses_a_reversed_or_too_long_period(client):
    r = client.get(f"{API}/metrics/daily", query={"from": "2026-03-02", "to": "2026-03-01"})
    assert r.status_code == 422
    r = client.get(f"{API}/metrics/daily", query={"from": "2024-01-01", "to": "2026-01-01"})
    assert r.status_code == 422 and "366" in r.json["message"]


def test_per_template_and_per_step_rows(client, pitches):
    rows = {t["name"]: t for t in client.get(f"{API}/metrics/templates").json}
    assert rows["Guest post"]["sent"] == 2 and rows["Guest post"]["open_rate"] == 0.5
    assert rows["Broken link"]["sent"] == 1 and rows["Broken link"]["bounced"] == 1
    (drip,) = client.get(f"{API}/metrics/sequences").json
    assert (drip["name"], drip["sent"], drip["click_rate"]) == ("Drip", 1, 1.0)
    assert [(s["step"], s["template_name"], s["sent"]) for s in drip["steps"]] == [
        (1, "Guest post", 1),
        (2, "Broken link", 0),
    ]


def test_a_cards_activity_lists_its_emails_and_sequence(client, pitches):
    _a, _b, c = pitches["cards"]
    r = client.get(f"{API}/audit", query={"opportunity_id": c["id"]})
    assert r.status_code == 200, r.json
    actions = [i["action"] for i in r.json["items"]]
    assert {"opportunity.create", "enrollment.create", "email.reserve"} <= set(actions)
    assert r.json["total"] == len(actions)
    assert all(i["user"] == 1 for i in r.json["items"])


def test_insights_stay_in_their_site(pitches, other_client):
    assert other_client.get(f"{API}/metrics/templates").json == []
    assert other_client.get(f"{API}/metrics/sequences").json == []
    assert sum(d["sent"] for d in other_client.get(f"{API}/metrics/daily").json) == 0
