"""Fixtures and helpers of the core suite (signing, board, templates, site)."""
from __future__ import annotations

import pytest

from tests.support.signed import SignedTestClient

API = "/api/v1"


def create_opp(client, source_url="https://blog.example.org/post", **fields):
    """POST an opportunity and return its JSON (asserting 201)."""
    r = client.post(f"{API}/opportunities", json={"source_url": source_url, **fields})
    assert r.status_code == 201, r.json
    return r.json


def create_template(client, name="Intro", subject="Hi {{domain}}",
                    body="Hello,\n\nI saw {{url}}."):
    """POST a template and return its JSON (asserting 201)."""
    r = client.post(f"{API}/templates", json={"name": name, "subject": subject, "body": body})
    assert r.status_code == 201, r.json
    return r.json


def column_ids(client, status, q=None):
    """Ids of one board column, in order."""
    r = client.get(f"{API}/board", query={"q": q} if q else None)
    assert r.status_code == 200, r.json
    return [c["id"] for c in r.json["columns"][status]]


def assert_error(response, code, message_part=None):
    """The contract's error shape with the expected status."""
    assert response.status_code == code, (response.status_code, response.get_data(as_text=True))
    body = response.get_json()
    assert body is not None, response.get_data(as_text=True)
    assert body["code"] == code
    assert isinstance(body["status"], str) and body["status"]
    assert isinstance(body["message"], str) and body["message"]
    if message_part is not None:
        assert message_part.lower() in body["message"].lower(), body["message"]
    return body


@pytest.fixture
def raw(app):
    """The unsigned Flask test client."""
    return app.test_client()


@pytest.fixture
def viewer(app, site_key, clock):
    """Site A's client with only outreach.view."""
    return SignedTestClient(app.test_client(), site_key, clock, caps="outreach.view", user=5)
