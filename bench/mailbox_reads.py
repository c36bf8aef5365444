"""Mailboxes, scheduler half: the real `outreach scheduler` process reading one mailbox on
PostgreSQL (the `mailbox-reads` job, IMAP IDLE on), against a local Dovecot.

First sync: a folder of `messages` (~3 KB each, a few of them replies to the site's email)
read by a fresh scheduler process, from its start until the mailbox's last UID is on
record (the database writes included); the process's peak RSS meanwhile (target <= 120
MB). Then latency: `replies` replies dropped into the Maildir one after another, each
timed from the file landing to its reply stored for the card (p50 target <= 5 s with
IDLE; polling alone would be OUTREACH_IMAP_INTERVAL, 60 s). Nothing may end up \\Seen.
Run through bench.mailboxes (python -m bench.mailboxes).
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from bench import common
from service.db import make_engine, make_session_factory
from service.models import Email, Mailbox, Reply
from tests.mailboxes.messages import reply_bytes
from tests.outbound_hooks.support import scheduler_env
from tests.sequences import procs
from tests.support.mail import Dovecot, FakeOAuth
from tests.support.processes import stop, wait_for
from tests.support.state import new_cards

USER = "reads@example.test"
PROSPECT = "editor@site0.example"
MESSAGE_ID = "<bench-1@example.test>"
RSS_TARGET = 120


def reply(n: int) -> bytes:
    """A reply the service matches to the site's email (references, SPF pass)."""
    return (
        "Authentication-Results: mx.example.test; spf=pass smtp.mailfrom=editor@site0.example\r\n"
        f"From: Editor <{PROSPECT}>\r\nTo: {USER}\r\nSubject: Re: A link\r\n"
        f"Message-ID: <bench-reply-{n}@site0.example>\r\n"
        f"In-Reply-To: {MESSAGE_ID}\r\nReferences: {MESSAGE_ID}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"Sounds good ({n}), send me the draft.\r\n"
    ).encode()


def arrange(url: str, engine, imap: Dovecot) -> None:
    """A site, its card, the email replies cite, and the mailbox (IMAP side: Dovecot)."""
    site_id = common.new_site(url).site_id
    now = datetime.now(UTC)
    with make_session_factory(engine)() as s:
        [card] = new_cards(site_id, 1, "site", now)
        s.add(card)
        s.flush()
        s.add(
            Email(
                site_id=site_id,
                opportunity_id=card.id,
                to_email=PROSPECT,
                to_normalized=PROSPECT,
                subject="A link",
                send_state="sent",
                status="sent",
                message_id="bench-1",
                smtp_id=MESSAGE_ID,
                sent_at=now,
                created_at=now,
            )
        )
        server = {"host": "localhost", "security": "tls", "username": USER}
        s.add(
            Mailbox(
                site_id=site_id,
                email=USER,
                **{f"smtp_{k}": v for k, v in server.items()},
                smtp_port=465,
                **{f"imap_{k}": v for k, v in server.items()},
                imap_port=imap.tls_port,
                password_stored=common.secret_box().seal(imap.password),
                created_at=now,
                updated_at=now,
            )
        )
        s.commit()


def counts(engine) -> tuple[int, int]:
    """(the mailbox's last UID read, replies stored)."""
    with make_session_factory(engine)() as s:
        return s.scalar(select(Mailbox.imap_last_uid)) or 0, s.scalar(select(func.count(Reply.id)))


def measure_reads(result, certs, messages: int, replies: int) -> None:
    url, tmp = common.fresh_database("postgres"), Path(tempfile.mkdtemp(prefix="bench-reads-"))
    engine = make_engine(url)
    oauth = FakeOAuth().start()
    imap = Dovecot(certs, oauth.url).start()
    runner = None
    try:
        arrange(url, engine, imap)
        for n in range(messages):  # one in 500 is a reply to the site's email
            imap.deliver(USER, reply(n) if n % 500 == 0 else reply_bytes(f"Re: {n}", 3000))
        env = scheduler_env(
            url,
            tmp,
            OUTREACH_MAIL_CA_FILE=str(certs.ca_file),
            OUTREACH_MAIL_ALLOW_PRIVATE="1",
            OUTREACH_SCHEDULER_INTERVAL="1",
        )
        started, peak = time.perf_counter(), [0.0]
        runner = procs.start_scheduler(env, tmp / "scheduler.log")

        def synced() -> bool:
            peak[0] = max(peak[0], *common.rss_mb([runner.pid]))
            return counts(engine)[0] >= messages

        wait_for(synced, 1800, every=0.1, why=lambda: (tmp / "scheduler.log").read_text())
        first_sync = time.perf_counter() - started
        latencies = reply_latencies(engine, imap, messages, replies)
        peak[0] = max(peak[0], *common.rss_mb([runner.pid]))
        unseen = all("\\Seen" not in f for f in imap.flags(USER).values())
    finally:
        if runner is not None:
            stop(runner)
        imap.stop()
        oauth.stop()
        engine.dispose()
        common.drop_database(url)
    report(result, messages, first_sync, peak[0], latencies, unseen)


def reply_latencies(engine, imap: Dovecot, messages: int, replies: int) -> list[float]:
    """Seconds from each reply landing in the Maildir to its reply stored, one at a time."""
    stored = counts(engine)[1]
    out = []
    for n in range(replies):
        landed = time.perf_counter()
        imap.deliver(USER, reply(messages + n))
        wait_for(lambda: counts(engine)[1] > stored, 120, every=0.02)  # noqa: B023
        out.append(time.perf_counter() - landed)
        stored += 1
    return out


def report(result, messages, first_sync, peak, latencies, unseen) -> None:
    p50, p95 = common.percentile(latencies, 50), common.percentile(latencies, 95)
    result.say(
        f"scheduler: first sync of {messages} messages through `outreach scheduler` "
        f"(PostgreSQL, process start included) in {first_sync:.1f} s "
        f"({messages / first_sync:.0f}/s); its peak RSS {peak:.0f} MB [target <= "
        f"{RSS_TARGET} MB: {common.verdict(peak, RSS_TARGET, False)}]"
    )
    result.say(
        f"scheduler: reply landed -> stored for the card, {len(latencies)} replies: p50 "
        f"{p50:.2f} s, p95 {p95:.2f} s, max {max(latencies):.2f} s [p50 target <= 5 s: "
        f"{common.verdict(p50, 5, False)}]; all still unseen: {unseen}"
    )
    result.rss("scheduler process, peak", [peak])
    result.figure("first sync through the scheduler", first_sync, "s")
    result.figure("scheduler RSS peak", peak, "MB", target=RSS_TARGET)
    result.figure("reply to card, p50", p50, "s", target=5)
    result.figure("reply to card, p95", p95, "s")
