"""Bulk sequence actions: start on many cards (each step 1 under the limits), stop many."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.support.api import create_opp, make_sequence, send, settings

BULK = "/api/v1/opportunities/bulk"


def _bulk(client, **body):
    r = client.post(BULK, json=body)
    assert r.status_code == 200, r.json
    return r.json


def _recipients(sendgrid):
    return [m["request"]["personalizations"][0]["to"][0]["email"] for m in sendgrid.messages]


def test_assign_starts_each_card_and_fails_a_card_without_contact(client, templates3, sendgrid):
    seq = make_sequence(client, templates3)
    a = create_opp(client, "https://a.example.org/", contact_email="ed@a.example.org")["id"]
    b = create_opp(client, "https://b.example.org/")["id"]
    c = create_opp(client, "https://c.example.org/", contact_email="jo@c.example.org")["id"]
    body = _bulk(client, ids=[a, b, c], action="assign_sequence", sequence_id=seq["id"])
    assert body["done"] == [a, c]
    assert body["failed"] == [
        {
            "id": b,
            "code": 422,
            "message": "This card has no contact email: add one to the card first.",
        }
    ]
    assert sorted(_recipients(sendgrid)) == ["ed@a.example.org", "jo@c.example.org"]
    card = client.get(f"/api/v1/opportunities/{a}").json
    assert card["sequence"]["status"] == "active" and card["status"] == "reached"
    again = _bulk(client, ids=[a], action="assign_sequence", sequence_id=seq["id"])
    assert again["failed"][0]["code"] == 409 and len(sendgrid.messages) == 2
    stopped = _bulk(client, ids=[a, b, c], action="stop_sequence")
    assert stopped["done"] == [a, c] and [f["id"] for f in stopped["failed"]] == [b]
    assert client.get(f"/api/v1/opportunities/{c}").json["sequence"]["stop_reason"] == "manual"


def test_the_daily_cap_queues_the_cards_beyond_it(client, templates3, sendgrid, clock):
    settings(client, daily_limit=2)
    seq = make_sequence(client, templates3)
    ids = [
        create_opp(client, f"https://s{i}.example.org/", contact_email=f"ed@s{i}.example.org")["id"]
        for i in range(3)
    ]
    body = _bulk(client, ids=ids, action="assign_sequence", sequence_id=seq["id"])
    assert body["done"] == ids[:2] and body["failed"] == []
    (queued,) = body["queued"]
    assert queued["id"] == ids[2]
    assert datetime.fromisoformat(queued["scheduled_for"]) == clock.now() + timedelta(days=1)
    assert len(sendgrid.messages) == 2
    card = client.get(f"/api/v1/opportunities/{ids[2]}").json
    assert card["status"] == "queued" and card["sequence"]["status"] == "active"


def test_a_limit_that_waiting_does_not_lift_fails_the_card(client, templates3, sendgrid):
    seq = make_sequence(client, templates3)
    opp = create_opp(client, "https://s.example.org/", contact_email="ed@s.example.org")["id"]
    assert send(client, opp, to="ed@s.example.org").status_code == 201
    body = _bulk(client, ids=[opp], action="assign_sequence", sequence_id=seq["id"])
    (failed,) = body["failed"]
    assert failed["code"] == 429 and "less than 24 hours ago" in failed["message"]


def test_a_missing_placeholder_fails_that_card_only(client, sendgrid):
    r = client.post(
        "/api/v1/templates", json={"name": "A", "subject": "Hi", "body": "About {{anchor_text}}"}
    )
    seq = make_sequence(client, [r.json["id"]])
    with_anchor = create_opp(
        client, "https://a.example.org/", anchor_text="tools", contact_email="ed@a.example.org"
    )["id"]
    without = create_opp(client, "https://b.example.org/", contact_email="ed@b.example.org")["id"]
    body = _bulk(
        client, ids=[without, with_anchor], action="assign_sequence", sequence_id=seq["id"]
    )
    assert body["done"] == [with_anchor]
    assert body["failed"][0]["id"] == without and body["failed"][0]["code"] == 422
    assert "{{anchor_text}}" in body["failed"][0]["message"]


def test_an_unknown_sequence_is_a_404_for_the_whole_request(client):
    a = create_opp(client, contact_email="ed@a.example.org")["id"]
    r = client.post(BULK, json={"ids": [a], "action": "assign_sequence", "sequence_id": 99999})
    assert r.status_code == 404 and r.json["message"] == "Sequence not found."


def test_a_refused_step_one_fails_that_card_with_what_sendgrid_said(client, templates3, sendgrid):
    seq = make_sequence(client, templates3)
    a = create_opp(client, "https://a.example.org/", contact_email="ed@a.example.org")["id"]
    b = create_opp(client, "https://b.example.org/", contact_email="ed@b.example.org")["id"]
    sendgrid.fail_next(400)
    body = _bulk(client, ids=[a, b], action="assign_sequence", sequence_id=seq["id"])
    assert body["done"] == [b]
    (failed,) = body["failed"]
    assert failed["id"] == a and failed["code"] == 502
    assert "stopped" in failed["message"]
