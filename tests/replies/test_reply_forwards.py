"""reply_forward_to: each kept reply forwarded (Reply-To the prospect), retried, never blocking."""

from __future__ import annotations

import pytest

from service.models import AuditEntry, Reply
from service.worker.scheduler import Scheduler
from tests.replies.test_conversations import _post
from tests.support.api import API, sent_email, settings
from tests.support.state import rows, set_site


@pytest.fixture
def forwarder(app):
    return Scheduler(app, owner="test-forwarder", kind="reply-forwards")


def _forwards(fake_sg):
    return [
        m["request"]
        for m in fake_sg.messages
        if "outreach-forward" in m["request"].get("categories", [])
    ]


def test_reply_is_forwarded_with_reply_to_the_prospect(client, app, fake_sg, live, forwarder):
    settings(client, reply_forward_to="owner@a.example")
    email = sent_email(client)
    _post(app, fake_sg, live, email, text="Happy to link!")
    assert _forwards(fake_sg) == []  # recording did not wait on it
    assert forwarder.run_pass()["sent"] == 1
    [mail] = _forwards(fake_sg)
    assert mail["personalizations"][0]["to"] == [{"email": "owner@a.example"}]
    assert mail["reply_to"]["email"] == "prospect@example.org"
    assert "Happy to link!" in mail["content"][0]["value"]
    assert forwarder.run_pass().get("sent", 0) == 0  # once
    [reply] = client.get(f"{API}/opportunities/{email['opportunity_id']}/emails").json[0]["replies"]
    assert reply["forward_state"] == "sent"


def test_failed_forward_is_retried_and_the_reply_kept(client, app, fake_sg, live, forwarder, clock):
    settings(client, reply_forward_to="owner@a.example")
    email = sent_email(client)
    fake_sg.fail_next(500, "down", times=2)
    _post(app, fake_sg, live, email)
    assert forwarder.run_pass()["retry"] == 1
    assert rows(app, Reply)[0].forward_state == "pending"
    clock.advance(minutes=1)
    assert forwarder.run_pass()["retry"] == 1
    assert forwarder.run_pass().get("sent", 0) == 0  # backing off: not due yet
    clock.advance(minutes=2)
    assert forwarder.run_pass()["sent"] == 1 and len(_forwards(fake_sg)) == 1
    assert rows(app, Reply)[0].forward_attempts == 2


def test_without_a_forward_address_nothing_is_forwarded(client, app, fake_sg, live, forwarder):
    email = sent_email(client)
    _post(app, fake_sg, live, email)
    assert rows(app, Reply)[0].forward_state == "none"
    assert not forwarder.run_pass() and _forwards(fake_sg) == []


def test_forward_address_cleared_before_the_pass(client, app, fake_sg, live, forwarder):
    settings(client, reply_forward_to="owner@a.example")
    email = sent_email(client)
    _post(app, fake_sg, live, email)
    settings(client, reply_forward_to=None)
    assert forwarder.run_pass()["skipped"] == 1
    assert rows(app, Reply)[0].forward_state == "none" and _forwards(fake_sg) == []


def test_forwards_have_an_hourly_cap_audited_once(client, app, fake_sg, live, forwarder, clock):
    """Issue 21 #4: five inbound messages made five forwards, whatever the limits said."""
    settings(client, reply_forward_to="owner@a.example", reply_forward_hourly_limit=2)
    email = sent_email(client)
    for i in range(5):
        _post(app, fake_sg, live, email, text=f"Reply {i}")
    counts = forwarder.run_pass()
    assert (counts["sent"], counts["capped"]) == (2, 3) and len(_forwards(fake_sg)) == 2
    assert forwarder.run_pass().get("sent", 0) == 0  # the others wait for the window
    capped = [a for a in rows(app, AuditEntry) if a.action == "reply_forward.capped"]
    assert len(capped) == 1 and capped[0].changes == {"limit": 2}
    clock.advance(minutes=61)
    assert forwarder.run_pass()["sent"] == 2 and len(_forwards(fake_sg)) == 4
    states = sorted(r.forward_state for r in rows(app, Reply))
    assert states == ["pending", "sent", "sent", "sent", "sent"]


def test_a_listed_forward_address_gets_nothing(client, app, fake_sg, live, forwarder):
    settings(client, reply_forward_to="owner@a.example")
    r = client.post(
        f"{API}/suppressions", json={"value": "owner@a.example", "reason": "unsubscribe"}
    )
    assert r.status_code == 201
    email = sent_email(client)
    for i in range(5):
        _post(app, fake_sg, live, email, text=f"Reply {i}")
    assert forwarder.run_pass()["refused"] == 5 and _forwards(fake_sg) == []
    [reply, *_] = rows(app, Reply)
    assert reply.forward_state == "failed" and "unsubscribed" in reply.forward_error


def test_forwards_wait_while_the_site_is_paused(client, app, fake_sg, live, forwarder, site_key):
    settings(client, reply_forward_to="owner@a.example")
    email = sent_email(client)
    set_site(app, site_key.site_id, paused=True, paused_reason="test")
    _post(app, fake_sg, live, email)
    assert forwarder.run_pass()["paused"] == 1 and _forwards(fake_sg) == []
    assert rows(app, Reply)[0].forward_state == "pending"


def test_forward_address_outside_the_sites_domains(client, app, fake_sg, live, forwarder, site_key):
    r = client.patch(f"{API}/site", json={"reply_forward_to": "someone@elsewhere.example"})
    assert r.status_code == 422 and "reply_forward_to" in r.json["errors"], r.json
    set_site(app, site_key.site_id, reply_forward_to="someone@elsewhere.example")  # older data
    _post(app, fake_sg, live, sent_email(client))
    assert forwarder.run_pass()["refused"] == 1 and _forwards(fake_sg) == []
    assert "not at the site's own domain" in rows(app, Reply)[0].forward_error
