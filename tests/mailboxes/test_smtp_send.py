"""Sending through the SMTP adapter to the real server: the exact message that arrives,
how every server answer maps to an outcome, and one reused connection per mailbox."""

from __future__ import annotations

import dataclasses
import threading

import pytest

from service.domain.deliverability import unsubscribe
from service.domain.ports import MailRefused, MailUncertain
from service.mail.mailbox_errors import SmtpRefused
from service.mail.smtp import SmtpMailer
from service.mail.unsubscribe_links import LinkedMailer
from tests.mailboxes.conftest import ALICE, BOB, smtp_endpoint
from tests.mailboxes.messages import outgoing
from tests.support import mail
from tests.support.processes import run_threads

pytestmark = pytest.mark.usefixtures("once_per_run")
PUBLIC_URL = "https://outreach.example.com"
KEY = b"k" * 32


def mailer(smtp, settings, pool, user=ALICE, mailbox_id=1, **over):
    return SmtpMailer(mailbox_id, user, smtp_endpoint(smtp, user=user, **over), settings, pool=pool)


def test_the_message_that_arrives(smtp, settings, pool):
    linked = LinkedMailer(mailer(smtp, settings, pool), PUBLIC_URL, KEY)
    thread = {"In-Reply-To": "<first@example.test>", "References": "<first@example.test>"}
    accepted = linked.send(outgoing(email_id=42, headers=thread, reply_to="alice+r@example.test"))

    [got] = smtp.messages
    msg, link = got.message, unsubscribe.link(PUBLIC_URL, KEY, 42)
    assert (got.mail_from, got.rcpt_tos, got.login) == (ALICE, ["prospect@example.org"], ALICE)
    assert accepted.message_id == msg["Message-ID"]
    assert msg["Message-ID"].startswith("<") and msg["Message-ID"].endswith("@example.test>")
    assert str(msg["From"]) == "Alice Ångström <alice@example.test>"
    assert (msg["To"], msg["Reply-To"]) == ("prospect@example.org", "alice+r@example.test")
    assert msg["Subject"] == "A link for your résumé page"
    assert (msg["In-Reply-To"], msg["References"]) == ("<first@example.test>",) * 2
    assert msg["List-Unsubscribe"] == f"<{link}>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert msg["Date"] is not None and msg.get_content_type() == "multipart/alternative"
    text, html = (part.get_content().replace("\r\n", "\n") for part in msg.iter_parts())
    assert text.startswith("Hello,\nwould you link to us?") and link in text
    assert html.startswith("<p>Hello,<br>would you link to us?</p>") and link in html
    assert "outreach_email_id" not in got.raw.decode()  # SendGrid's custom args stay ours


def test_message_ids_are_new_each_time_unless_the_send_path_chose_one(smtp, settings, pool):
    sender = mailer(smtp, settings, pool)
    first, second = sender.send(outgoing()), sender.send(outgoing())
    chosen = sender.send(outgoing(headers={"Message-ID": "<e7.chosen@example.test>"}))
    assert first.message_id != second.message_id
    assert chosen.message_id == "<e7.chosen@example.test>"
    assert [m.message["Message-ID"] for m in smtp.messages][2] == "<e7.chosen@example.test>"


def test_a_line_break_in_a_header_is_refused_before_anything_is_sent(smtp, settings, pool):
    bad = outgoing(headers={"References": "<a@b>\r\nBcc: victim@example.org"})
    with pytest.raises(MailRefused) as refused:
        mailer(smtp, settings, pool).send(bad)
    assert not isinstance(refused.value, MailUncertain)
    assert smtp.connections == []


@pytest.mark.parametrize(
    ("where", "reply", "permanent"),
    [
        ("rcpt", "550 5.1.1 <prospect@example.org>: no such user", True),
        ("data", "554 5.7.1 Message rejected as spam", True),
        ("rcpt", "451 4.7.1 Greylisted, try again later", False),
        ("data", "452 4.3.1 Insufficient system storage", False),
    ],
)
@pytest.mark.parametrize("pipelining", [True, False])
def test_refusals_are_permanent_or_temporary(
    smtp, settings, pool, where, reply, permanent, pipelining
):
    smtp.pipelining = pipelining
    replies = smtp.rcpt_replies if where == "rcpt" else smtp.data_replies
    replies["prospect@example.org"] = reply
    sender = mailer(smtp, settings, pool)
    with pytest.raises(SmtpRefused) as refused:
        sender.send(outgoing())
    assert (refused.value.permanent, refused.value.temporary) == (permanent, not permanent)
    assert (refused.value.code, refused.value.stage) == (int(reply[:3]), where)
    assert reply[4:] in refused.value.message
    sender.send(outgoing(to="other@example.org"))  # the connection was reset and goes on
    assert [m.rcpt_tos for m in smtp.messages] == [["other@example.org"]]
    assert len(smtp.connections) == 1


