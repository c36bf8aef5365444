"""Connecting a Google mailbox with OAuth through the API (docs/api.md §15): start gives
the consent URL with PKCE, finish exchanges the code at the provider and creates (201) or
updates (200) the mailbox; the refresh token is sealed, never shown; the grant then logs
in with XOAUTH2 on both servers."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from service.models import Mailbox
from tests.mailboxes.conftest import ALICE, API
from tests.support.api import assert_error
from tests.support.mail import CLIENT_ID, CLIENT_SECRET
from tests.support.state import rows

REDIRECT = "https://wp.example/wp-admin/admin.php?page=almaseo-outreach-mailboxes"


@pytest.fixture
def google(oauth, monkeypatch):
    for name, value in {
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "AUTHORIZE_URL": f"{oauth.url}/authorize",
        "TOKEN_URL": f"{oauth.url}/token",
    }.items():
        monkeypatch.setenv(f"OUTREACH_OAUTH_GOOGLE_{name}", value)
    monkeypatch.setattr(oauth, "default_email", ALICE)
    return oauth


def consent(client) -> dict:
    """Start, then follow the consent page as the browser would: the finish body."""
    started = client.post(
        f"{API}/oauth/start", json={"provider": "google", "redirect_uri": REDIRECT}
    )
    assert started.status_code == 200, started.json
    answer = httpx.get(started.json["authorize_url"], follow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    back = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert back["state"] == [started.json["state"]]
    return {"state": back["state"][0], "code": back["code"][0]}


def test_connect_with_google_creates_then_updates_the_mailbox(
    client, app, google, smtp, imap, caplog
):
    caplog.set_level(logging.DEBUG)
    made = client.post(f"{API}/oauth/finish", json=consent(client))
    assert made.status_code == 201, made.json
    shown = made.json
    assert (shown["email"], shown["provider"]) == (ALICE, "google")
    assert shown["smtp"] == {"host": "smtp.gmail.com", "port": 587, "security": "starttls",
                             "username": ALICE}  # fmt: skip
    stored = rows(app, Mailbox)[0].refresh_token_stored
    grants = list(google.refresh_tokens)
    assert stored.startswith("fernet:") and grants
    assert not any(g in str(shown) or g in caplog.text or g in stored for g in grants)
    again = client.post(f"{API}/oauth/finish", json=consent(client))
    assert again.status_code == 200 and again.json["id"] == shown["id"]
    local = {
        "smtp": {"host": "localhost", "port": smtp.port("starttls"), "security": "starttls"},
        "imap": {"host": "localhost", "port": imap.tls_port, "security": "tls"},
    }
    client.patch(f"{API}/{shown['id']}", json=local)
    assert client.post(f"{API}/{shown['id']}/test").json == {"smtp": "ok", "imap": "ok"}
    assert [(x.mechanism, x.ok) for x in smtp.logins] == [("XOAUTH2", True)]


def test_a_state_of_another_site_or_made_up_is_refused(client, other_client, google):
    flow = consent(client)
    assert_error(other_client.post(f"{API}/oauth/finish", json=flow), 422, "start again")
    forged = {"state": "fernet:made-up", "code": flow["code"]}
    assert_error(client.post(f"{API}/oauth/finish", json=forged), 422)
    assert client.get(API).json == []


def test_a_code_the_provider_refuses_is_a_502_in_its_words(client, google):
    flow = {**consent(client), "code": "code-never-issued"}
    answer = assert_error(client.post(f"{API}/oauth/finish", json=flow), 502)
    assert "Google refused the grant" in answer["message"]


def test_without_a_client_id_start_is_a_clear_422(client, monkeypatch):
    monkeypatch.delenv("OUTREACH_OAUTH_GOOGLE_CLIENT_ID", raising=False)
    body = {"provider": "google", "redirect_uri": REDIRECT}
    assert_error(
        client.post(f"{API}/oauth/start", json=body), 422, "OUTREACH_OAUTH_GOOGLE_CLIENT_ID"
    )


def test_the_site_names_the_providers_with_a_client_id(client, monkeypatch):
    """WordPress shows a Connect button per provider the site's settings name."""
    monkeypatch.delenv("OUTREACH_OAUTH_GOOGLE_CLIENT_ID", raising=False)
    monkeypatch.delenv("OUTREACH_OAUTH_MICROSOFT_CLIENT_ID", raising=False)
    assert client.get("/api/v1/site").json["oauth_providers"] == []
    monkeypatch.setenv("OUTREACH_OAUTH_MICROSOFT_CLIENT_ID", CLIENT_ID)
    assert client.get("/api/v1/site").json["oauth_providers"] == ["microsoft"]
