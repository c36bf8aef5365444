"""The IMAP reader against a real Dovecot: UIDs and UIDVALIDITY, read-only (messages stay
unseen), bounded memory, IDLE and polling, logins."""

from __future__ import annotations

import dataclasses
import threading
import time
import tracemalloc

import imapclient
import pytest

from service.mail.imap import ImapReader
from service.mail.imap_connection import connect
from service.mail.mailbox_errors import LoginFailed, MailboxBroken
from tests.mailboxes.conftest import imap_endpoint
from tests.mailboxes.messages import reply_bytes
from tests.support.processes import wait_for

pytestmark = pytest.mark.usefixtures("once_per_run")


def reader(imap, user, settings, **over):
    security = over.pop("security", "tls")
    endpoint = imap_endpoint(
        imap, user, security, over.pop("password", None), over.pop("token", None)
    )
    return ImapReader(endpoint, settings, **over)


def read_all(r: ImapReader, after: int = 0):
    return [m for batch in r.messages_after(after) for m in batch]


def test_new_messages_are_read_with_their_uids_and_stay_unseen(imap, user, settings):
    delivered = [reply_bytes(f"Re: offer {n}") for n in range(3)]
    for raw in delivered:
        imap.deliver(user, raw)
    with reader(imap, user, settings) as r:
        state = r.open()
        got = read_all(r)
        again = read_all(r, got[-1].uid)
    assert state.exists == 3 and state.uidvalidity > 0
    assert [m.uid for m in got] == sorted(m.uid for m in got) and len(got) == 3
    assert [m.raw for m in got] == delivered and not any(m.truncated for m in got)
    assert again == []  # "n:*" names the last message too; it is not read twice
    flags = imap.flags(user)
    assert set(flags) == {m.uid for m in got}
    assert all("\\Seen" not in f for f in flags.values())


def test_reading_resumes_after_a_uid_and_uidvalidity_stays(imap, user, settings):
    for n in range(3):
        imap.deliver(user, reply_bytes(f"Re: {n}"))
    with reader(imap, user, settings) as r:
        first = r.open()
        uids = [m.uid for m in read_all(r)]
    imap.deliver(user, reply_bytes("Re: later"))
    with reader(imap, user, settings) as r:
        assert r.open().uidvalidity == first.uidvalidity
        later = read_all(r, uids[-1])
    assert [m.uid for m in later] == [uids[-1] + 1]
    assert b"Re: later" in later[0].raw


def test_a_huge_message_costs_at_most_the_partial_fetch(imap, user, settings):
    imap.deliver(user, reply_bytes("Re: attachment", size=20 * 2**20))
    with reader(imap, user, settings) as r:
        r.open()
        tracemalloc.start()
        try:
            [message] = read_all(r)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert message.size > 20 * 2**20 and message.truncated
    assert len(message.raw) == r.max_bytes == 2 * 2**20
    assert peak < 8 * 2**20, f"peak {peak / 2**20:.1f} MiB"


def test_batches_are_bounded_by_bytes(imap, user, settings):
    for n in range(5):
        imap.deliver(user, reply_bytes(f"Re: {n}", size=600 * 1024))
    with reader(imap, user, settings, max_bytes=2**20, batch_bytes=2**20) as r:
        r.open()
        batches = [[m.uid for m in batch] for batch in r.messages_after(0)]
    assert [len(b) for b in batches] == [1, 1, 1, 1, 1]


def test_idle_wakes_within_two_seconds_of_a_delivery(imap, user, settings):
    imap.deliver(user, reply_bytes("Re: first"))  # the Maildir exists
    with reader(imap, user, settings) as r:
        r.open()
        assert r.has_idle
        outcome = {}

        def wait():
            outcome["news"] = r.wait(30)
            outcome["at"] = time.monotonic()

        thread = threading.Thread(target=wait)
        thread.start()
        wait_for(lambda: r.client._idle_tag is not None, 10, every=0.01)  # IDLE has begun
        delivered_at = time.monotonic()
        imap.deliver(user, reply_bytes("Re: second"))
        thread.join(10)
        assert outcome["news"] is True
        assert outcome["at"] - delivered_at < 2.0
        assert [m.raw for m in read_all(r, 1)][0].count(b"Re: second") == 1


def test_without_idle_it_polls(imap, user, settings):
    class NoIdle(ImapReader):
        has_idle = False

    imap.deliver(user, reply_bytes("Re: first"))
    endpoint = imap_endpoint(imap, user)
    with NoIdle(endpoint, settings, poll_every=0.05) as r:
        r.open()
        assert r.wait(0.2) is False
        imap.deliver(user, reply_bytes("Re: second"))
        assert r.wait(5) is True


def test_interrupt_ends_a_wait(imap, user, settings):
    imap.deliver(user, reply_bytes("Re: first"))
    with reader(imap, user, settings) as r:
        r.open()
        threading.Timer(0.2, r.interrupt).start()
        started = time.monotonic()
        assert r.wait(30) is False
        assert time.monotonic() - started < 3


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_login_and_a_wrong_password(imap, user, settings, security):
    reader(imap, user, settings, security=security).test_login()
    with pytest.raises(LoginFailed, match="refused the login"):
        reader(imap, user, settings, security=security, password="wrong").test_login()


def test_xoauth2_with_a_token_from_the_provider(imap, oauth, user, settings):
    token = oauth.issue(user)["access_token"]
    reader(imap, user, settings, token=lambda fresh: token).test_login()
    someone_elses = oauth.issue("other@example.test")["access_token"]
    with pytest.raises(LoginFailed):
        reader(imap, user, settings, token=lambda fresh: someone_elses).test_login()


def test_an_untrusted_certificate_is_refused(imap, user, settings):
    with pytest.raises(MailboxBroken, match="not trusted"):
        reader(imap, user, dataclasses.replace(settings, ca_file=None)).test_login()


def test_a_folder_that_is_not_there(imap, user, settings):
    with pytest.raises(MailboxBroken, match="Replies"):
        reader(imap, user, settings, folder="Replies").test_login()


def test_a_literal_larger_than_asked_for_is_refused_before_it_is_read(imap, user, settings):
    imap.deliver(user, reply_bytes("Re: big", size=200_000))
    client = connect(imap_endpoint(imap, user), settings, max_literal=10_000)
    try:
        client.select_folder("INBOX", readonly=True)
        with pytest.raises(imapclient.IMAPClient.AbortError, match="at most"):
            client.fetch([1], ["BODY.PEEK[]"])  # what a server ignoring <0.N> would send
    finally:
        client.shutdown()
