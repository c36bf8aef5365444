"""Replies read over IMAP by the `mailbox-reads` job kind (docs/api.md §15): a reply
dropped into the mailbox shows on the card and stays unseen there; schedulers racing on
one mailbox store it once; a bounce report (RFC 3464) becomes a bounce."""

from __future__ import annotations

import threading

import pytest

from service.domain.replies.mailbox_job import READS_AT_ONCE
from service.mail.smtp_connection import POOL
from service.models import Email, Mailbox, Reply
from service.worker.scheduler import SQLITE_MAX_THREADS, Scheduler
from tests.mailboxes.conftest import ALICE, add_mailbox
from tests.support.api import API, create_opp, send
from tests.support.processes import run_threads
from tests.support.state import rows


@pytest.fixture(autouse=True)
def fresh_pool():
    yield
    POOL.close_all()


def reader(app, owner="reader-1") -> Scheduler:
    return Scheduler(app, owner=owner, kind="mailbox-reads")


def test_mailbox_reads_keep_their_own_bound_whatever_the_send_pool(app, engine, monkeypatch):
    """Each read may hold a FETCH of up to 8 MB: the process's peak follows READS_AT_ONCE,
    not OUTREACH_SCHEDULER_CONCURRENCY (64 by default, for the sends)."""
    monkeypatch.setitem(app.config, "SCHEDULER_CONCURRENCY", 128)
    sqlite = engine.dialect.name == "sqlite"
    assert READS_AT_ONCE == 8
    assert reader(app).concurrency == (SQLITE_MAX_THREADS if sqlite else READS_AT_ONCE)
    steps = Scheduler(app, owner="steps", kind="sequence-steps")
    assert steps.concurrency == (SQLITE_MAX_THREADS if sqlite else 128)


def sent_from_mailbox(client, app, smtp, imap, user) -> Email:
    add_mailbox(client, smtp, imap, imap_user=user, save_to_sent=False)
    opp = create_opp(client, source_url="https://site1.example/p")["id"]
    assert send(client, opp, to="editor@site1.example").status_code == 201
    return rows(app, Email)[0]


def reply_to(email: Email, body: str = "Sounds good, send me the draft.") -> bytes:
    return (
        "Authentication-Results: mx.example.test; spf=pass smtp.mailfrom=editor@site1.example;"
        " dkim=pass header.d=site1.example\r\n"
        "From: Editor <editor@site1.example>\r\n"
        f"To: {ALICE}\r\n"
        f"Subject: Re: {email.subject}\r\n"
        "Message-ID: <answer-1@site1.example>\r\n"
        f"In-Reply-To: {email.smtp_id}\r\n"
        f"References: {email.smtp_id}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        f"{body}\r\n"
    ).encode()


def test_a_reply_in_the_mailbox_shows_on_the_card_and_stays_unseen(client, app, smtp, imap, user):
    email = sent_from_mailbox(client, app, smtp, imap, user)
    assert email.smtp_id == email.message_id  # our own Message-ID: what a reply cites
    imap.deliver(user, reply_to(email))
    counts = reader(app).run_pass()
    assert counts["reply"] == 1, counts
    [reply] = rows(app, Reply)
    assert reply.email_id == email.id and "send me the draft" in reply.text
    shown = client.get(f"{API}/opportunities/{email.opportunity_id}").json
    assert shown["unread_replies"] == 1
    assert rows(app, Email)[0].status == "replied"
    assert all("\\Seen" not in flags for flags in imap.flags(user).values())
    [mailbox] = rows(app, Mailbox)
    assert mailbox.imap_last_uid == max(imap.flags(user)) and mailbox.imap_uidvalidity
    assert reader(app).run_pass()["reply"] == 0  # not due again yet, nothing read twice


def test_a_stranger_citing_the_message_id_is_not_a_reply(client, app, smtp, imap, user):
    email = sent_from_mailbox(client, app, smtp, imap, user)
    forged = reply_to(email).replace(b"spf=pass", b"spf=fail").replace(b"dkim=pass", b"dkim=fail")
    imap.deliver(user, forged)
    assert reader(app).run_pass()["other"] == 1
    assert rows(app, Reply) == [] and rows(app, Email)[0].status == "sent"


def test_two_schedulers_store_each_reply_once(client, app, smtp, imap, user):
    email = sent_from_mailbox(client, app, smtp, imap, user)
    imap.deliver(user, reply_to(email))
    barrier = threading.Barrier(2)
    results = []

    def run(owner):
        worker = reader(app, owner)
        barrier.wait()
        results.append(worker.run_pass())

    run_threads(run, [("reader-a",), ("reader-b",)])
    assert sum(c["reply"] for c in results) == 1, results
    assert len(rows(app, Reply)) == 1


def test_a_refused_imap_login_puts_the_mailbox_in_error(client, app, smtp, imap, user):
    sent_from_mailbox(client, app, smtp, imap, user)
    mailbox_id = rows(app, Mailbox)[0].id
    client.patch(f"/api/v1/mailboxes/{mailbox_id}", json={"imap_password": "wrong"})
    assert reader(app).run_pass()["failed"] == 1
    shown = client.get(f"/api/v1/mailboxes/{mailbox_id}").json
    assert shown["status"] == "error" and shown["last_error"].startswith("IMAP:")
    assert reader(app).run_pass() == {}  # not read again until someone fixes it


def test_a_delivery_status_notification_is_a_bounce(client, app, smtp, imap, user):
    email = sent_from_mailbox(client, app, smtp, imap, user)
    dsn = (
        "From: Mail Delivery System <MAILER-DAEMON@mx.site1.example>\r\n"
        f"To: {ALICE}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <dsn-1@mx.site1.example>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n'
        "\r\n--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
        "This is the mail system at host mx.site1.example.\r\n\r\n"
        "<editor@site1.example>: host mx.site1.example said: 550 5.1.1 User unknown\r\n"
        "\r\n--b1\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.site1.example\r\n\r\n"
        "Final-Recipient: rfc822; editor@site1.example\r\nAction: failed\r\n"
        "Status: 5.1.1\r\n"
        "\r\n--b1\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {email.smtp_id}\r\nTo: editor@site1.example\r\n"
        "\r\n--b1--\r\n"
    ).encode()
    imap.deliver(user, dsn)
    reader(app).run_pass()
    assert rows(app, Email)[0].status == "bounced"


def test_a_message_that_cannot_be_read_never_blocks_the_mailbox(
    client, app, smtp, imap, user, monkeypatch
):
    from service.domain.replies import mailbox_job

    email = sent_from_mailbox(client, app, smtp, imap, user)
    original = mailbox_job.received.record_inbound

    def strange(session, form, now):
        if form["subject"] == "Poison":
            session.add(Reply(site_id=email.site_id))  # half written, then it breaks
            raise ValueError("a parser bug")
        return original(session, form, now)

    monkeypatch.setattr(mailbox_job.received, "record_inbound", strange)
    imap.deliver(user, b"From: x@y.example\r\nSubject: Poison\r\n\r\nx\r\n")
    imap.deliver(user, reply_to(email))
    counts = reader(app).run_pass()
    assert (counts["unreadable"], counts["reply"]) == (1, 1), counts
    assert len(rows(app, Reply)) == 1
    assert rows(app, Mailbox)[0].imap_last_uid == max(imap.flags(user))
