"""Scheduled sends: 202 and Queued, sent by the scheduler when due, limits, cancel."""

from __future__ import annotations

from datetime import timedelta

import pytest

from service.models import Email
from service.worker.scheduler import Scheduler
from tests.support.api import create_opp, settings
from tests.support.state import rows

API = "/api/v1"


@pytest.fixture
def scheduler(app):
    """One worker of the scheduled-sends job kind (run .run_pass() by hand)."""
    return Scheduler(app, owner="test-scheduler", kind="scheduled-sends")


def _schedule(client, opp, at, to="editor@blog.example.org"):
    return client.post(
        f"{API}/opportunities/{opp}/emails",
        json={"to": to, "subject": "Hi {{domain}}", "body": "See {{url}}", "send_at": at},
    )


def _card(client, opp):
    return client.get(f"{API}/opportunities/{opp}").json


def test_scheduled_email_waits_then_goes_once(client, clock, scheduler, sendgrid):
    opp = create_opp(client)["id"]
    at = clock.now() + timedelta(hours=2)
    r = _schedule(client, opp, at.isoformat())
    assert r.status_code == 202, r.json
    assert r.json["status"] == "scheduled" and r.json["send_state"] == "scheduled"
    assert r.json["scheduled_for"].startswith(at.strftime("%Y-%m-%dT%H:%M"))
    card = _card(client, opp)
    assert card["status"] == "queued" and card["next_send_at"] == r.json["scheduled_for"]
    clock.advance(hours=1, minutes=59)
    assert scheduler.run_pass().get("sent", 0) == 0 and sendgrid.messages == []  # never early
    clock.advance(minutes=1)
    assert scheduler.run_pass()["sent"] == 1
    assert scheduler.run_pass().get("sent", 0) == 0  # never twice
    assert len(sendgrid.messages) == 1
    [email] = client.get(f"{API}/opportunities/{opp}/emails").json
    assert email["status"] == "sent" and email["send_state"] == "sent"
    assert [e["type"] for e in email["events"]] == ["scheduled", "sent"]
    assert _card(client, opp)["status"] == "reached" and _card(client, opp)["next_send_at"] is None


def test_send_at_must_be_future_within_a_year_with_offset(client, clock):
    opp = create_opp(client)["id"]
    for at in (
        (clock.now() - timedelta(minutes=1)).isoformat(),
        (clock.now() + timedelta(days=366)).isoformat(),
        (clock.now() + timedelta(hours=1)).replace(tzinfo=None).isoformat(),
    ):
        r = _schedule(client, opp, at)
        assert r.status_code == 422 and "send_at" in r.json["errors"], r.json
    assert _card(client, opp)["status"] == "new"


def test_a_limit_postpones_never_early(client, clock, scheduler, sendgrid):
    settings(client, cooldown_hours=24)
    opp = create_opp(client)["id"]
    other = create_opp(client, source_url="https://other.example/p")["id"]
    r = client.post(
        f"{API}/opportunities/{opp}/emails", json={"subject": "s", "body": "b", "to": "x@p.example"}
    )
    assert r.status_code == 201
    _schedule(client, other, (clock.now() + timedelta(hours=1)).isoformat(), to="x@p.example")
    clock.advance(hours=1)
    assert scheduler.run_pass()["postponed"] == 1
    [email] = client.get(f"{API}/opportunities/{other}/emails").json
    assert email["send_state"] == "scheduled" and email["events"][-1]["type"] == "postponed"
    assert _card(client, other)["next_send_at"] == email["scheduled_for"]
    clock.advance(hours=22, minutes=59)
    assert scheduler.run_pass().get("sent", 0) == 0
    clock.advance(minutes=1)
    assert scheduler.run_pass()["sent"] == 1 and len(sendgrid.messages) == 2


