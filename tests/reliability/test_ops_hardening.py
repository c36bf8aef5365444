"""Operator surfaces: who may read /metrics, where gunicorn binds, no Inbound token in logs."""

from __future__ import annotations

import json
import logging
import os
import secrets
import subprocess
import sys

import pytest
import requests

from service import create_app, metrics_listener, observability
from tests.reliability.servers import ROOT, Gunicorn
from tests.support.apps import app_config
from tests.support.fake_sendgrid import FakeSendGrid
from tests.support.processes import free_port, wait_for

TOKEN = "metrics-" + secrets.token_hex(16)


@pytest.fixture
def guarded(engine, database_url, tmp_path):
    return create_app(app_config(database_url, engine, None, tmp_path, METRICS_TOKEN=TOKEN))


def test_metrics_need_the_bearer_token_when_one_is_configured(guarded):
    http = guarded.test_client()
    for headers in (
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": TOKEN},
        {"Authorization": "Basic " + TOKEN},
    ):
        r = http.get("/metrics", headers=headers)
        assert r.status_code == 401 and r.is_json and "outreach_" not in r.get_data(True)
    r = http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200 and "outreach_http_requests_total" in r.get_data(True)
    remote = {"REMOTE_ADDR": "203.0.113.7"}  # with a token, the caller's address is moot
    r = http.get("/metrics", headers={"Authorization": f"bearer {TOKEN}"}, environ_base=remote)
    assert r.status_code == 200


def test_without_a_token_metrics_are_hidden_even_from_loopback(engine, database_url, tmp_path):
    """Issue 21 #11: a reverse proxy on the same host that adds no forwarding header (nginx's
    plain proxy_pass) made a loopback-trusting /metrics public."""
    app = create_app(app_config(database_url, engine, None, tmp_path, METRICS_TOKEN=None))
    http = app.test_client()
    for remote in ("127.0.0.1", "::1", "10.0.0.5", "203.0.113.7", ""):
        r = http.get("/metrics", environ_base={"REMOTE_ADDR": remote})
        assert r.status_code == 404 and r.is_json and "outreach_" not in r.get_data(True)
    assert http.get("/metrics", headers={"Authorization": "Bearer x"}).status_code == 404


def test_the_metrics_listener_serves_metrics_and_nothing_else():
    from werkzeug.test import Client

    http = Client(metrics_listener.metrics_app)
    r = http.get("/metrics")
    assert r.status_code == 200 and "outreach_http_requests_total" in r.get_data(True)
    for path in ("/", "/healthz", "/api/v1/board"):
        assert http.get(path).status_code == 404
    assert metrics_listener.parse_bind("127.0.0.1:9464") == ("127.0.0.1", 9464)
    assert metrics_listener.parse_bind("[::1]:9464") == ("::1", 9464)
    for wrong in ("9464", "host:", ":80", "h:99999", "h:x"):
        with pytest.raises(ValueError, match="OUTREACH_METRICS_BIND must be host:port"):
            metrics_listener.parse_bind(wrong)


def test_gunicorn_serves_metrics_on_its_own_listener(database_url):
    port = free_port()
    env = {"OUTREACH_METRICS_BIND": f"127.0.0.1:{port}", "OUTREACH_METRICS_TOKEN": ""}
    with Gunicorn(database_url, workers=1, env=env) as server:
        assert requests.get(server.url + "/metrics", timeout=5).status_code == 404
        for _ in range(3):
            requests.get(server.url + "/healthz", timeout=5)
        url = f"http://127.0.0.1:{port}/metrics"
        # On a timeout, the log says why (a CI run once met it: the listener's own lines,
        # e.g. a port taken between free_port() and its bind, are in gunicorn's log).
        wait_for(lambda: _answers(url), 30, every=0.1, why=lambda: server.log()[-4000:])
        r = requests.get(url, timeout=5)  # the workers' counts, summed by the listener
        lines = [ln for ln in r.text.splitlines() if ln.startswith("outreach_http_requests_total{")]
        assert any('route="/healthz"' in ln for ln in lines), r.text
        assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 404


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.ConnectionError:
        return False


def _gunicorn_setting(name: str, **env) -> str:
    """One setting of gunicorn.conf.py as evaluated in a clean process with `env`."""
    clean = {k: v for k, v in os.environ.items() if k not in ("GUNICORN_BIND", "HOST", "PORT")}
    code = f"import runpy; print(runpy.run_path('gunicorn.conf.py')[{name!r}])"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_gunicorn_binds_loopback_unless_told_otherwise():
    assert _gunicorn_setting("bind") == "127.0.0.1:8000"
    assert _gunicorn_setting("bind", PORT="9000") == "127.0.0.1:9000"
    assert _gunicorn_setting("bind", HOST="0.0.0.0", PORT="8000") == "0.0.0.0:8000"
    assert _gunicorn_setting("bind", GUNICORN_BIND="unix:/run/o.sock") == "unix:/run/o.sock"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "HOST=0.0.0.0" in dockerfile  # a container must listen beyond its loopback


def test_gunicorn_access_log_redacts_the_inbound_token(database_url):
    token = "inbound-" + secrets.token_hex(12)
    with Gunicorn(database_url, workers=1, env={"OUTREACH_INBOUND_TOKEN": token}) as server:
        form = FakeSendGrid.inbound_form("reply@in.example")
        r = FakeSendGrid.post_inbound(f"{server.url}/sendgrid/inbound/{token}", form)
        assert r.status_code == 200
        wrong = FakeSendGrid.post_inbound(f"{server.url}/sendgrid/inbound/{token}x", form)
        assert wrong.status_code == 404
        redacted = '"/sendgrid/inbound/<redacted>"'
        wait_for(lambda: server.log().count(redacted) >= 2, 60, every=0.05, why=server.log)
        text = server.log()
    assert token not in text
    paths = [json.loads(line).get("path") for line in text.splitlines() if line.strip()]
    assert paths.count("/sendgrid/inbound/<redacted>") == 2


def test_json_logs_redact_the_inbound_token_in_messages_and_tracebacks():
    formatter = observability.JsonFormatter()
    try:
        raise RuntimeError("while posting to /sendgrid/inbound/s3cr3t-token")
    except RuntimeError:
        record = logging.LogRecord(
            "flask.app",
            logging.ERROR,
            __file__,
            1,
            "Exception on %s [%s]",
            ("/sendgrid/inbound/s3cr3t-token", "POST"),
            sys.exc_info(),
        )
    record.path = "/sendgrid/inbound/s3cr3t-token?x=1"
    line = formatter.format(record)
    entry = json.loads(line)
    assert "s3cr3t" not in line
    assert entry["msg"] == "Exception on /sendgrid/inbound/<redacted> [POST]"
    assert entry["path"] == "/sendgrid/inbound/<redacted>?x=1"
    assert "/sendgrid/inbound/<redacted>" in entry["exc"]
