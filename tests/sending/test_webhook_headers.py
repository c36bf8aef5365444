"""Malformed Event Webhook signature or timestamp headers: 401 JSON, never a 500 (finding 3)."""
from __future__ import annotations

import base64
import logging
import time

import pytest
from sendgrid.helpers.eventwebhook import EventWebhookHeader as H

BODY = "[]\r\n"
NOW = str(int(time.time()))
BAD_STAMPS = ["²", "¹²³", "٣", "1" * 5000, "", " ", "-1", "+1", "1.5", "1e9", "0x10",
              " " + NOW, NOW + " ", NOW + "\u00a0", "9" * 40]
BAD_SIGNATURES = ["", " ", "%%%not-base64", "=", "A", base64.b64encode(b"not DER").decode(),
                  base64.b64encode(b"\x30\x06\x02\x01\x01\x02\x01").decode(),  # truncated DER
                  base64.b64encode(b"\x30\x81\xff" + b"\x00" * 300).decode(), "é" * 100,
                  "A" * 8000]


def _post(app, fake_sg, stamp: str, signature: str | None = None):
    headers = {H.TIMESTAMP: stamp,
               H.SIGNATURE: fake_sg.sign(NOW, BODY) if signature is None else signature}
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
    _assert_refused(_post(app, fake_sg, NOW, signature), caplog)


def test_a_valid_signature_still_verifies(app, fake_sg):
    assert _post(app, fake_sg, NOW).status_code == 200
