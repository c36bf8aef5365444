"""Hostile requests against a real `outreach serve` over a socket (findings 1 and 9)."""

from __future__ import annotations

import http.client
import json
import threading
from urllib.parse import urlsplit

import pytest
import requests

from service import create_app
from tests.server.server import running_service
from tests.support.signed import SignedHttpClient

PROMPT = 20  # seconds: the old pattern needed hours for this body


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    with running_service(tmp_path_factory.mktemp("hostile")) as svc:
        yield svc


def _raw(base_url: str, method: str, target: str, headers: dict | None = None):
    """Exactly this request target and Host (no client-side normalisation)."""
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=PROMPT)
    try:
        conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        for name, value in {"Host": "evil.example", **(headers or {})}.items():
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_brace_run_preview_answers_promptly_while_health_answers(service):
    viewer = SignedHttpClient(service.base_url, service.key, caps="outreach.view")
    answers = {}

    def preview():
        answers["preview"] = viewer.post(
            "/api/v1/templates/preview", json={"subject": "s", "body": "{{" + " " * 20000}
        )

    worker = threading.Thread(target=preview)
    worker.start()
    for _ in range(3):
        assert requests.get(service.base_url + "/healthz", timeout=PROMPT).status_code == 200
    worker.join(PROMPT)
    assert not worker.is_alive(), "the preview did not answer"
    assert answers["preview"].status_code == 200, answers["preview"].text
    assert answers["preview"].json()["text"].startswith("{{")


@pytest.mark.parametrize(
    "target",
    [
        "/api//v1/board",
        "/api//v1/site",
        "//api/v1/board",
        "/api/v1//board",
        "/api/v1/board/",
        "/api/x",
        "/api//v1/openapi.json",
        "/sendgrid//webhook",
    ],
)
def test_paths_under_api_never_redirect(service, target):
    status, headers, body = _raw(service.base_url, "GET", target)
    assert status in (401, 404, 405), (status, headers)
    assert "Location" not in headers and "evil.example" not in body.decode()
    assert headers["Content-Type"].startswith("application/json")
    assert json.loads(body)["code"] == status


def test_no_route_can_redirect(tmp_path):
    """Strict-slash redirects need a rule ending in "/"; merged slashes are switched off."""
    app = create_app({"DATABASE_URL": "sqlite://", "INSTANCE_PATH": str(tmp_path)})
    assert app.url_map.merge_slashes is False
    assert [r.rule for r in app.url_map.iter_rules() if r.rule.endswith("/")] == []
