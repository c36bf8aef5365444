"""Sending through the site's mailboxes (docs/api.md §15): the one send path, the mailbox
chosen under the site lock (sticky per card, else the most room left), caps and the ramp,
429 `limit: "mailboxes"`, the Sent copy, a refused login putting the mailbox in error."""

from __future__ import annotations

from collections import Counter

import pytest

from service.mail.smtp_connection import POOL
from service.models import Email, Mailbox
from tests.mailboxes.conftest import ALICE, API, BOB, add_mailbox
from tests.support.api import assert_error, create_opp, parallel_sends, send
from tests.support.state import rows, set_site

CAROL = "carol@example.test"


@pytest.fixture(autouse=True)
def fresh_pool():
    """Mailbox ids start again after each test's wipe: no connection outlives its test."""
    yield
    POOL.close_all()


def card(client, n: int) -> int:
    return create_opp(client, source_url=f"https://site{n}.example/p")["id"]


def test_a_send_goes_from_the_mailbox_with_its_message_id_and_a_sent_copy(
    client, app, smtp, imap, user
):
    made = add_mailbox(client, smtp, imap, imap_user=user)
    answer = send(client, card(client, 1), to="editor@site1.example")
    assert answer.status_code == 201, answer.json
    assert answer.json["mailbox_id"] == made["id"]
    [message] = smtp.messages
    assert message.mail_from == ALICE and b"From: Alice <alice@example.test>" in message.raw
    [email] = rows(app, Email)
    assert email.mailbox_id == made["id"] and email.send_state == "sent"
    assert email.message_id.endswith("@example.test>")
    assert email.message_id.encode() in message.raw
    assert len(imap.flags(user, "Sent Items")) == 1  # save_to_sent
    assert client.get(f"{API}/{made['id']}").json["sent_today"] == 1


def test_a_card_keeps_its_mailbox_and_new_ones_take_the_most_room(
    client, app, site_key, smtp, imap, user
):
    set_site(app, site_key.site_id, cooldown_hours=0)  # follow-ups to one prospect
    first = add_mailbox(client, smtp, imap, imap_user=user, save_to_sent=False)
    second = add_mailbox(client, smtp, imap, email=BOB, imap_user=user, save_to_sent=False)
    one, two = card(client, 1), card(client, 2)
    for opp, n in ((one, 1), (two, 2), (one, 1), (one, 1)):
        assert send(client, opp, to=f"editor@site{n}.example").status_code == 201
    by_card = {(e.opportunity_id, e.mailbox_id) for e in rows(app, Email)}
    assert by_card == {(one, first["id"]), (two, second["id"])}
    assert [m.mail_from for m in smtp.messages] == [ALICE, BOB, ALICE, ALICE]
    # The card's history names the mailbox that writes to the prospect (the board shows it).
    history = client.get(f"/api/v1/opportunities/{one}/emails").json
    assert {e["mailbox_email"] for e in history} == {ALICE}
    client.delete(f"{API}/{second['id']}")
    [gone] = client.get(f"/api/v1/opportunities/{two}/emails").json
    assert gone["mailbox_email"] is None


def test_no_room_left_is_a_429_naming_mailboxes_with_retry_at(client, app, smtp, imap, user):
    made = add_mailbox(client, smtp, imap, imap_user=user, ramp={"start": 1, "step": 1})
    assert send(client, card(client, 1), to="editor@site1.example").status_code == 201
    refused = assert_error(send(client, card(client, 2), to="editor@site2.example"), 429)
    assert refused["limit"] == "mailboxes" and refused["retry_at"].startswith("20")
    assert len(smtp.messages) == 1 and len(rows(app, Email)) == 1
    client.patch(f"{API}/{made['id']}", json={"status": "paused"})
    paused = assert_error(send(client, card(client, 3), to="editor@site3.example"), 429)
    assert paused["limit"] == "mailboxes"


def test_a_refused_login_puts_the_mailbox_in_error_once(client, app, smtp, imap, user):
    made = add_mailbox(client, smtp, imap, imap_user=user, password="wrong")
    opp = card(client, 1)
    answer = send(client, opp, to="editor@site1.example")
    assert answer.status_code == 502 and "535" in answer.json["message"]
    shown = client.get(f"{API}/{made['id']}").json
    assert shown["status"] == "error" and "535" in shown["last_error"]
    assert [e.send_state for e in rows(app, Email)] == ["failed"]  # the slot is free again
    again = assert_error(send(client, opp, to="editor@site1.example"), 429)
    assert again["limit"] == "mailboxes"  # no retry storm against the server
    assert {x.connection for x in smtp.logins} == {1}  # one attempt (smtplib: PLAIN, LOGIN)


def test_the_sendgrid_channel_leaves_mailboxes_alone(client, app, site_key, smtp, imap, user):
    add_mailbox(client, smtp, imap, imap_user=user)
    set_site(app, site_key.site_id, sending_channel="sendgrid")
    assert send(client, card(client, 1), to="editor@site1.example").status_code == 201
    assert smtp.messages == [] and rows(app, Email)[0].mailbox_id is None


