"""Board deltas carry what webhooks and replies change on a card (email_status)."""

from __future__ import annotations

import time

from tests.support.api import API, sent_email
from tests.support.apps import webhook_url
from tests.support.fake_sendgrid import message_for

T0 = int(time.time()) - 3600


def _delta(client, cursor):
    r = client.get(f"{API}/board", query={"since": cursor})
    assert r.status_code == 200 and r.json["full"] is False, r.json
    return r.json


def test_a_webhook_event_changes_the_card_in_the_next_delta(client, fake_sg, live):
    email = sent_email(client)
    other = sent_email(client, to="ed@other.example.org")
    board = client.get(f"{API}/board")
    cursor, tag = board.json["cursor"], board.headers["ETag"]
    msg = message_for(fake_sg, email["id"])
    batch = [fake_sg.event(msg, "delivered", at=T0), fake_sg.event(msg, "open", at=T0 + 5)]
    assert fake_sg.post_events(webhook_url(live), batch).status_code == 200
    assert client.get(f"{API}/board", headers={"If-None-Match": tag}).status_code == 200
    body = _delta(client, cursor)
    assert [(c["id"], c["email_status"]) for c in body["cards"]] == [
        (email["opportunity_id"], "opened")
    ]
    assert other["opportunity_id"] not in [c["id"] for c in body["cards"]]
    # A machine open changes nothing a card shows: no change, the ETag still holds.
    cursor, tag = body["cursor"], client.get(f"{API}/board").headers["ETag"]
    machine = [fake_sg.event(msg, "open", at=T0 + 9, sg_machine_open=True)]
    assert fake_sg.post_events(webhook_url(live), machine).status_code == 200
    assert client.get(f"{API}/board", headers={"If-None-Match": tag}).status_code == 304
    assert _delta(client, cursor)["cards"] == []


def test_a_reply_marked_by_hand_shows_in_the_next_delta(client):
    email = sent_email(client)
    cursor = client.get(f"{API}/board").json["cursor"]
    assert client.post(f"{API}/emails/{email['id']}/replied").status_code == 200
    (card,) = _delta(client, cursor)["cards"]
    assert card["id"] == email["opportunity_id"] and card["email_status"] == "replied"
