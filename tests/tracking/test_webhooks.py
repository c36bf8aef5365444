"""Event Webhook: signatures, strict parsing, matching, dedupe, order independence."""

from __future__ import annotations

import time

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import event

from service.models import EmailEvent, Suppression
from tests.support.api import API, email_json, send, sent_email
from tests.support.apps import webhook_url
from tests.support.databases import backend
from tests.support.fake_sendgrid import message_for
from tests.support.state import rows

T0 = int(time.time()) - 3600


def test_lifecycle_stamps_status_and_card(client, fake_sg, live, app):
    email = sent_email(client)
    msg = message_for(fake_sg, email["id"])
    batch = [
        fake_sg.event(msg, "processed", at=T0),
        fake_sg.event(msg, "delivered", at=T0 + 5),
        fake_sg.event(msg, "open", at=T0 + 10, sg_machine_open=True),
        fake_sg.event(msg, "open", at=T0 + 20),
        fake_sg.event(msg, "click", at=T0 + 30),
    ]
    r = fake_sg.post_events(webhook_url(live), batch)
    assert r.status_code == 200, r.text
    assert r.json()["stored"] == 5
    got = email_json(client, email)
    assert got["status"] == "clicked"
    assert got["delivered_at"].startswith(time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(T0 + 5)))
    assert got["opened_at"].startswith(time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(T0 + 20)))
    types = [e["type"] for e in got["events"]]
    assert types.count("open") == 2
    machine = [e for e in got["events"] if e["type"] == "open" and e["detail"].get("machine_open")]
    assert len(machine) == 1
    card = client.get(f"{API}/opportunities/{email['opportunity_id']}").json
    assert card["email_status"] == "clicked"
    from service.models import Email

    assert rows(app, Email)[0].smtp_id == f"<{msg['x_message_id']}@fake-ismtpd>"


def test_machine_open_alone_does_not_count(client, fake_sg, live):
    email = sent_email(client)
    msg = message_for(fake_sg, email["id"])
    fake_sg.post_events(
        webhook_url(live),
        [
            fake_sg.event(msg, "delivered", at=T0),
            fake_sg.event(msg, "open", at=T0 + 1, sg_machine_open=True),
        ],
    )
    got = email_json(client, email)
    assert got["status"] == "delivered" and got["opened_at"] is None


def _final_state(client, emails):
    keys = ("status", "delivered_at", "opened_at", "clicked_at", "bounced_at")
    return [{k: email_json(client, e)[k] for k in keys} for e in emails]


def test_shuffled_duplicated_reposted_batches_reach_the_same_state(client, fake_sg, live, app):
    emails = [sent_email(client, to=f"p{i}@site{i}.example") for i in range(3)]
    msgs = [message_for(fake_sg, e["id"]) for e in emails]
    events = []
    for i, msg in enumerate(msgs):
        events += [
            fake_sg.event(msg, "delivered", at=T0 + i),
            fake_sg.event(msg, "open", at=T0 + 100 + i),
            fake_sg.event(msg, "open", at=T0 + 50 + i),  # an earlier open, later
            fake_sg.event(msg, "click", at=T0 + 200 + i),
        ]
    events.append(fake_sg.event(msgs[2], "bounce", at=T0 + 300))
    url = webhook_url(live)
    shuffled = fake_sg.shuffled(events, seed=7)
    for part in (shuffled[:5], shuffled[5:9], shuffled[9:]):
        assert fake_sg.post_events(url, part).status_code == 200
    first = _final_state(client, emails)
    stored = len(rows(app, EmailEvent))
    # Re-post everything reversed, and copies with fresh sg_event_ids.
    assert fake_sg.post_events(url, list(reversed(events))).json()["stored"] == 0
    fresh = [{**ev, "sg_event_id": "fresh" + ev["sg_event_id"]} for ev in events]
    assert fake_sg.post_events(url, fresh + fresh).json()["stored"] == 0
    assert _final_state(client, emails) == first
    assert len(rows(app, EmailEvent)) == stored
    assert [s["status"] for s in first] == ["clicked", "clicked", "bounced"]
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(T0 + 50))
    assert first[0]["opened_at"].startswith(stamp)


