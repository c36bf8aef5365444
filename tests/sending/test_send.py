"""Manual sends through the real sendgrid library against the fake SendGrid."""

from __future__ import annotations

from service.models import Email
from tests.support.api import API, create_opp, create_template, send
from tests.support.apps import INBOUND_DOMAIN
from tests.support.state import rows, set_site

ANCHOR_BODY = "Hello,\n\nI saw {{url}} and thought of {{anchor_text}}."


def test_send_with_template_reaches_sendgrid(client, fake_sg, app, site_key):
    set_site(app, site_key.site_id, from_email="me@a.example", from_name="Alma")
    opp = create_opp(client, anchor_text="SEO tools", target_url="https://a.example/t")
    tpl = create_template(client, body=ANCHOR_BODY)
    r = send(client, opp["id"], to="Editor@Blog.Example.org", template_id=tpl["id"])
    assert r.status_code == 201, r.json
    email = r.json
    assert email["status"] == "sent" and email["send_state"] == "sent"
    assert email["template_id"] == tpl["id"] and email["to"] == "Editor@Blog.Example.org"
    assert email["subject"] == "Hi blog.example.org"
    assert email["sent_at"] and email["delivered_at"] is None
    assert [e["type"] for e in email["events"]] == ["sent"]
    [msg] = fake_sg.messages
    assert email["message_id"] == msg["x_message_id"]
    req = msg["request"]
    assert req["from"] == {"email": "me@a.example", "name": "Alma"}
    person = req["personalizations"][0]
    assert person["custom_args"] == {
        "outreach_email_id": str(email["id"]),
        "outreach_site_id": str(site_key.site_id),
    }
    assert [c["type"] for c in req["content"]] == ["text/plain", "text/html"]
    assert "SEO tools" in req["content"][0]["value"]
    assert '<a href="https://blog.example.org/post"' in req["content"][1]["value"]
    token = rows(app, Email)[0].reply_token
    assert req["reply_to"]["email"] == f"reply+{token}@{INBOUND_DOMAIN}"
    card = client.get(f"{API}/opportunities/{opp['id']}").json
    assert card["status"] == "reached" and card["email_status"] == "sent"
    assert card["emails_sent"] == 1 and card["last_emailed_at"]


def test_html_values_are_escaped(client, fake_sg):
    opp = create_opp(client, anchor_text="<b>x</b> & y")
    r = send(client, opp["id"], subject="Hi", body="<p>About {{anchor_text}}</p>")
    assert r.status_code == 201, r.json
    html = fake_sg.messages[0]["request"]["content"][1]["value"]
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in html


def test_missing_placeholder_is_422_and_nothing_sent(client, fake_sg, app):
    opp = create_opp(client)
    tpl = create_template(client, body=ANCHOR_BODY)
    r = send(client, opp["id"], template_id=tpl["id"])
    assert r.status_code == 422
    assert "anchor_text" in r.json["message"] and "anchor_text" in r.json["errors"]
    assert fake_sg.messages == [] and rows(app, Email) == []


def test_unknown_placeholder_in_custom_body_is_422(client, fake_sg):
    opp = create_opp(client)
    r = send(client, opp["id"], subject="Hi", body="Hello {{name}}")
    assert r.status_code == 422 and fake_sg.messages == []


def test_recipient_defaults_to_contact_email(client, fake_sg):
    opp = create_opp(client, contact_email="boss@blog.example.org")
    r = client.post(
        f"{API}/opportunities/{opp['id']}/emails", json={"subject": "Hi", "body": "Hello"}
    )
    assert r.status_code == 201 and r.json["to"] == "boss@blog.example.org"
    opp2 = create_opp(client, source_url="https://other.example/p")
    r = client.post(
        f"{API}/opportunities/{opp2['id']}/emails", json={"subject": "Hi", "body": "Hello"}
    )
    assert r.status_code == 422 and "to" in r.json["errors"]


def test_won_card_stays_won_and_queued_moves(client):
    won = create_opp(client, status="won")
    queued = create_opp(client, source_url="https://q.example/p", status="queued")
    assert send(client, won["id"], to="a@won.example").status_code == 201
    assert send(client, queued["id"], to="b@q.example").status_code == 201
    assert client.get(f"{API}/opportunities/{won['id']}").json["status"] == "won"
    assert client.get(f"{API}/opportunities/{queued['id']}").json["status"] == "reached"


def _column(client, status):
    return [(c["id"], c["position"]) for c in client.get(f"{API}/board").json["columns"][status]]


