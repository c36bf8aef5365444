"""Replies kept readable: stored text, the new part, read/unread, charsets, hostile mail."""

from __future__ import annotations

import time

import pytest

from service.models import Email, Reply
from tests.support.api import API, email_json, sent_email
from tests.support.apps import INBOUND_DOMAIN, INBOUND_TOKEN, METRICS_AUTH
from tests.support.state import rows

QUOTED = (
    "Sure, happy to add the link.\n\n"
    "Best regards,\nJane\n\n"
    "On Mon, 1 Dec 2026 at 10:00, Alma <team@a.example> wrote:\n"
    "> Hi Jane,\n> would you link to our guide?\n"
)


def _post(app, fake_sg, live, email, **fields):
    token = next(e.reply_token for e in rows(app, Email) if e.id == email["id"])
    form = fake_sg.inbound_form(f"reply+{token}@{INBOUND_DOMAIN}")
    attachments = fields.pop("attachments", None)
    form.update(fields)
    r = fake_sg.post_inbound(f"{live.url}/sendgrid/inbound/{INBOUND_TOKEN}", form, attachments)
    assert r.status_code == 200, r.text
    return r.json()


def _replies(client, email):
    return email_json(client, email)["replies"]


def test_reply_is_kept_with_its_new_part_and_read_once(client, app, fake_sg, live):
    email = sent_email(client)
    assert _post(app, fake_sg, live, email, text=QUOTED)["matched"] is True
    [reply] = _replies(client, email)
    assert reply["text"] == "Sure, happy to add the link."
    assert reply["from"] == "prospect@example.org" and reply["subject"] == "Re: hello"
    assert reply["read"] is False and reply["received_at"]
    card = client.get(f"{API}/opportunities/{email['opportunity_id']}").json
    assert card["unread_replies"] == 1
    assert client.get(f"{API}/metrics").json["unread_replies"] == 1
    board = client.get(f"{API}/board").json
    cursor = board["cursor"]
    assert board["columns"]["reached"][0]["unread_replies"] == 1
    full = client.get(f"{API}/replies/{reply['id']}").json
    assert "would you link to our guide?" in full["full_text"] and full["read"] is False
    for _ in range(2):  # read twice: counted down once
        r = client.post(f"{API}/replies/{reply['id']}/read", caps="outreach.view")
        assert r.status_code == 200 and r.json["read"] is True
    card = client.get(f"{API}/opportunities/{email['opportunity_id']}").json
    assert card["unread_replies"] == 0
    assert client.get(f"{API}/metrics").json["unread_replies"] == 0
    delta = client.get(f"{API}/board", query={"since": cursor}).json
    assert [(c["id"], c["unread_replies"]) for c in delta["cards"]] == [(card["id"], 0)]


def test_same_mail_twice_is_one_reply_two_mails_are_two(client, app, fake_sg, live):
    email = sent_email(client)
    headers = "Message-ID: <one@mail.example.org>\n"
    _post(app, fake_sg, live, email, headers=headers)
    _post(app, fake_sg, live, email, headers=headers)
    assert len(_replies(client, email)) == 1
    _post(app, fake_sg, live, email, headers="Message-ID: <two@mail.example.org>\n")
    assert len(_replies(client, email)) == 2
    card = client.get(f"{API}/opportunities/{email['opportunity_id']}").json
    assert card["unread_replies"] == 2


def test_html_only_reply_is_text_never_markup(client, app, fake_sg, live):
    email = sent_email(client)
    html = "<p>Deal <b>done</b>.</p><script>alert(1)</script><p>See <a href='https://x.example'>this</a></p>"
    _post(app, fake_sg, live, email, text="", html=html)
    [reply] = _replies(client, email)
    assert reply["text"] == "Deal done.\n\nSee this (https://x.example)"
    assert "<" not in reply["text"] and "alert" not in reply["text"]


def test_reply_in_another_charset_is_decoded(client, app, fake_sg, live):
    email = sent_email(client)
    _post(
        app,
        fake_sg,
        live,
        email,
        text="Grüße aus Köln".encode("iso-8859-1"),
        subject="Re: Schön".encode("iso-8859-1"),
        charsets='{"text": "iso-8859-1", "subject": "iso-8859-1", "from": "UTF-8"}',
    )
    [reply] = _replies(client, email)
    assert reply["text"] == "Grüße aus Köln" and reply["subject"] == "Re: Schön"


def test_unknown_charset_and_empty_reply_still_kept(client, app, fake_sg, live):
    email = sent_email(client)
    _post(app, fake_sg, live, email, text="", html="", charsets='{"text": "x-no-such"}')
    [reply] = _replies(client, email)
    assert reply["text"] == "" and email_json(client, email)["status"] == "replied"


@pytest.mark.parametrize("label", ["hex", "zlib", "rot13", "idna", "undefined"])
def test_a_charset_that_is_no_text_encoding_reads_as_utf8(client, app, fake_sg, live, label):
    """Issue 21: `codecs.lookup` knows these, bytes.decode fails on them: a 500, and
    SendGrid posted the message again for ever."""
    email = sent_email(client)
    charsets = f'{{"text": "{label}", "subject": "{label}", "from": "{label}"}}'
    _post(app, fake_sg, live, email, text="Grüße", subject="Re: Köln", charsets=charsets)
    [reply] = _replies(client, email)
    assert reply["text"] == "Grüße" and reply["subject"] == "Re: Köln"


def test_big_reply_with_attachments_is_kept(client, app, fake_sg, live):
    email = sent_email(client)
    text = "Yes!\n\nOn Mon, Bob wrote:\n" + "> quoted line\n" * 200_000  # ~2.8 MB
    big = {"attachment1": ("big.bin", b"\0" * 22_000_000)}
    assert _post(app, fake_sg, live, email, text=text, attachments=big)["matched"] is True
    [stored] = rows(app, Reply)
    assert stored.text == "Yes!" and len(stored.full_text) == 1_000_000


def test_hostile_text_is_stripped_in_bounded_time(client, app, fake_sg, live):
    email = sent_email(client)
    hostile = "On " + "a " * 50_000 + "\n" + "\n" * 50_000 + "x" + " " * 50_000
    started = time.monotonic()
    _post(app, fake_sg, live, email, text=hostile)
    assert time.monotonic() - started < 5  # the raw library takes minutes on this
    assert len(_replies(client, email)) == 1


def test_unmatched_reply_is_counted_not_stored(client, app, fake_sg, live):
    sent_email(client)
    form = fake_sg.inbound_form(f"reply+nosuchtoken99@{INBOUND_DOMAIN}")
    r = fake_sg.post_inbound(f"{live.url}/sendgrid/inbound/{INBOUND_TOKEN}", form)
    assert r.json()["matched"] is False and rows(app, Reply) == []
    metrics = app.test_client().get("/metrics", headers=METRICS_AUTH).get_data(as_text=True)
    assert 'outreach_inbound_replies_total{result="unmatched"}' in metrics


def test_replies_are_per_site_and_need_view(client, other_client, app, fake_sg, live):
    email = sent_email(client)
    _post(app, fake_sg, live, email)
    [reply] = _replies(client, email)
    assert other_client.get(f"{API}/replies/{reply['id']}").status_code == 404
    assert other_client.post(f"{API}/replies/{reply['id']}/read").status_code == 404
    assert client.get(f"{API}/replies/{reply['id']}", caps="").status_code == 403
    assert client.get(f"{API}/replies/99999").status_code == 404
    assert rows(app, Reply)[0].read_at is None