@pytest.mark.parametrize(
    "kind,extra,reason",
    [
        ("bounce", {"type": "bounce"}, "bounced"),
        ("bounce", {"type": "bounced"}, "bounced"),
        ("dropped", {"sg_message_id": "filter0093p1las1.9128.5717FB8127.0"}, "dropped"),
        ("spamreport", {}, "spamreport"),
        ("unsubscribe", {}, "unsubscribed"),
        ("group_unsubscribe", {"asm_group_id": 42}, "unsubscribed"),
    ],
)
def test_bounces_drops_spam_reports_and_unsubscribes_suppress_the_address(
    client, fake_sg, live, app, kind, extra, reason
):
    email = sent_email(client, to="Victim@Blocked.example")
    msg = message_for(fake_sg, email["id"])
    r = fake_sg.post_events(
        webhook_url(live),
        [fake_sg.event(msg, "delivered", at=T0), fake_sg.event(msg, kind, at=T0 + 9, **extra)],
    )
    assert r.json()["stored"] == 2
    [sup] = rows(app, Suppression)
    assert sup.email == "victim@blocked.example" and sup.reason == reason
    got = email_json(client, email)
    assert got["status"] == ("bounced" if kind in ("bounce", "dropped") else "delivered")
    r = send(client, email["opportunity_id"], to="VICTIM@blocked.example")
    assert r.status_code == 422 and "suppression" in r.json["message"]


def test_timeline_only_and_unknown_events(client, fake_sg, live):
    email = sent_email(client)
    msg = message_for(fake_sg, email["id"])
    batch = [
        fake_sg.event(msg, "deferred", at=T0, attempt="5", response="try later"),
        fake_sg.event(msg, "group_resubscribe", at=T0 + 1),
        fake_sg.event(msg, "telepathy", at=T0 + 2),
        {"event": "open"},
        fake_sg.event(
            msg, "delivered", at=T0 + 3, outreach_email_id="999999", sg_message_id="nomatch.1"
        ),
    ]
    r = fake_sg.post_events(webhook_url(live), batch)
    assert r.status_code == 200
    assert r.json() == {
        "received": 5,
        "stored": 2,
        "duplicates": 0,
        "unknown": 1,
        "unmatched": 1,
        "invalid": 1,
    }
    got = email_json(client, email)
    assert got["status"] == "sent"
    assert [e["type"] for e in got["events"]] == ["deferred", "group_resubscribe", "sent"]


def test_match_by_message_id_prefix_without_custom_args(client, fake_sg, live):
    email = sent_email(client)
    msg = message_for(fake_sg, email["id"])
    ev = fake_sg.event(msg, "delivered", at=T0)
    ev.pop("outreach_email_id")
    ev.pop("outreach_site_id")
    assert fake_sg.post_events(webhook_url(live), [ev]).json()["stored"] == 1
    assert email_json(client, email)["status"] == "delivered"


def test_custom_arg_of_another_site_never_matches(client, other_client, fake_sg, live):
    email = sent_email(client)
    msg = message_for(fake_sg, email["id"])
    ev = fake_sg.event(msg, "bounce", at=T0, outreach_site_id="987654", sg_message_id="unrelated.0")
    assert fake_sg.post_events(webhook_url(live), [ev]).json()["unmatched"] == 1
    assert email_json(client, email)["status"] == "sent"


def test_async_bounce_without_any_id_is_counted_unmatched(client, fake_sg, live):
    email = sent_email(client)
    msg = message_for(fake_sg, email["id"])
    ev = fake_sg.event(msg, "bounce", at=T0)
    for key in ("outreach_email_id", "outreach_site_id", "sg_message_id"):
        ev.pop(key)
    assert fake_sg.post_events(webhook_url(live), [ev]).json()["unmatched"] == 1


def test_tampered_foreign_stale_or_unsigned_batches_are_refused(client, fake_sg, live, app):
    email = sent_email(client)
    msg = message_for(fake_sg, email["id"])
    batch = [fake_sg.event(msg, "delivered", at=T0)]
    url = webhook_url(live)
    assert fake_sg.post_events(url, batch, tamper=True).status_code == 401
    other = ec.generate_private_key(ec.SECP256R1())
    assert fake_sg.post_events(url, batch, key=other).status_code == 401
    stale = fake_sg.post_events(url, batch, timestamp=int(time.time()) - 3600)
    assert stale.status_code == 401 and "old" in stale.json()["message"]
    assert fake_sg.post_events(url, batch, signed=False).status_code == 401
    body = fake_sg.body_of(batch)
    stripped = fake_sg.post_events(url, batch, body=body.rstrip("\r\n"))  # signs what it sends
    assert stripped.status_code == 200  # a body without CRLF verifies when signed that way
    assert email_json(client, email)["status"] == "delivered"
    assert len(rows(app, EmailEvent)) == 2  # sent + delivered, nothing from refused posts