def test_send_appends_to_reached_and_leaves_a_gap_the_next_user_move_closes(client):
    """A send rewrites one card, not every card after it; order holds throughout."""
    a, b, c = (create_opp(client, source_url=f"https://{n}.example/p")["id"] for n in "abc")
    already = create_opp(client, source_url="https://r.example/p", status="reached")["id"]
    assert send(client, b, to="b@b.example").status_code == 201
    assert _column(client, "new") == [(a, 0), (c, 2)]  # the gap is where b was
    assert _column(client, "reached") == [(already, 0), (b, 1)]
    assert client.get(f"{API}/opportunities/{c}").json["position"] == 2
    # A user's move works on exact indexes: the column is renumbered first.
    moved = client.post(f"{API}/opportunities/{a}/move", json={"status": "new", "position": 1})
    assert moved.status_code == 200 and moved.json["position"] == 1
    assert _column(client, "new") == [(c, 0), (a, 1)]
    d = create_opp(client, source_url="https://d.example/p")["id"]
    assert send(client, c, to="c@c.example").status_code == 201
    assert client.delete(f"{API}/opportunities/{d}").status_code == 204
    assert _column(client, "new") == [(a, 0)]


def test_reply_to_falls_back_to_site_setting(app, client, fake_sg, site_key):
    app.extensions["outreach"].mailer.reply_domain = None
    set_site(app, site_key.site_id, reply_to="team@a.example")
    opp = create_opp(client)
    assert send(client, opp["id"]).status_code == 201
    req = fake_sg.messages[0]["request"]
    assert req["reply_to"]["email"] == "team@a.example"
    assert req["from"]["email"] == "outreach@a.example"  # sensible default sender


def test_sendgrid_4xx_releases_the_slot_and_answers_502(client, fake_sg, app, site_key):
    set_site(app, site_key.site_id, daily_limit=1)
    opp = create_opp(client)
    for status, text in (
        (400, "The from address does not match a verified Sender Identity"),
        (401, "The provided authorization grant is invalid"),
        (413, "content too large"),
        (429, "too many requests"),
    ):
        fake_sg.fail_next(status, text)
        r = send(client, opp["id"])
        assert r.status_code == 502, r.json
        assert text in r.json["message"]
    failed = rows(app, Email)
    assert {e.send_state for e in failed} == {"failed"} and len(failed) == 4
    # The slot was released each time: the one allowed email still goes.
    r = send(client, opp["id"])
    assert r.status_code == 201, r.json
    history = client.get(f"{API}/opportunities/{opp['id']}/emails").json
    assert [e["send_state"] for e in history] == ["sent"] + ["failed"] * 4


def test_sendgrid_5xx_leaves_unknown_and_holds_the_slot(client, fake_sg, app):
    opp = create_opp(client)
    fake_sg.fail_next(503, "v3 API unavailable")
    r = send(client, opp["id"])
    assert r.status_code == 502 and "may or may not" in r.json["message"]
    [email] = rows(app, Email)
    assert email.send_state == "unknown" and email.status is None
    r = send(client, opp["id"])  # same recipient: cooldown counts the unknown email
    assert r.status_code == 429 and r.json["limit"] == "cooldown"
    assert len(fake_sg.messages) == 0


def test_timeout_is_unknown(client, fake_sg, app):
    opp = create_opp(client)
    fake_sg.delay = 3.0  # the adapter's timeout is 2 s in this suite
    r = send(client, opp["id"])
    fake_sg.delay = 0
    assert r.status_code == 502, r.json
    [email] = rows(app, Email)
    assert email.send_state == "unknown"


def test_unreachable_sendgrid_is_a_definite_failure(app, client):
    from service.mail import SendGridMailer

    app.extensions["outreach"].mailer = SendGridMailer("SG.x", "http://127.0.0.1:9", 2)
    opp = create_opp(client)
    r = send(client, opp["id"])
    assert r.status_code == 502 and "could not be reached" in r.json["message"]
    assert rows(app, Email)[0].send_state == "failed"


def test_history_newest_first_with_events(client, clock):
    opp = create_opp(client)
    send(client, opp["id"], to="one@x.example")
    clock.advance(hours=25)  # past the per-prospect cooldown
    send(client, opp["id"], to="two@x.example")
    history = client.get(f"{API}/opportunities/{opp['id']}/emails").json
    assert [e["to"] for e in history] == ["two@x.example", "one@x.example"]
    assert all(e["events"][0]["type"] == "sent" for e in history)
