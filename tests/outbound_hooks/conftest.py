"""Fixtures of outbound webhooks: a real receiver on loopback and an app allowed to post
to it, with a short per-attempt timeout."""

from __future__ import annotations

import pytest

from service.models.outbound_hook import HOOK_EVENTS
from tests.support.hook_receiver import HookReceiver

TEST_TIMEOUT = 1.0  # seconds per attempt here (the service's is 10)
# Every event an endpoint can ask for: test_delivery proves each one arrives.
ALL_EVENTS = list(HOOK_EVENTS)


@pytest.fixture
def app_settings():
    """Private addresses allowed (the receiver is on 127.0.0.1), a short attempt timeout."""
    return {"LINKCHECK_ALLOW_PRIVATE": True, "WEBHOOK_TIMEOUT": TEST_TIMEOUT}


@pytest.fixture
def receiver():
    made = HookReceiver()
    yield made
    made.stop()


def add_hook(client, url: str, events=None, **extra) -> dict:
    """POST /webhooks; the answer (with its secret)."""
    body = {"url": url, "events": events or ALL_EVENTS, **extra}
    response = client.post("/api/v1/webhooks", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()