def test_caps_hold_under_twenty_parallel_sends_across_three_mailboxes(
    client, app, live, site_key, smtp, imap, user
):
    for address in (ALICE, BOB, CAROL):
        add_mailbox(
            client, smtp, imap, email=address, imap_user=user, save_to_sent=False,
            ramp={"start": 3, "step": 2},
        )  # fmt: skip
    jobs = [(card(client, i), f"editor@site{i}.example") for i in range(20)]
    results = parallel_sends(live.url, site_key, jobs)
    codes = Counter(r.status_code for r in results)
    assert codes == {201: 9, 429: 11}, codes
    assert {r.json()["limit"] for r in results if r.status_code == 429} == {"mailboxes"}
    per_mailbox = Counter(e.mailbox_id for e in rows(app, Email) if e.send_state == "sent")
    assert sorted(per_mailbox.values()) == [3, 3, 3]
    assert Counter(m.mail_from for m in smtp.messages) == {ALICE: 3, BOB: 3, CAROL: 3}
    assert {m.first_send_on for m in rows(app, Mailbox)} == {rows(app, Email)[0].created_at.date()}


def test_a_permanent_refusal_is_bounced_at_once_and_suppressed(client, app, smtp, imap, user):
    from service.models import Suppression

    add_mailbox(client, smtp, imap, imap_user=user, save_to_sent=False)
    smtp.rcpt_replies["gone@site1.example"] = "550 5.1.1 No such user here"
    answer = send(client, card(client, 1), to="gone@site1.example")
    assert answer.status_code == 502 and "550" in answer.json["message"]
    [email] = rows(app, Email)
    assert email.status == "bounced" and email.bounced_at is not None
    assert email.send_state == "failed"  # nothing went out: the slot is free
    [listed] = rows(app, Suppression)
    assert (listed.email, listed.reason, listed.email_id) == (
        "gone@site1.example",
        "bounced",
        email.id,
    )
    smtp.rcpt_replies["later@site2.example"] = "450 4.2.0 Greylisted, try again"
    deferred = send(client, card(client, 2), to="later@site2.example")
    assert deferred.status_code == 502
    assert [e.status for e in rows(app, Email)] == ["bounced", None]  # a 4xx is no bounce
    assert len(rows(app, Suppression)) == 1


def test_a_prospect_hears_every_step_from_the_same_mailbox(client, app, clock, smtp, imap, user):
    from service.worker.scheduler import Scheduler
    from tests.support.api import create_template, enroll, make_sequence

    for address in (ALICE, BOB):
        add_mailbox(client, smtp, imap, email=address, imap_user=user, save_to_sent=False)
    steps = [
        create_template(client, f"T{i}", f"Step {i}", f"Body {i} {{{{url}}}}")["id"]
        for i in (1, 2, 3)
    ]
    sequence = make_sequence(client, steps)
    prospect = card(client, 1)
    assert enroll(client, prospect, sequence["id"], to="editor@site1.example").status_code == 201
    assert send(client, card(client, 2), to="editor@site2.example").status_code == 201
    assert send(client, card(client, 3), to="editor@site3.example").status_code == 201
    scheduler = Scheduler(app, owner="steps", kind="sequence-steps")
    for _ in (2, 3):
        clock.advance(hours=72)
        assert scheduler.run_pass()["sent"] == 1
    emails = [e for e in rows(app, Email) if e.opportunity_id == prospect]
    assert [e.step for e in emails] == [1, 2, 3]
    assert len({e.mailbox_id for e in emails}) == 1  # though the other mailbox had more room
    froms = [m.mail_from for m in smtp.messages if m.rcpt_tos == ["editor@site1.example"]]
    assert froms == [ALICE] * 3
    later = [m for m in smtp.messages if m.rcpt_tos == ["editor@site1.example"]][1:]
    assert all(f"In-Reply-To: {emails[0].smtp_id}".encode() in m.raw for m in later)


def test_the_preview_shows_the_mailbox_that_would_send(client, app, site_key, smtp, imap, user):
    set_site(app, site_key.site_id, cooldown_hours=0, from_email="team@ours.example")
    draft = {"subject": "Hello {{domain}}", "body": "I liked {{url}}."}
    site_sender = client.post("/api/v1/templates/preview", json=draft).json
    assert site_sender["from_email"] == "team@ours.example"
    add_mailbox(client, smtp, imap, imap_user=user, save_to_sent=False)
    bob = add_mailbox(client, smtp, imap, email=BOB, imap_user=user, save_to_sent=False)
    one = card(client, 1)
    assert send(client, one, to="editor@site1.example").status_code == 201  # Alice's card
    for opp, sender in ((one, ALICE), (card(client, 2), BOB)):  # sticky; else most room
        shown = client.post("/api/v1/templates/preview", json={**draft, "opportunity_id": opp})
        assert (shown.json["from_email"], shown.json["reply_to"]) == (sender, None), shown.json
    assert shown.json["from_name"] == "Bob"
    assert client.get(f"{API}/{bob['id']}").json["sent_today"] == 0  # nothing reserved
    assert len(smtp.messages) == 1
