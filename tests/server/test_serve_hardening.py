"""`outreach serve` on a production server: timeouts, clean SIGTERM, no secrets in logs."""

from __future__ import annotations

import secrets
import signal
import socket
from urllib.parse import urlsplit

import pytest
import requests

from tests.server.server import Service
from tests.support.fake_sendgrid import FakeSendGrid
from tests.support.processes import free_port, wait_for

INBOUND_TOKEN = "inbound-" + secrets.token_hex(12)
METRICS_PORT = free_port()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A server whose connections time out after 2 s, with the scheduler running."""
    svc = Service(tmp_path_factory.mktemp("hardened"))
    svc.env.update(
        {
            "OUTREACH_SERVE_TIMEOUT": "2",
            "OUTREACH_INBOUND_TOKEN": INBOUND_TOKEN,
            "OUTREACH_SCHEDULER": "1",
            "OUTREACH_SCHEDULER_INTERVAL": "1",
            "OUTREACH_METRICS_BIND": f"127.0.0.1:{METRICS_PORT}",
        }
    )
    try:
        svc.cli("db", "upgrade")
        svc.start()
        yield svc
    finally:
        svc.stop()


def test_a_request_whose_body_never_comes_is_dropped_after_the_timeout(served):
    parts = urlsplit(served.base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=60) as sock:
        sock.sendall(
            b"POST /api/v1/opportunities HTTP/1.1\r\nHost: t\r\n"
            b'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":'
        )
        # The stalled client holds no worker: other requests are answered meanwhile.
        for _ in range(3):
            assert requests.get(served.base_url + "/healthz", timeout=10).status_code == 200
        try:
            closed = sock.recv(4096) == b""  # the server hangs up on the idle connection
        except TimeoutError:
            closed = False
    assert closed, "the half-sent request held its connection past the 60 s test limit"


def test_an_idle_keep_alive_connection_is_closed_too(served):
    parts = urlsplit(served.base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=60) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            answer += sock.recv(4096)
        assert answer.startswith(b"HTTP/1.1 200")
        try:
            assert sock.recv(4096) == b""
        except TimeoutError:
            pytest.fail("an idle connection was kept open past the 60 s test limit")


def test_the_inbound_token_never_reaches_the_logs(served):
    form = FakeSendGrid.inbound_form("reply@in.example")
    r = FakeSendGrid.post_inbound(f"{served.base_url}/sendgrid/inbound/{INBOUND_TOKEN}", form)
    assert r.status_code == 200 and r.json()["matched"] is False
    assert "matched none of our emails" in _log_once(served, "matched none of our emails")
    assert INBOUND_TOKEN not in served.logs()


def test_metrics_are_served_on_their_own_listener_only(served):
    """Issue 21 #11: no token → /metrics on the API port is hidden even from loopback."""
    assert requests.get(served.base_url + "/metrics", timeout=10).status_code == 404
    listener = f"http://127.0.0.1:{METRICS_PORT}"
    r = requests.get(listener + "/metrics", timeout=10)
    assert r.status_code == 200 and "outreach_http_requests_total" in r.text
    assert requests.get(listener + "/healthz", timeout=10).status_code == 404


def test_sigterm_stops_the_server_and_its_scheduler(tmp_path):
    svc = Service(tmp_path / "term")
    svc.env.update({"OUTREACH_SCHEDULER": "1", "OUTREACH_SCHEDULER_INTERVAL": "1"})
    svc.instance.mkdir()
    try:
        svc.cli("db", "upgrade")
        svc.start()
        assert " every 1" in _log_once(svc, "sequence-steps")  # the scheduler started
        svc.process.send_signal(signal.SIGTERM)
        assert svc.process.wait(timeout=60) == 0
        logs = svc.logs()
        assert "outreach stopped" in logs and "Traceback" not in logs
    finally:
        svc.stop()


def _log_once(svc: Service, needle: str, timeout: float = 60) -> str:
    """The server's log as soon as it holds `needle` (log lines are written after the
    response, so they may trail it a little)."""
    wait_for(
        lambda: needle in svc.logs(),
        timeout,
        every=0.05,
        why=lambda: f"{needle!r} never logged:\n{svc.logs()}",
    )
    return svc.logs()
