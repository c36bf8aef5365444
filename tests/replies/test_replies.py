"""Replies: Inbound Parse posts and marking by hand."""

from __future__ import annotations

from service.models import Email, EmailEvent
from tests.support.api import API, email_json, sent_email
from tests.support.apps import INBOUND_DOMAIN, INBOUND_TOKEN, webhook_url
from tests.support.fake_sendgrid import message_for
from tests.support.state import rows


def inbound_url(live, token=INBOUND_TOKEN):
    return f"{live.url}/sendgrid/inbound/{token}"


def _token(app, email):
    return next(e.reply_token for e in rows(app, Email) if e.id == email["id"])


def test_reply_matched_by_token_in_envelope(client, app, fake_sg, live):
    email = sent_email(client)
    address = f"reply+{_token(app, email)}@{INBOUND_DOMAIN}"
    form = fake_sg.inbound_form("Alma <team@a.example>", envelope_to=[address])
    r = fake_sg.post_inbound(
        inbound_url(live), form, attachments={"attachment1": ("a.pdf", b"%PDF" * 1000)}
    )
    assert r.status_code == 200 and r.json() == {"matched": True, "email_id": email["id"]}
    got = email_json(client, email)
    assert got["status"] == "replied" and got["replied_at"]
    replied = [e for e in got["events"] if e["type"] == "replied"]
    assert replied[0]["detail"]["from"] == "prospect@example.org"
    card = client.get(f"{API}/opportunities/{email['opportunity_id']}").json
    assert card["email_status"] == "replied"
    # SendGrid may deliver the same mail twice: still one reply event.
    assert fake_sg.post_inbound(inbound_url(live), form).status_code == 200
    assert len([e for e in rows(app, EmailEvent) if e.type == "replied"]) == 1


def test_reply_matched_by_token_in_to_header(client, app, fake_sg, live):
    email = sent_email(client)
    to = f'"Alma" <reply+{_token(app, email)}@{INBOUND_DOMAIN}>, other@x.example'
    form = fake_sg.inbound_form(to, envelope_to=["someone@else.example"])
    form["envelope"] = "{broken json"
    assert fake_sg.post_inbound(inbound_url(live), form).json()["matched"] is True


def test_reply_matched_by_in_reply_to_smtp_id(client, fake_sg, live):
    email = sent_email(client)
    msg = message_for(fake_sg, email["id"])
    fake_sg.post_events(webhook_url(live), [fake_sg.event(msg, "processed")])
    form = fake_sg.inbound_form(
        "team@a.example", sender=email["to"], in_reply_to=f"<{msg['x_message_id']}@fake-ismtpd>"
    )
    assert fake_sg.post_inbound(inbound_url(live), form).json()["matched"] is True
    assert email_json(client, email)["status"] == "replied"


def test_reply_matched_by_message_id_without_processed_event(client, fake_sg, live):
    email = sent_email(client)
    msg = message_for(fake_sg, email["id"])
    form = fake_sg.inbound_form(
        "team@a.example",
        sender=email["to"],
        in_reply_to=f"<{msg['x_message_id']}@ismtpd0001p1.sendgrid.net>",
    )
    assert fake_sg.post_inbound(inbound_url(live), form).json()["matched"] is True


def test_unmatched_inbound_is_200_and_dropped(client, app, fake_sg, live):
    sent_email(client)
    form = fake_sg.inbound_form(
        f"reply+unknowntoken123@{INBOUND_DOMAIN}", in_reply_to="<nothing@nowhere>"
    )
    r = fake_sg.post_inbound(inbound_url(live), form)
    assert r.status_code == 200 and r.json()["matched"] is False
    r = fake_sg.post_inbound(inbound_url(live), {"garbage": "x"})
    assert r.status_code == 200 and r.json()["matched"] is False
    assert not [e for e in rows(app, EmailEvent) if e.type == "replied"]