@pytest.mark.parametrize("fault", [mail.DROP, mail.STALL])
def test_a_break_after_the_message_was_handed_over_is_an_unknown_outcome(
    smtp, settings, pool, fault
):
    quick = dataclasses.replace(settings, data_timeout=1.0)
    sender = mailer(smtp, quick, pool)
    smtp.next_data.append(fault)
    with pytest.raises(MailUncertain):
        sender.send(outgoing(subject="maybe"))
    sender.send(outgoing(subject="next"))  # a new connection; "maybe" is not sent again
    assert [m.message["Subject"] for m in smtp.messages] == ["next"]
    assert len(smtp.connections) == 2 and [x.ok for x in smtp.logins] == [True, True]


def test_internationalized_addresses_go_out_with_smtputf8(smtp, settings, pool):
    mailer(smtp, settings, pool).send(outgoing(to="josé@exämple.org"))
    [got] = smtp.messages
    assert got.rcpt_tos == ["josé@exämple.org"] and got.message["To"] == "josé@exämple.org"


def test_a_connection_the_server_closed_is_replaced_without_losing_the_email(smtp, settings, pool):
    sender = mailer(smtp, settings, pool)
    sender.send(outgoing(subject="one"))
    smtp.drop_connections()
    sender.send(outgoing(subject="two"))
    assert [m.message["Subject"] for m in smtp.messages] == ["one", "two"]
    assert len(smtp.connections) == 2


def test_a_thousand_emails_over_one_login(smtp, settings, pool):
    sender = mailer(smtp, settings, pool)
    for n in range(1000):
        sender.send(outgoing(to=f"p{n}@example.org"))
    assert len(smtp.messages) == 1000
    assert {m.connection for m in smtp.messages} == set(smtp.connections) == {1}
    assert [(x.user, x.ok) for x in smtp.logins] == [(ALICE, True)]


def test_one_connection_per_mailbox_under_parallel_sends(smtp, settings, pool):
    senders = [mailer(smtp, settings, pool, user, n) for n, user in enumerate((ALICE, BOB), 1)]
    run_threads(
        lambda s, n: s.send(outgoing(to=f"p{n}@example.org")),
        [(senders[n % 2], n) for n in range(40)],
    )
    assert len(smtp.messages) == 40 and len(smtp.connections) == 2
    by_login = {
        m.login: {x.connection for x in smtp.messages if x.login == m.login} for m in smtp.messages
    }
    assert {user: len(conns) for user, conns in by_login.items()} == {ALICE: 1, BOB: 1}


def test_new_credentials_close_the_old_connection(smtp, settings, pool):
    mailer(smtp, settings, pool, version="1").send(outgoing())
    with pool.hold(1, "1") as slot:
        old = slot.conn
    mailer(smtp, settings, pool, version="2").send(outgoing())
    assert old.sock is None  # closed when the new version took the slot
    assert len(smtp.connections) == 2 and len(smtp.messages) == 2


def test_a_held_connection_is_closed_by_its_holder_when_replaced(smtp, settings, pool):
    mailer(smtp, settings, pool, version="1").send(outgoing())
    inside, release = threading.Event(), threading.Event()

    def hold_old():
        with pool.hold(1, "1") as slot:
            holder["conn"] = slot.conn
            inside.set()
            release.wait(10)

    holder = {}
    thread = threading.Thread(target=hold_old)
    thread.start()
    assert inside.wait(10)
    mailer(smtp, settings, pool, version="2").send(outgoing())  # not blocked by the old slot
    assert holder["conn"].sock is not None
    release.set()
    thread.join(10)
    assert holder["conn"].sock is None