def test_cancel_then_never_sent_and_409_once_sent(client, other_client, clock, scheduler, sendgrid):
    opp = create_opp(client)["id"]
    email = _schedule(client, opp, (clock.now() + timedelta(hours=1)).isoformat()).json
    assert other_client.delete(f"{API}/emails/{email['id']}").status_code == 404
    assert client.delete(f"{API}/emails/{email['id']}", caps="outreach.view").status_code == 403
    assert client.delete(f"{API}/emails/{email['id']}").status_code == 204
    assert _card(client, opp)["next_send_at"] is None
    assert client.delete(f"{API}/emails/{email['id']}").status_code == 409
    clock.advance(hours=2)
    assert scheduler.run_pass().get("sent", 0) == 0 and sendgrid.messages == []
    second = _schedule(client, opp, (clock.now() + timedelta(hours=1)).isoformat()).json
    clock.advance(hours=1)
    assert scheduler.run_pass()["sent"] == 1
    r = client.delete(f"{API}/emails/{second['id']}")
    assert r.status_code == 409 and "cannot be cancelled" in r.json["message"]


def test_suppressed_address_is_refused_at_once(app, client, clock, sendgrid):
    from service.models import Suppression

    opp = create_opp(client)
    with app.extensions["outreach"].session_factory() as s:
        s.add(
            Suppression(
                site_id=opp_site(app),
                email="gone@p.example",
                reason="bounced",
                created_at=clock.now(),
            )
        )
        s.commit()
    r = _schedule(
        client, opp["id"], (clock.now() + timedelta(hours=1)).isoformat(), to="gone@p.example"
    )
    assert r.status_code == 422 and "suppression" in r.json["message"]
    assert rows(app, Email) == []


def opp_site(app):
    from service.models import Site

    return rows(app, Site)[0].id


def _closed_window(clock) -> dict:
    """A UTC sending window that opens 2 hours from now and lasts one hour, every day."""
    opens = (clock.now() + timedelta(hours=2)).replace(minute=0, second=0)
    if opens.hour >= 23:  # the window must end on the day it starts
        clock.advance(hours=3)
        opens = (clock.now() + timedelta(hours=2)).replace(minute=0, second=0)
    start, end = f"{opens.hour:02d}:00", f"{opens.hour + 1:02d}:00"
    return {"enabled": True, "days": [1, 2, 3, 4, 5, 6, 7], "start": start, "end": end}


def test_a_scheduled_email_due_outside_the_window_waits_for_its_opening(
    client, clock, scheduler, sendgrid
):
    window = _closed_window(clock)
    settings(client, timezone="UTC", send_window=window)
    opp = create_opp(client)["id"]
    assert (
        _schedule(client, opp, (clock.now() + timedelta(minutes=5)).isoformat()).status_code == 202
    )
    clock.advance(minutes=5)
    assert scheduler.run_pass()["postponed"] == 1 and sendgrid.messages == []
    [email] = client.get(f"{API}/opportunities/{opp}/emails").json
    until = email["events"][-1]["detail"]["until"]
    assert until[11:13] == window["start"][:2]  # the opening hour, within its first 30 min
    assert int(until[14:16]) < 30
    clock.advance(hours=1, minutes=50)  # inside the window's first hour but maybe before
    scheduler.run_pass()
    clock.advance(minutes=40)
    scheduler.run_pass()
    assert len(sendgrid.messages) == 1


def test_a_paused_site_postpones_scheduled_emails_until_resumed(client, clock, scheduler, sendgrid):
    opp = create_opp(client)["id"]
    _schedule(client, opp, (clock.now() + timedelta(minutes=5)).isoformat())
    assert client.patch(f"{API}/site", json={"paused": True}).json["paused"] is True
    clock.advance(minutes=5)
    assert scheduler.run_pass()["postponed"] == 1 and sendgrid.messages == []
    settings(client, paused=False)
    clock.advance(minutes=5)
    assert scheduler.run_pass()["sent"] == 1


def test_a_scheduled_email_counts_toward_the_recipient_domain_cap(
    client, clock, scheduler, sendgrid
):
    settings(client, domain_daily_limit=1)
    opp = create_opp(client)["id"]
    other = create_opp(client, source_url="https://other.example/p")["id"]
    _schedule(client, opp, (clock.now() + timedelta(minutes=5)).isoformat(), to="a@capped.example")
    clock.advance(minutes=5)
    assert scheduler.run_pass()["sent"] == 1
    r = client.post(
        f"{API}/opportunities/{other}/emails",
        json={"subject": "s", "body": "b", "to": "b@capped.example"},
    )
    assert r.status_code == 429 and r.json["limit"] == "domain_cap", r.json
