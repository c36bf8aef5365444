"""reply_forward_to: each kept reply forwarded (Reply-To the prospect), retried, never blocking."""

from __future__ import annotations

import pytest

from service.models import Reply
from service.worker.scheduler import Scheduler
from tests.replies.test_conversations import _post
from tests.support.api import API, sent_email, settings
from tests.support.state import rows


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