def test_inbound_token_is_checked(app, fake_sg, live):
    form = fake_sg.inbound_form("x@y.example")
    r = fake_sg.post_inbound(inbound_url(live, "wrong-token"), form)
    assert r.status_code == 404 and r.json()["code"] == 404
    app.config["INBOUND_TOKEN"] = None
    assert fake_sg.post_inbound(inbound_url(live), form).status_code == 404


def test_mark_replied_by_hand(client, app, other_client):
    email = sent_email(client)
    url = f"{API}/emails/{email['id']}/replied"
    assert client.post(url, caps="outreach.view").status_code == 403
    assert other_client.post(url).status_code == 404
    r = client.post(url, caps="outreach.edit")
    assert r.status_code == 200 and r.json["status"] == "replied"
    again = client.post(url)
    assert again.status_code == 200 and again.json["replied_at"] == r.json["replied_at"]
    assert len([e for e in rows(app, EmailEvent) if e.type == "replied"]) == 1
    assert client.post(f"{API}/emails/999999/replied").status_code == 404


def test_reply_beats_click_and_bounce_wins(client, fake_sg, live):
    email = sent_email(client)
    msg = message_for(fake_sg, email["id"])
    client.post(f"{API}/emails/{email['id']}/replied")
    fake_sg.post_events(webhook_url(live), [fake_sg.event(msg, "click")])
    assert email_json(client, email)["status"] == "replied"


def test_big_inbound_mail_is_accepted_not_413(client, app, fake_sg, live):
    email = sent_email(client)
    form = fake_sg.inbound_form(f"reply+{_token(app, email)}@{INBOUND_DOMAIN}")
    form["html"] = "<p>quoted thread</p>" * 40000  # ~800 KB of text field
    r = fake_sg.post_inbound(
        inbound_url(live), form, attachments={"attachment1": ("big.bin", b"\0" * 3_000_000)}
    )
    assert r.status_code == 200 and r.json()["matched"] is True


def test_reply_marked_by_hand_on_an_unknown_email_moves_its_card(client, app, fake_sg):
    """A reply proves the email went out: counted as sent, the card joins Reached."""
    from tests.support.api import create_opp, send

    opp = create_opp(client, status="queued")
    fake_sg.fail_next(503, "v3 API unavailable")
    assert send(client, opp["id"]).status_code == 502
    [email] = rows(app, Email)
    assert email.send_state == "unknown"
    r = client.post(f"{API}/emails/{email.id}/replied")
    assert r.status_code == 200 and r.json["send_state"] == "sent", r.json
    card = client.get(f"{API}/opportunities/{opp['id']}").json
    assert card["status"] == "reached" and card["emails_sent"] == 1


def test_deeply_nested_json_fields_are_a_named_400(client, app, fake_sg, live):
    """Issue 21 #12: `envelope` or `charsets` nested 100,000 deep was a RecursionError → 500."""
    email = sent_email(client)
    for name in ("envelope", "charsets"):
        form = fake_sg.inbound_form(f"reply+{_token(app, email)}@{INBOUND_DOMAIN}")
        form[name] = "[" * 50_000 + "]" * 50_000
        r = fake_sg.post_inbound(inbound_url(live), form)
        assert r.status_code == 400 and f"`{name}` is larger than 64 KiB" in r.json()["message"]
        form[name] = "[" * 5_000 + "]" * 5_000
        r = fake_sg.post_inbound(inbound_url(live), form)
        assert r.status_code == 400 and f"`{name}` nests deeper than 8" in r.json()["message"]
    assert email_json(client, email)["status"] != "replied"  # nothing was recorded


def test_more_than_1000_parts_is_named_as_such(client, app, fake_sg, live):
    """Issue 21 #12: 1,001 parts answered 413 "larger than 1 MiB"."""
    form = fake_sg.inbound_form(f"reply+nosuchtoken99@{INBOUND_DOMAIN}")
    form.update({f"extra{i}": "x" for i in range(1001)})
    r = fake_sg.post_inbound(inbound_url(live), form)
    assert r.status_code == 413 and r.json()["message"] == (
        "The Inbound Parse post has more than 1,000 parts (fields and attachments)."
    )