def test_signature_over_the_exact_bytes(fake_sg, live):
    import requests
    from sendgrid.helpers.eventwebhook import EventWebhookHeader as H

    body = fake_sg.body_of([])
    stamp = str(int(time.time()))
    headers = {H.SIGNATURE: fake_sg.sign(stamp, body), H.TIMESTAMP: stamp}
    url = webhook_url(live)
    ok = requests.post(url, data=body.encode(), headers=headers, timeout=10)
    assert ok.status_code == 200
    lost_crlf = requests.post(url, data=body.rstrip().encode(), headers=headers, timeout=10)
    assert lost_crlf.status_code == 401
    garbage_sig = requests.post(
        url,
        data=body.encode(),
        timeout=10,
        headers={H.SIGNATURE: "%%%not-base64", H.TIMESTAMP: stamp},
    )
    assert garbage_sig.status_code == 401
    no_stamp = requests.post(
        url, data=body.encode(), timeout=10, headers={H.SIGNATURE: fake_sg.sign(stamp, body)}
    )
    assert no_stamp.status_code == 401
    future = str(int(stamp) + 3600)
    ahead = requests.post(
        url,
        data=body.encode(),
        timeout=10,
        headers={H.SIGNATURE: fake_sg.sign(future, body), H.TIMESTAMP: future},
    )
    assert ahead.status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        '{"event": "open"}',
        "[1, 2]",
        "[[]]",
        "",
        "\u00ff\u00fe",
        "null",
        '[{"event": 5}',
    ],
)
def test_garbage_is_400_json(fake_sg, live, body):
    r = fake_sg.post_events(webhook_url(live), [], body=body + "\r\n")
    assert r.status_code == 400, r.text
    assert r.json()["code"] == 400


def test_unsigned_refused_without_key_and_accepted_when_allowed(app, fake_sg, client):
    test_client = app.test_client()
    app.config["SENDGRID_WEBHOOK_PUBLIC_KEY"] = None
    r = test_client.post("/sendgrid/webhook", data="[]\r\n")
    assert r.status_code == 401 and r.json["code"] == 401
    app.config["ALLOW_UNSIGNED_WEBHOOKS"] = True
    email = sent_email(client)
    body = fake_sg.body_of([fake_sg.event(message_for(fake_sg, email["id"]), "delivered")])
    r = test_client.post("/sendgrid/webhook", data=body)
    assert r.status_code == 200 and r.json["stored"] == 1


def test_big_batch_is_fast_and_set_based(client, fake_sg, live, app, site_key):
    from tests.support.state import set_site

    set_site(app, site_key.site_id, daily_limit=1000)
    emails = [sent_email(client, to=f"p{i}@bulk{i}.example") for i in range(25)]
    batch = []
    for i, email in enumerate(emails):
        msg = message_for(fake_sg, email["id"])
        for j in range(20):
            kind = ("delivered", "open", "click", "open", "processed")[j % 5]
            batch.append(fake_sg.event(msg, kind, at=T0 + j * 10 + i))
    assert len(batch) == 500
    statements = []
    engine = app.extensions["outreach"].engine

    def _count(*_args):
        statements.append(1)

    # Set-based means a handful of statements whatever the batch size (one per event
    # would be 500+); counted rather than timed, so a busy machine cannot fail it.
    event.listen(engine, "before_cursor_execute", _count)
    started = time.perf_counter()
    try:
        r = fake_sg.post_events(webhook_url(live), batch)
    finally:
        event.remove(engine, "before_cursor_execute", _count)
    elapsed = time.perf_counter() - started
    assert r.status_code == 200 and r.json()["stored"] == 500
    print(f"\n500-event batch applied in {elapsed * 1000:.0f} ms, {len(statements)} statements")
    assert len(statements) <= 15
    again = fake_sg.post_events(webhook_url(live), batch)
    assert again.json()["duplicates"] == 500


