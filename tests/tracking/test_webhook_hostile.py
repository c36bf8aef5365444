"""Hostile Event Webhook posts: malformed headers are a 401 (finding 3), hostile signed
batches a 400 or a counted event (finding 8); never a 500."""

from __future__ import annotations

import base64
import logging
import time

import pytest
from sendgrid.helpers.eventwebhook import EventWebhookHeader as H

from service.models import EmailEvent
from tests.support.api import email_json, sent_email
from tests.support.apps import webhook_url
from tests.support.fake_sendgrid import message_for
from tests.support.state import rows

BODY = "[]\r\n"
NOW = str(int(time.time()))
BAD_STAMPS = [
    "²",
    "¹²³",
    "٣",
    "1" * 5000,
    "",
    " ",
    "-1",
    "+1",
    "1.5",
    "1e9",
    "0x10",
    " " + NOW,
    NOW + " ",
    NOW + "\u00a0",
    "9" * 40,
]
BAD_SIGNATURES = [
    "",
    " ",
    "%%%not-base64",
    "=",
    "A",
    base64.b64encode(b"not DER").decode(),
    base64.b64encode(b"\x30\x06\x02\x01\x01\x02\x01").decode(),  # truncated DER
    base64.b64encode(b"\x30\x81\xff" + b"\x00" * 300).decode(),
    "é" * 100,
    "A" * 8000,
]


def _post(app, fake_sg, stamp: str | None = None, signature: str | None = None):
    fresh = str(int(time.time()))  # not NOW: a long run would make it stale (a fair 401)
    headers = {
        H.TIMESTAMP: fresh if stamp is None else stamp,
        H.SIGNATURE: fake_sg.sign(fresh, BODY) if signature is None else signature,
    }
    return app.test_client().post("/sendgrid/webhook", data=BODY, headers=headers)


def _assert_refused(response, caplog):
    assert response.status_code == 401, response.get_data(as_text=True)
    assert response.json["code"] == 401 and response.json["message"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("stamp", BAD_STAMPS)
def test_malformed_timestamp_is_401(app, fake_sg, caplog, stamp):
    _assert_refused(_post(app, fake_sg, stamp), caplog)


@pytest.mark.parametrize("signature", BAD_SIGNATURES)
def test_malformed_signature_is_401(app, fake_sg, caplog, signature):
    _assert_refused(_post(app, fake_sg, signature=signature), caplog)


def test_a_valid_signature_still_verifies(app, fake_sg):
    assert _post(app, fake_sg).status_code == 200


# -- Signed batches with hostile content ------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,
        '[{"event": "open", "reason": ' + "[" * 40 + "]" * 40 + "}]",
        '[{"event": "delivered", "reason": "\\ud800"}]',
        '[{"event": "delivered", "\\udfff": 1}]',
        '[{"event": "open", "timestamp": ' + "1" * 5000 + "}]",
        '[{"event": "open", "timestamp": NaN}]',
    ],
)
def test_hostile_signed_batches_are_400(fake_sg, live, app, body):
    r = fake_sg.post_events(webhook_url(live), [], body=body + "\r\n")
    assert r.status_code == 400, r.text
    assert r.json()["code"] == 400
    assert rows(app, EmailEvent) == []


@pytest.mark.parametrize(
    "email_id",
    ["1" * 5000, "²", "٣", "1" * 4000, str(2**63), str(2**31), int("9" * 40), -1, "0x1", " 1"],
)
def test_email_ids_that_cannot_exist_are_unmatched(client, fake_sg, live, app, email_id):
    email = sent_email(client)
    event = fake_sg.event(
        message_for(fake_sg, email["id"]),
        "delivered",
        outreach_email_id=email_id,
        sg_message_id="unknown.x",
    )
    r = fake_sg.post_events(webhook_url(live), [event])
    assert r.status_code == 200, r.text
    assert r.json()["unmatched"] == 1
    assert email_json(client, email)["status"] == "sent"


def test_a_timestamp_of_four_thousand_digits_is_an_invalid_event(client, fake_sg, live):
    email = sent_email(client)
    event = fake_sg.event(message_for(fake_sg, email["id"]), "delivered")
    body = fake_sg.body_of([event]).replace(
        f'"timestamp":{event["timestamp"]}', '"timestamp":' + "9" * 4000
    )
    r = fake_sg.post_events(webhook_url(live), [], body=body)
    assert r.status_code == 200, r.text
    assert r.json()["invalid"] == 1
