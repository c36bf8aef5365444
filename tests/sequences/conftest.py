"""Fixtures for sequences: the fake SendGrid on a real socket, API helpers, one scheduler pass."""

from __future__ import annotations

import pytest

from service.worker.scheduler import Scheduler
from tests.support.api import create_opp, create_template, enroll, make_sequence
from tests.support.fake_sendgrid import API_KEY


@pytest.fixture
def app_settings(sendgrid):
    """Sends through the real SendGrid adapter to the fake; unsigned webhooks on."""
    return {
        "SENDGRID_API_KEY": API_KEY,
        "SENDGRID_API_HOST": sendgrid.host,
        "SENDGRID_TIMEOUT": 5,
        "ALLOW_UNSIGNED_WEBHOOKS": True,
    }


@pytest.fixture
def scheduler(app):
    """One sequence-steps worker of this test process (run .run_pass() by hand)."""
    return Scheduler(app, owner="test-scheduler", kind="sequence-steps")


@pytest.fixture
def templates3(client) -> list[int]:
    return [
        create_template(client, f"T{i}", f"Step {i} for {{{{domain}}}}", f"Body {i} {{{{url}}}}")[
            "id"
        ]
        for i in (1, 2, 3)
    ]


@pytest.fixture
def started(client, templates3):
    """An opportunity enrolled in a 3-step sequence (72 h delays); step 1 already sent."""
    opp = create_opp(client)["id"]
    seq = make_sequence(client, templates3)
    r = enroll(client, opp, seq["id"])
    assert r.status_code == 201, r.json
    return {"opp": opp, "seq": seq, "enrollment": r.json}
