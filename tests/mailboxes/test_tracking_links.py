"""Tracking without SendGrid (docs/api.md §15): a mailbox that turns it on sends an open
pixel and links through OUTREACH_PUBLIC_URL; over real HTTP an open and a click are
recorded once each as the Event Webhook's events are, and a click only ever redirects to
the URL that was in that email (forged, altered or swapped tokens: 404 JSON)."""

from __future__ import annotations

import base64
import re

import httpx
import pytest

from service.mail.smtp_connection import POOL
from service.models import Email, EmailEvent
from tests.mailboxes.conftest import add_mailbox
from tests.support.api import API, create_opp, send
from tests.support.state import rows

PUBLIC = "https://outreach.example"
PAGE = "https://site1.example/p?a=1&b=2"


@pytest.fixture
def app_settings(settings):
    return {"MAIL_SETTINGS": settings, "PUBLIC_URL": PUBLIC}


@pytest.fixture(autouse=True)
def fresh_pool():
    yield
    POOL.close_all()


def send_one(client, smtp, imap, user, **tracking) -> str:
    """The HTML part of one email sent from a mailbox with `tracking` settings."""
    add_mailbox(client, smtp, imap, imap_user=user, save_to_sent=False, **tracking)
    opp = create_opp(client, source_url=PAGE)["id"]
    assert send(client, opp, to="editor@site1.example").status_code == 201
    [received] = smtp.wait_messages(1)
    return received.message.get_body(("html",)).get_content()


def tracked(markup: str, kind: str) -> list[str]:
    """The paths of the email's tracking links of `kind` ("o" or "c")."""
    return re.findall(rf'"{re.escape(PUBLIC)}(/t/{kind}/[^"]+)"', markup)


def get(live, path: str) -> httpx.Response:
    return httpx.get(live.url + path, follow_redirects=False, timeout=10)


def test_off_by_default(client, smtp, imap, user):
    markup = send_one(client, smtp, imap, user)
    assert "/t/" not in markup and 'href="https://site1.example/p?a=1&amp;b=2"' in markup


def test_an_open_and_a_click_are_recorded_once_each(client, app, live, smtp, imap, user):
    markup = send_one(client, smtp, imap, user, track_opens=True, track_clicks=True)
    [pixel], [click] = tracked(markup, "o"), tracked(markup, "c")
    assert f'href="{PUBLIC}/u/' in markup  # the unsubscribe link goes straight there
    for _ in range(2):
        opened = get(live, pixel)
        assert opened.status_code == 200 and opened.headers["content-type"] == "image/gif"
        redirected = get(live, click)
        assert redirected.status_code == 302 and redirected.headers["location"] == PAGE
    [email] = rows(app, Email)
    assert email.status == "clicked" and email.opened_at and email.clicked_at
    kinds = sorted(e.type for e in rows(app, EmailEvent) if e.type != "sent")
    assert kinds == ["click", "open"]  # twice each, recorded once each
    card = client.get(f"{API}/opportunities/{email.opportunity_id}").json
    assert card["email_status"] == "clicked"
    days = client.get(f"{API}/metrics/daily").json  # insights count them as SendGrid's
    assert (sum(d["opened"] for d in days), sum(d["clicked"] for d in days)) == (1, 1)


def test_forged_altered_or_swapped_tokens_are_refused(client, app, live, smtp, imap, user):
    markup = send_one(client, smtp, imap, user, track_opens=True, track_clicks=True)
    [pixel], [click] = tracked(markup, "o"), tracked(markup, "c")
    email_id, url_part, mac = click.removeprefix("/t/c/").split(".")
    elsewhere = base64.urlsafe_b64encode(b"https://evil.example/").decode().rstrip("=")
    # Its first character changed (the last two were once "AA" already: CI, 1 run in 256).
    altered = ("B" if mac[0] == "A" else "A") + mac[1:]
    wrong = [
        f"/t/c/{email_id}.{elsewhere}.{mac}",  # a URL that was not in the email
        f"/t/c/{int(email_id) + 1}.{url_part}.{mac}",  # another email's id
        f"/t/c/{email_id}.{url_part}.{altered}",  # an altered MAC
        f"/t/o/{email_id}.{mac}",  # a click's MAC as an open's
        pixel[:-3] + "xyz",
        "/t/c/not-a-token",
        "/t/o/%00",
    ]
    for path in wrong:
        answer = get(live, path)
        assert answer.status_code == 404, path
        assert answer.json()["code"] == 404 and "location" not in answer.headers
    assert [e.type for e in rows(app, EmailEvent)] == ["sent"]
    assert rows(app, Email)[0].status == "sent"
