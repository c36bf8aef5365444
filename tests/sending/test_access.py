"""Capabilities and tenant isolation on every sending route; the local outbox adapter."""

from __future__ import annotations

import json
import logging

import pytest

from service.app import create_app
from service.mail import OutboxMailer
from tests.support.api import API, create_opp, send, sent_email
from tests.support.apps import sending_config


def test_send_needs_outreach_send(client, fake_sg):
    opp = create_opp(client)
    for caps in ("outreach.view,outreach.edit", ""):
        r = client.post(
            f"{API}/opportunities/{opp['id']}/emails",
            caps=caps,
            json={"to": "a@b.example", "subject": "Hi", "body": "Yo"},
        )
        assert r.status_code == 403 and "outreach.send" in r.json["message"]
    assert fake_sg.messages == []


def test_history_needs_view(client):
    opp = create_opp(client)
    r = client.get(f"{API}/opportunities/{opp['id']}/emails", caps="outreach.send")
    assert r.status_code == 403 and "outreach.view" in r.json["message"]


def test_other_site_sees_nothing(client, other_client, fake_sg):
    email = sent_email(client)
    opp_id = email["opportunity_id"]
    assert other_client.get(f"{API}/opportunities/{opp_id}/emails").status_code == 404
    r = other_client.post(
        f"{API}/opportunities/{opp_id}/emails",
        json={"to": "x@y.example", "subject": "Hi", "body": "Yo"},
    )
    assert r.status_code == 404
    assert other_client.post(f"{API}/emails/{email['id']}/replied").status_code == 404
    assert len(fake_sg.messages) == 1


def test_other_sites_template_is_404(client, other_client):
    tpl = other_client.post(f"{API}/templates", json={"name": "B", "subject": "s", "body": "b"})
    opp = create_opp(client)
    r = send(client, opp["id"], template_id=tpl.json["id"])
    assert r.status_code == 404


def test_limits_are_per_site(client, other_client, app, fake_sg):
    sent_email(client, to="shared@x.example")
    opp = create_opp(other_client, source_url="https://x.example/other")
    assert send(other_client, opp["id"], to="shared@x.example").status_code == 201


def test_deleted_card_history_is_gone_but_emails_stay(client):
    email = sent_email(client)
    assert client.delete(f"{API}/opportunities/{email['opportunity_id']}").status_code == 204
    r = client.get(f"{API}/opportunities/{email['opportunity_id']}/emails")
    assert r.status_code == 404
    assert client.get(f"{API}/metrics").json["total_sent"] == 1


@pytest.fixture
def outbox_app(engine, database_url, clock, tmp_path, fake_sg, caplog):
    from tests.support.databases import wipe

    fake_sg.reset()
    caplog.set_level(logging.WARNING, logger="outreach.mail")
    application = create_app(
        sending_config(database_url, engine, clock, tmp_path, fake_sg, SENDGRID_API_KEY=None)
    )
    yield application
    wipe(engine)


def test_outbox_used_and_announced_without_api_key(outbox_app, caplog, tmp_path, fake_sg):
    from tests.support.signed import SignedTestClient
    from tests.support.state import make_site

    mailer = outbox_app.extensions["outreach"].mailer
    # behind the channel router (mailboxes) and the unsubscribe-link decorator
    assert isinstance(mailer.inner.inner, OutboxMailer)
    assert any("NO EMAIL WILL BE SENT" in r.getMessage() for r in caplog.get_records("setup"))
    key = make_site(outbox_app)
    client = SignedTestClient(
        outbox_app.test_client(), key, outbox_app.extensions["outreach"].clock
    )
    opp = create_opp(client)
    r = send(client, opp["id"])
    assert r.status_code == 201 and r.json["message_id"].startswith("outbox-")
    [line] = (tmp_path / "outbox.jsonl").read_text().splitlines()
    record = json.loads(line)
    assert record["to"] == "editor@blog.example.org"
    assert record["custom_args"]["outreach_email_id"] == str(r.json["id"])
    assert fake_sg.messages == []
