"""Engagement stops sequences: per-step switches for reply/click/open, always on bounce."""

from __future__ import annotations

import pytest

from tests.support.api import API, create_opp, create_template
from tests.support.apps import webhook_url
from tests.support.fake_sendgrid import message_for


def _enroll(client, fake_sg, to="lead@seq.example", **switches):
    tpl = create_template(client, subject="Hi {{domain}}", body="About {{url}}")
    steps = [{"template_id": tpl["id"], **switches}, {"template_id": tpl["id"]}]
    seq = client.post(f"{API}/sequences", json={"name": "Drip", "steps": steps})
    assert seq.status_code == 201, seq.json
    opp = create_opp(client, source_url=f"https://{to.split('@')[1]}/p")
    r = client.post(
        f"{API}/opportunities/{opp['id']}/sequence", json={"sequence_id": seq.json["id"], "to": to}
    )
    assert r.status_code == 201, r.json
    emails = client.get(f"{API}/opportunities/{opp['id']}/emails").json
    assert len(emails) == 1 and emails[0]["step"] == 1
    return opp, message_for(fake_sg, emails[0]["id"])


def _enrollment(client, opp):
    return client.get(f"{API}/opportunities/{opp['id']}/sequence").json


def test_open_ignored_when_switch_off_click_stops(client, fake_sg, live):
    opp, msg = _enroll(client, fake_sg, stop_on_open=False, stop_on_click=True)
    url = webhook_url(live)
    fake_sg.post_events(url, [fake_sg.event(msg, "open")])
    assert _enrollment(client, opp)["status"] == "active"
    fake_sg.post_events(url, [fake_sg.event(msg, "click")])
    enrollment = _enrollment(client, opp)
    assert enrollment["status"] == "stopped" and enrollment["stop_reason"] == "click"


def test_machine_open_never_stops(client, fake_sg, live):
    opp, msg = _enroll(client, fake_sg)
    fake_sg.post_events(webhook_url(live), [fake_sg.event(msg, "open", sg_machine_open=True)])
    assert _enrollment(client, opp)["status"] == "active"
    fake_sg.post_events(webhook_url(live), [fake_sg.event(msg, "open")])
    assert _enrollment(client, opp)["stop_reason"] == "open"


@pytest.mark.parametrize(
    "kind,reason",
    [
        ("bounce", "bounce"),
        ("dropped", "bounce"),
        ("spamreport", "suppressed"),
        ("unsubscribe", "suppressed"),
    ],
)
def test_bounce_and_suppression_always_stop(client, fake_sg, live, kind, reason):
    opp, msg = _enroll(
        client, fake_sg, stop_on_open=False, stop_on_click=False, stop_on_reply=False
    )
    fake_sg.post_events(webhook_url(live), [fake_sg.event(msg, kind)])
    enrollment = _enrollment(client, opp)
    assert enrollment["status"] == "stopped" and enrollment["stop_reason"] == reason


def test_reply_stops_unless_switched_off(client, fake_sg):
    opp, _msg = _enroll(client, fake_sg)
    email = client.get(f"{API}/opportunities/{opp['id']}/emails").json[0]
    assert client.post(f"{API}/emails/{email['id']}/replied").status_code == 200
    assert _enrollment(client, opp)["stop_reason"] == "reply"
    opp2, _msg = _enroll(client, fake_sg, to="calm@other.example", stop_on_reply=False)
    email = client.get(f"{API}/opportunities/{opp2['id']}/emails").json[0]
    assert client.post(f"{API}/emails/{email['id']}/replied").status_code == 200
    assert _enrollment(client, opp2)["status"] == "active"
