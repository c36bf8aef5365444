"""Starting and stopping a sequence on an opportunity through the API."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from service.models import Email, Enrollment
from tests.support.api import create_opp, enroll, make_sequence, settings
from tests.support.state import fetch, scalar

TO = "editor@blog.example.org"


def test_enroll_sends_step_one_at_once(client, sendgrid, templates3, clock, session):
    opp = create_opp(client)["id"]
    seq = make_sequence(client, templates3)
    r = enroll(client, opp, seq["id"])
    assert r.status_code == 201, r.json
    body = r.json
    assert {
        k: body[k]
        for k in (
            "sequence_id",
            "opportunity_id",
            "to",
            "status",
            "stop_reason",
            "current_step",
            "total_steps",
        )
    } == {
        "sequence_id": seq["id"],
        "opportunity_id": opp,
        "to": TO,
        "status": "active",
        "stop_reason": None,
        "current_step": 1,
        "total_steps": 3,
    }
    assert datetime.fromisoformat(body["next_step_at"]) == clock.now() + timedelta(hours=72)
    assert sendgrid.subjects_to(TO) == ["Step 1 for blog.example.org"]
    args = sendgrid.custom_args()[0]
    email = fetch(session, Email, int(args["outreach_email_id"]))
    assert (email.enrollment_id, email.step, email.send_state) == (body["id"], 1, "sent")
    card = client.get(f"/api/v1/opportunities/{opp}").json
    assert card["status"] == "reached"
    assert card["sequence"]["id"] == body["id"] and card["sequence"]["status"] == "active"
    got = client.get(f"/api/v1/opportunities/{opp}/sequence")
    assert got.status_code == 200 and got.json["id"] == body["id"]


def test_one_active_enrollment_per_opportunity(client, started, sendgrid):
    r = enroll(client, started["opp"], started["seq"]["id"], to="other@blog.example.org")
    assert r.status_code == 409, r.json
    assert len(sendgrid.messages) == 1


def test_limit_blocking_step_one_enrolls_nothing(client, templates3, sendgrid, session):
    settings(client, daily_limit=0)
    opp = create_opp(client)["id"]
    seq = make_sequence(client, templates3)
    r = enroll(client, opp, seq["id"])
    assert r.status_code == 429, r.json
    assert r.json["limit"] == "daily_cap" and "Retry-After" in r.headers
    assert scalar(session, select(func.count(Enrollment.id))) == 0
    assert scalar(session, select(func.count(Email.id))) == 0
    assert sendgrid.messages == []
    card = client.get(f"/api/v1/opportunities/{opp}")
    assert card.json["sequence"] is None, card.json


def test_cooldown_blocks_step_one(client, templates3, sendgrid):
    opp = create_opp(client)["id"]
    r = client.post(
        f"/api/v1/opportunities/{opp}/emails", json={"to": TO, "subject": "Hello", "body": "Manual"}
    )
    assert r.status_code == 201, r.json
    seq = make_sequence(client, templates3)
    r = enroll(client, opp, seq["id"], to=TO.upper())
    assert r.status_code == 429 and r.json["limit"] == "cooldown"
    assert client.get(f"/api/v1/opportunities/{opp}/sequence").status_code == 404


def test_missing_placeholder_is_422_and_enrolls_nothing(client, sendgrid, session):
    from tests.support.api import create_template

    plain = create_template(client, "Plain", "Hi", "Hello")["id"]
    needs_anchor = create_template(client, "Anchor", "About {{anchor_text}}", "x")["id"]
    opp = create_opp(client)["id"]
    seq = make_sequence(client, [plain, needs_anchor])
    r = enroll(client, opp, seq["id"])
    assert r.status_code == 422 and "anchor_text" in r.json["message"]
    assert scalar(session, select(func.count(Enrollment.id))) == 0 and sendgrid.messages == []


def test_stopping_by_hand_says_manual_and_clears_the_next_step(client, started, session):
    opp = started["opp"]
    r = client.delete(f"/api/v1/opportunities/{opp}/sequence")
    assert r.status_code == 200, r.json
    assert (r.json["status"], r.json["stop_reason"], r.json["next_step_at"]) == (
        "stopped",
        "manual",
        None,
    )
    assert client.delete(f"/api/v1/opportunities/{opp}/sequence").status_code == 404
    card = client.get(f"/api/v1/opportunities/{opp}").json
    assert card["sequence"]["status"] == "stopped"
    settings(client, cooldown_hours=0)  # a second address of the prospect, at once
    again = enroll(client, opp, started["seq"]["id"], to="second@blog.example.org")
    assert again.status_code == 201, again.json


def test_sequence_in_use_cannot_be_deleted(client, started):
    path = f"/api/v1/sequences/{started['seq']['id']}"
    assert client.get(path).json["active_enrollments"] == 1
    r = client.delete(path)
    assert r.status_code == 409 and r.json["active"] == 1
    client.delete(f"/api/v1/opportunities/{started['opp']}/sequence")
    assert client.delete(path).status_code == 204
    # the finished enrollment still names its (deleted) sequence on the card
    card = client.get(f"/api/v1/opportunities/{started['opp']}").json
    assert card["sequence"]["name"] == "Drip"


def test_caps_and_isolation(client, other_client, started, templates3):
    opp, seq = started["opp"], started["seq"]["id"]
    other_opp = create_opp(client, "https://two.example.net/")["id"]
    r = client.post(
        f"/api/v1/opportunities/{other_opp}/sequence",
        json={"sequence_id": seq, "to": TO},
        caps="outreach.view,outreach.edit",
    )
    assert r.status_code == 403 and "outreach.send" in r.json["message"]
    r = client.delete(f"/api/v1/opportunities/{opp}/sequence", caps="outreach.view")
    assert r.status_code == 403
    assert other_client.delete(f"/api/v1/opportunities/{opp}/sequence").status_code == 404
    assert other_client.get(f"/api/v1/opportunities/{opp}/sequence").status_code == 404
    theirs = create_opp(other_client)["id"]
    assert enroll(other_client, theirs, seq).status_code == 404  # site A's sequence
    assert enroll(client, theirs, seq).status_code == 404  # site B's opportunity


def test_an_enrollment_without_a_recipient_or_sequence_is_422(client, started):
    opp = create_opp(client, "https://three.example.com/")["id"]
    r = client.post(f"/api/v1/opportunities/{opp}/sequence", json={"sequence_id": 1})
    assert r.status_code == 422 and "to" in r.json["errors"]
    r = client.post(
        f"/api/v1/opportunities/{opp}/sequence",
        json={"sequence_id": started["seq"]["id"], "to": "not-an-address"},
    )
    assert r.status_code == 422 and "to" in r.json["errors"]
