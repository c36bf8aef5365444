"""GET /metrics counts sends by outcome, limit hits and webhook events by type and result."""

from __future__ import annotations

import re
import time

from tests.support.api import create_opp, send, sent_email
from tests.support.apps import METRICS_AUTH, webhook_url
from tests.support.fake_sendgrid import message_for
from tests.support.state import set_site

T0 = int(time.time()) - 3600


def _sample(text: str, name: str, **labels) -> float:
    """The value of one sample in Prometheus text (0 when absent)."""
    for line in text.splitlines():
        if not line.startswith(name + "{"):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
        if found == {k: str(v) for k, v in labels.items()}:
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def _metrics(app) -> str:
    r = app.test_client().get("/metrics", headers=METRICS_AUTH)
    assert r.status_code == 200
    return r.get_data(as_text=True)


def test_metrics_after_sends_limit_hits_and_a_webhook_batch(app, client, fake_sg, live, site_key):
    before = _metrics(app)
    email = sent_email(client, to="first@x.example")
    opp = create_opp(client, source_url="https://second.example/p")
    assert send(client, opp["id"], to="first@x.example").status_code == 429  # cooldown
    fake_sg.fail_next(400, "Bad Request")
    assert send(client, opp["id"], to="refused@x.example").status_code == 502
    fake_sg.fail_next(500, "oops")
    assert send(client, opp["id"], to="uncertain@x.example").status_code == 502
    msg = message_for(fake_sg, email["id"])
    delivered = fake_sg.event(msg, "delivered", at=T0)
    batch = [
        delivered,
        dict(delivered),
        fake_sg.event(msg, "open", at=T0 + 5),
        fake_sg.event(msg, "bounce", at=T0 + 9, type="bounce"),
        {"event": "delivered", "timestamp": T0, "email": "x@nowhere.example"},
        {"event": "brand_new_kind", "timestamp": T0},
        {"event": "open"},
    ]
    r = fake_sg.post_events(webhook_url(live), batch)
    assert r.status_code == 200, r.text
    assert send(client, opp["id"], to="first@x.example").status_code == 422  # suppressed
    set_site(app, site_key.site_id, daily_limit=2)
    third = create_opp(client, source_url="https://third.example/p")  # no prospect cooldown
    assert send(client, third["id"], to="third@x.example").status_code == 429  # daily cap
    after = _metrics(app)

    def delta(name, **labels):
        return _sample(after, name, **labels) - _sample(before, name, **labels)

    assert delta("outreach_sends_total", outcome="sent") == 1
    assert delta("outreach_sends_total", outcome="failed") == 1
    assert delta("outreach_sends_total", outcome="unknown") == 1
    for limit in ("cooldown", "suppressed", "daily_cap"):
        assert delta("outreach_limit_hits_total", limit=limit) == 1, limit
    webhook = "outreach_webhook_events_total"
    assert delta(webhook, type="delivered", result="stored") == 1
    assert delta(webhook, type="delivered", result="duplicate") == 1
    assert delta(webhook, type="open", result="stored") == 1
    assert delta(webhook, type="bounce", result="stored") == 1
    assert delta(webhook, type="delivered", result="unmatched") == 1
    assert delta(webhook, type="other", result="unknown") == 1
    assert delta(webhook, type="other", result="invalid") == 1
