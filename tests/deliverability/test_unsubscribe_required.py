"""Issue 21 #14: real mail without OUTREACH_PUBLIC_URL carried no unsubscribe link, after
one warning line. Now it is refused (start, /readyz, every send) unless opted out."""

from __future__ import annotations

import os
import subprocess

import pytest

from service.config import unsubscribe_problem
from tests.server.server import Service, outreach_command
from tests.support.api import create_opp, send
from tests.support.apps import sending_settings
from tests.support.fake_sendgrid import API_KEY
from tests.support.processes import free_port


@pytest.fixture
def app_settings(sendgrid):
    return sending_settings(sendgrid, PUBLIC_URL=None, ALLOW_NO_UNSUBSCRIBE=False)


def test_the_rule():
    real = {"SENDGRID_API_KEY": "SG.x"}
    assert "OUTREACH_PUBLIC_URL is not set" in unsubscribe_problem(real)
    assert unsubscribe_problem({**real, "PUBLIC_URL": "https://o.example"}) is None
    assert unsubscribe_problem({**real, "ALLOW_NO_UNSUBSCRIBE": True}) is None
    assert unsubscribe_problem({}) is None  # the local outbox sends nothing


def test_readyz_says_why_and_no_send_leaves(app, client, sendgrid):
    r = app.test_client().get("/readyz")
    assert r.status_code == 503 and "OUTREACH_PUBLIC_URL is not set" in r.json["message"]
    opp = create_opp(client, status="queued")
    r = send(client, opp["id"])
    assert r.status_code == 502 and "OUTREACH_PUBLIC_URL" in r.json["message"], r.json
    assert sendgrid.messages == []


def test_the_outbox_needs_no_public_url(engine, database_url, clock, tmp_path):
    from service.app import create_app
    from tests.support.apps import app_config

    outbox = create_app(app_config(database_url, engine, clock, tmp_path, PUBLIC_URL=None))
    assert outbox.test_client().get("/readyz").status_code == 200


def test_serve_refuses_to_start(tmp_path):
    svc = Service(tmp_path / "svc")
    svc.env.pop("OUTREACH_ALLOW_NO_UNSUBSCRIBE", None)
    svc.env.pop("OUTREACH_PUBLIC_URL", None)
    svc.env["SENDGRID_API_KEY"] = API_KEY
    try:
        svc.cli("db", "upgrade")
        port = str(free_port())
        done = subprocess.run(
            [*outreach_command(), "serve", "--port", port],
            env=svc.env,
            capture_output=True,
            text=True,
            timeout=60,  # the old code served here until killed
        )
        assert done.returncode != 0
        assert "outreach refuses to start: OUTREACH_PUBLIC_URL is not set" in done.stderr
        svc.env["OUTREACH_ALLOW_NO_UNSUBSCRIBE"] = "1"  # the explicit opt-out
        svc.start()
    finally:
        svc.stop()
    assert os.environ.get("OUTREACH_ALLOW_NO_UNSUBSCRIBE") == "1"  # the suite's own opt-out