@pytest.mark.parametrize("one_batch", [True, False])
@pytest.mark.parametrize(
    "kinds,reason",
    [
        (["dropped", "bounce"], "bounced"),
        (["bounce", "dropped"], "bounced"),
        (["unsubscribe", "spamreport", "dropped"], "spamreport"),
        (["spamreport", "unsubscribe"], "spamreport"),
    ],
)
def test_suppression_keeps_the_strongest_reason(
    client, fake_sg, live, app, kinds, reason, one_batch
):
    email = sent_email(client, to="twice@blocked.example")
    msg = message_for(fake_sg, email["id"])
    events = [fake_sg.event(msg, k, at=T0 + i) for i, k in enumerate(kinds)]
    for batch in [events] if one_batch else [[e] for e in events]:
        assert fake_sg.post_events(webhook_url(live), batch).status_code == 200
    [sup] = rows(app, Suppression)
    assert sup.reason == reason


def test_event_for_an_unknown_email_proves_it_sent_and_moves_its_card(client, fake_sg, live, app):
    """SendGrid took the email but answered too late: the first event settles it."""
    from service.models import Email
    from tests.support.api import create_opp

    opp = create_opp(client)
    fake_sg.delay = 3.0  # the adapter gives up after 2 s; the fake stores it after 3 s
    assert send(client, opp["id"]).status_code == 502
    fake_sg.delay = 0
    [email] = rows(app, Email)
    card_url = f"{API}/opportunities/{opp['id']}"
    assert email.send_state == "unknown" and client.get(card_url).json["status"] == "new"
    fake_sg.wait_for(lambda fake: fake.messages)  # the slow send reaches the fake at last
    msg = message_for(fake_sg, email.id)
    assert fake_sg.post_events(webhook_url(live), [fake_sg.event(msg, "delivered")]).ok
    card = client.get(card_url).json
    assert card["status"] == "reached" and card["position"] == 0
    assert card["emails_sent"] == 1 and card["email_status"] == "delivered"
    assert email_json(client, {"id": email.id, "opportunity_id": opp["id"]})["send_state"] == "sent"


@pytest.mark.skipif(backend() != "postgres", reason="SQLite keeps the IN list (no parsing cost)")
def test_a_big_batch_is_matched_with_statements_no_longer_than_a_small_ones(
    client, fake_sg, live, app
):
    """The batch's email ids go to PostgreSQL as one array: a 500-id IN list was a 10 KB
    statement that psycopg parsed afresh for every batch (bench/webhooks.py)."""
    email = sent_email(client)
    msg = message_for(fake_sg, email["id"])
    small = [fake_sg.event(msg, "delivered", at=T0)]
    big = [{**fake_sg.event(msg, "open", at=T0 + n), "outreach_email_id": str(10_000 + n)}
           for n in range(300)]  # fmt: skip
    engine = app.extensions["outreach"].engine
    longest = {}
    for name, batch in (("small", small), ("big", big)):
        seen = []

        def record(_conn, _cursor, statement, _params, _context, _many, seen=seen):
            seen.append(len(statement))

        event.listen(engine, "before_cursor_execute", record)
        try:
            assert fake_sg.post_events(webhook_url(live), batch).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", record)
        longest[name] = max(seen)
    assert longest["big"] <= longest["small"] + 200, longest


def test_an_open_batch_writes_only_what_moved(client, fake_sg, live, app, site_key):
    """Opens on delivered emails set two columns of each email and refresh the cards in
    one statement on PostgreSQL (a read, an UPDATE per card and a site lookup before)."""
    emails = [sent_email(client, to=f"o{i}@open{i}.example") for i in range(6)]
    msgs = [message_for(fake_sg, e["id"]) for e in emails]
    delivered = [fake_sg.event(m, "delivered", at=T0 + i) for i, m in enumerate(msgs)]
    assert fake_sg.post_events(webhook_url(live), delivered).status_code == 200
    engine, seen = app.extensions["outreach"].engine, []

    def record(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        opens = [fake_sg.event(m, "open", at=T0 + 100 + i) for i, m in enumerate(msgs)]
        r = fake_sg.post_events(webhook_url(live), opens)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert r.status_code == 200 and r.json()["stored"] == 6, r.text
    (email_update,) = [s for s in seen if s.startswith("UPDATE emails SET")]
    assigned = email_update.removeprefix("UPDATE emails SET ").split(" FROM ")[0]
    assert sorted(a.split("=")[0] for a in assigned.split(" WHERE ")[0].split(", ")) == [
        "opened_at",
        "status",
    ], email_update
    cards = [s for s in seen if "opportunities" in s and not s.startswith("INSERT INTO board")]
    if backend() == "postgres":
        assert len(cards) == 1 and "UPDATE opportunities" in cards[0], cards
    for email in emails:
        card = client.get(f"{API}/opportunities/{email['opportunity_id']}").json
        assert card["email_status"] == "opened"
