"""IMAP IDLE in the scheduler (docs/api.md §15, service/domain/replies/mailbox_watch.py):
a reply dropped into the Maildir shows on the card within seconds, though the poll is
600 s away, and stays unseen; one IDLE session per mailbox across schedulers; a paused
mailbox or a server without IDLE ends it; shutdown ends every wait and gives it back."""

from __future__ import annotations

import threading
import time

import pytest

from service.domain.replies.mailbox_watch import NO_IDLE, Watcher
from service.mail.imap import ImapReader
from service.mail.smtp_connection import POOL
from service.models import Mailbox
from service.worker.scheduler import start_background
from tests.mailboxes.test_mailbox_reading import reply_to, sent_from_mailbox
from tests.support.api import API
from tests.support.processes import wait_for
from tests.support.state import rows


@pytest.fixture
def app_settings(settings):
    """Polling every 600 s: only IDLE can bring a reply in within seconds."""
    return {"MAIL_SETTINGS": settings, "IMAP_INTERVAL": 600, "SCHEDULER_INTERVAL": 0.2}


@pytest.fixture(autouse=True)
def fresh_pool():
    yield
    POOL.close_all()


def mailbox(app) -> Mailbox:
    [box] = rows(app, Mailbox)
    return box


def start_watcher(app, owner: str, cycle: float = 30.0):
    watcher = Watcher(app.extensions["outreach"], owner, lambda: None, cycle=cycle, scan_every=0.1)
    stop = threading.Event()
    thread = threading.Thread(target=watcher.run, args=(stop,))
    thread.start()
    return watcher, stop, thread


def test_a_reply_shows_on_the_card_within_seconds_and_stays_unseen(client, app, smtp, imap, user):
    email = sent_from_mailbox(client, app, smtp, imap, user)
    imap.deliver(user, b"From: x@y.example\r\nSubject: before\r\n\r\nx\r\n")  # the Maildir
    handle = start_background(app)
    try:
        wait_for(lambda: mailbox(app).imap_last_uid == 1, 30)  # the first read, then polls
        wait_for(lambda: mailbox(app).idle_owner not in (None, NO_IDLE), 30)
        landed = time.monotonic()
        imap.deliver(user, reply_to(email))
        card = f"{API}/opportunities/{email.opportunity_id}"
        wait_for(lambda: client.get(card).json["unread_replies"] == 1, 5)
        print(f"reply on the card {time.monotonic() - landed:.2f} s after it landed")
    finally:
        started = time.monotonic()
        handle.shutdown()
    assert time.monotonic() - started < 10
    assert mailbox(app).idle_owner is None  # given back on shutdown
    assert all("\\Seen" not in flags for flags in imap.flags(user).values())


def test_one_idle_session_per_mailbox_across_schedulers(client, app, smtp, imap, user):
    sent_from_mailbox(client, app, smtp, imap, user)
    imap.deliver(user, b"From: x@y.example\r\nSubject: hi\r\n\r\nx\r\n")
    both = [start_watcher(app, owner) for owner in ("sched-a", "sched-b")]
    try:
        wait_for(lambda: sum(len(w.watching()) for w, _, _ in both) == 1, 30)
        later = [w.scans + 3 for w, _, _ in both]  # several scans of each: still one
        wait_for(lambda: all(w.scans > n for (w, _, _), n in zip(both, later, strict=True)), 10)
        assert sum(len(w.watching()) for w, _, _ in both) == 1
        assert mailbox(app).idle_owner in ("sched-a", "sched-b")
    finally:
        for _, stop, thread in both:
            stop.set()
            thread.join(15)
    assert mailbox(app).idle_owner is None


def test_a_paused_mailbox_ends_its_idle_session(client, app, smtp, imap, user):
    sent_from_mailbox(client, app, smtp, imap, user)
    imap.deliver(user, b"From: x@y.example\r\nSubject: hi\r\n\r\nx\r\n")
    watcher, stop, thread = start_watcher(app, "sched-a", cycle=0.3)
    try:
        wait_for(lambda: watcher.watching() != [], 30)
        box_id = mailbox(app).id
        assert (
            client.patch(f"/api/v1/mailboxes/{box_id}", json={"status": "paused"}).status_code
            == 200
        )
        wait_for(lambda: watcher.watching() == [], 10)
    finally:
        stop.set()
        thread.join(15)


def test_a_server_without_idle_is_left_to_polling(client, app, smtp, imap, user, monkeypatch):
    monkeypatch.setattr(ImapReader, "has_idle", property(lambda _self: False))
    sent_from_mailbox(client, app, smtp, imap, user)
    imap.deliver(user, b"From: x@y.example\r\nSubject: hi\r\n\r\nx\r\n")
    watcher, stop, thread = start_watcher(app, "sched-a")
    try:
        wait_for(lambda: mailbox(app).idle_owner == NO_IDLE, 30)
        assert watcher.watching() == []
    finally:
        stop.set()
        thread.join(15)
    assert mailbox(app).idle_owner == NO_IDLE  # not asked again until NO_IDLE_RECHECK
