"""One-click unsubscribe: headers and links in what SendGrid receives, the public page."""

from __future__ import annotations

import re

import requests

from service.app import create_app
from service.models import EmailEvent, Enrollment, Suppression
from tests.deliverability.conftest import PUBLIC_URL
from tests.support import api
from tests.support.api import API, assert_error, create_opp, send, settings
from tests.support.apps import LiveServer, sending_config
from tests.support.databases import wipe
from tests.support.fake_sendgrid import message_for
from tests.support.state import rows

LINK_RE = re.compile(re.escape(PUBLIC_URL) + r"/u/([0-9]+\.[A-Za-z0-9_-]{22})")


def parts(message: dict) -> tuple[str, str]:
    content = {c["type"]: c["value"] for c in message["request"]["content"]}
    return content["text/plain"], content["text/html"]


def token_of(message: dict) -> str:
    header = message["request"]["headers"]["List-Unsubscribe"]
    match = LINK_RE.fullmatch(header.strip("<>"))
    assert match, header
    return match.group(1)


def page(live, token, method="get", **kw):
    return requests.request(
        method, f"{live.url}/u/{token}", timeout=10, proxies={"http": None, "https": None}, **kw
    )


def test_every_email_carries_the_rfc8058_headers_and_a_footer(client, fake_sg):
    email = api.sent_email(client)
    msg = message_for(fake_sg, email["id"])
    headers = msg["request"]["headers"]
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = token_of(msg)
    assert token.startswith(f"{email['id']}.")
    text, html = parts(msg)
    assert text.count(f"{PUBLIC_URL}/u/{token}") == 1
    assert text.splitlines()[-1].startswith("If you would rather I did not write again")
    assert html.count(f'href="{PUBLIC_URL}/u/{token}"') == 1
    assert "newsletter" not in (text + html).lower()


def test_the_placeholder_replaces_the_footer_and_the_footer_can_be_off(client, fake_sg):
    opp = create_opp(client)["id"]
    r = send(client, opp, subject="Hi", body="Hello.\n\nNot for you? {{unsubscribe_url}}")
    assert r.status_code == 201, r.json
    msg = message_for(fake_sg, r.json["id"])
    token = token_of(msg)
    text, html = parts(msg)
    assert text.endswith(f"Not for you? {PUBLIC_URL}/u/{token}")
    assert "would rather" not in text and "would rather" not in html
    assert f'href="{PUBLIC_URL}/u/{token}"' in html  # the plain-text body's link is live
    settings(client, unsubscribe_footer=False, cooldown_hours=0)
    assert client.get(f"{API}/site").json["unsubscribe_footer"] is False
    r = send(client, opp, subject="Hi", body="Plain.")
    msg = message_for(fake_sg, r.json["id"])
    text, html = parts(msg)
    assert text == "Plain." and "/u/" not in html
    assert msg["request"]["headers"]["List-Unsubscribe"]  # the header is always there


def test_without_a_public_url_no_header_no_link(engine, database_url, clock, tmp_path, fake_sg):
    from tests.support.signed import SignedTestClient
    from tests.support.state import make_site

    fake_sg.reset()
    app = create_app(sending_config(database_url, engine, clock, tmp_path, fake_sg))
    try:
        client = SignedTestClient(app.test_client(), make_site(app), clock)
        opp = create_opp(client)["id"]
        r = send(client, opp, subject="Hi", body="Bye: {{unsubscribe_url}}")
        msg = message_for(fake_sg, r.json["id"])
    finally:
        wipe(engine)
    assert "headers" not in msg["request"] or "List-Unsubscribe" not in msg["request"]["headers"]
    text, _ = parts(msg)
    assert text == "Bye: " and "unsubscribe.invalid" not in str(msg)


def test_page_get_shows_a_button_post_unsubscribes_once(client, app, live, fake_sg):
    settings(client, from_name="Alex at Acme")
    templates = [api.create_template(client, f"T{i}")["id"] for i in (1, 2)]
    opp = create_opp(client)["id"]
    assert api.enroll(client, opp, api.make_sequence(client, templates)["id"]).status_code == 201
    [msg] = fake_sg.messages
    token = token_of(msg)
    r = page(live, token)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    assert '<form method="post">' in r.text and "<button" in r.text and "<script" not in r.text
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    assert "Alex at Acme" in r.text and "editor@blog.example.org" not in r.text
    assert rows(app, Suppression) == []  # a GET (a link scanner) changes nothing
    for _ in range(2):  # one-click from a mail client, then the button again
        r = page(live, token, "post", data={"List-Unsubscribe": "One-Click"})
        assert r.status_code == 200 and "will not email this address again" in r.text
    [entry] = rows(app, Suppression)
    assert (entry.email, entry.reason, entry.kind) == (
        "editor@blog.example.org",
        "unsubscribed",
        "email",
    )
    [enrollment] = rows(app, Enrollment)
    assert (enrollment.status, enrollment.stop_reason) == ("stopped", "suppressed")
    events = [e for e in rows(app, EmailEvent) if e.type == "unsubscribed"]
    assert len(events) == 1
    listed = client.get(f"{API}/suppressions").json["items"]
    assert [(e["value"], e["reason"]) for e in listed] == [
        ("editor@blog.example.org", "unsubscribe")
    ]
    assert_error(send(client, opp, to="Editor@blog.example.org"), 422, "unsubscribed")


def test_unknown_or_forged_tokens_get_the_same_page_and_change_nothing(client, app, live, fake_sg):
    email = api.sent_email(client)
    real = token_of(message_for(fake_sg, email["id"]))
    forged = [f"{email['id']}.{'A' * 22}", f"{email['id'] + 1}.{real.split('.')[1]}", "x", "9" * 40]
    for token in forged:
        shown = page(live, token)
        assert shown.status_code == 200 and "<button" in shown.text
        done = page(live, token, "post")
        assert done.status_code == 200 and "will not email this address again" in done.text
    assert rows(app, Suppression) == []


def test_the_page_speaks_the_visitors_language(client, live, fake_sg):
    token = token_of(message_for(fake_sg, api.sent_email(client)["id"]))
    r = page(live, token, headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert '<html lang="fr">' in r.text and "Désinscription" in r.text


def test_a_second_server_accepts_the_first_ones_links(
    client, app, engine, database_url, clock, tmp_path, fake_sg
):
    """Tokens are signed under the shared secret key, not a per-process secret."""
    token = token_of(message_for(fake_sg, api.sent_email(client)["id"]))
    other = create_app(
        sending_config(database_url, engine, clock, tmp_path / "b", fake_sg, PUBLIC_URL=PUBLIC_URL)
    )
    with LiveServer(other) as server:
        page(server, token, "post")
    assert [s.reason for s in rows(app, Suppression)] == ["unsubscribed"]


def test_twenty_clicks_at_once_list_the_address_once(client, app, live, fake_sg):
    from tests.support.processes import run_threads

    token = token_of(message_for(fake_sg, api.sent_email(client)["id"]))
    answers = [None] * 20

    def click(i):
        answers[i] = page(live, token, "post").status_code

    run_threads(click, [(i,) for i in range(20)])
    assert answers == [200] * 20
    assert len(rows(app, Suppression)) == 1
    assert len([e for e in rows(app, EmailEvent) if e.type == "unsubscribed"]) == 1
