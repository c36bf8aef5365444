"""Mailboxes: the SMTP adapter's throughput and the IMAP reader's first read through the
adapters directly (no service, no database), then the scheduler reading a mailbox, against
real local servers.

SMTP: 1,000 emails over 5 mailboxes to the local aiosmtpd server (a process of its own)
answering each message after 20 ms; sender threads share one pool (one connection per
mailbox). Floor: one reused
connection per mailbox and nothing else: 5 / 20 ms = 250 emails/s. Target >= 0.7x the floor.
Beside it, the same sends by bare smtplib (one connection per mailbox, a prebuilt message,
no pool, no PIPELINING) against the same server: what this machine allows right now.
IMAP: a folder of 10,000 messages (~3 KB) in Dovecot; a fresh process opens it and reads
every message with ImapReader (its first full read, Dovecot's first indexing included);
its wall time and peak RSS are printed. Target: RSS <= 120 MB.
Then the same folder through the real `outreach scheduler` process on PostgreSQL and the
latency of a reply to its card (bench/mailbox_reads.py).
Run: .venv/bin/python -m bench.mailboxes [--emails 1000] [--mailboxes 5] [--messages 10000]
                                         [--replies 20]
"""

from __future__ import annotations

import json
import os
import smtplib
import ssl
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import common
from bench.mailbox_reads import measure_reads
from service.mail.endpoints import Endpoint, Login, MailSettings
from service.mail.imap import ImapReader
from service.mail.mime import compose
from service.mail.smtp import SmtpMailer, new_message_id
from service.mail.smtp_connection import SmtpPool
from tests.mailboxes.messages import outgoing, reply_bytes
from tests.support.mail import Dovecot, FakeOAuth, FakeSmtp, TestCerts, dovecot, make_certs

LATENCY = 0.02
PASSWORD = "bench-secret"


def smtp_figures(result, certs, emails: int, mailboxes: int, threads: int) -> None:
    users = [f"box{n}@example.test" for n in range(mailboxes)]
    floor = mailboxes / LATENCY
    bare = with_server(certs, users, lambda port: bare_sends(certs, port, users, emails))
    ours = with_server(
        certs, users, lambda port: adapter_sends(certs, port, users, emails, threads)
    )
    for name, (wall, cpu, seen) in (("bare smtplib", bare), ("SmtpMailer", ours)):
        rate = emails / wall
        result.say(
            f"smtp {name}: {emails} emails over {mailboxes} mailboxes in {wall:.2f} s = "
            f"{rate:.0f}/s, {rate / floor:.2f}x the floor ({floor:.0f}/s); client CPU "
            f"{cpu * 1000 / emails:.2f} ms/email, server CPU {seen['cpu'] * 1000 / emails:.2f} "
            f"ms/email; the server saw {seen['connections']} connections, {seen['logins']} "
            f"logins, {seen['messages']} messages"
        )
    ratio = bare[0] / ours[0]
    result.say(
        f"smtp: SmtpMailer at {emails / ours[0] / floor:.2f}x the floor [target >= 0.7x: "
        f"{common.verdict(emails / ours[0] / floor, 0.7, True)}], {ratio:.2f}x bare smtplib"
    )
    result.figure(
        "SMTP sends over pooled connections",
        emails / ours[0],
        "emails/s",
        higher_is_better=True,
        floor=floor,
        floor_label="one reused connection per mailbox",
        ratio_target=0.7,
    )


def with_server(certs, users: list[str], work) -> tuple[float, float, dict]:
    """Run work(port) against a fresh server process: (wall, client CPU, what it saw)."""
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.mailboxes", "--smtp-child", json.dumps(users)],
        cwd=common.ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "BENCH_CERTS": str(certs.ca_file.parent)},
    )
    try:
        port = json.loads(server.stdout.readline())["starttls"]
        started, cpu = time.perf_counter(), time.process_time()
        work(port)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        seen, _ = server.communicate("", timeout=60)  # stdin closed: it reports and stops
    return wall, cpu, json.loads(seen.strip().splitlines()[-1])


def adapter_sends(certs, port: int, users: list[str], emails: int, threads: int) -> None:
    settings = MailSettings(ca_file=str(certs.ca_file), allow_private=True)
    pool = SmtpPool()
    senders = [
        SmtpMailer(
            n,
            user,
            Endpoint("localhost", port, "starttls", Login(user, PASSWORD)),
            settings,
            pool=pool,
        )
        for n, user in enumerate(users)
    ]
    try:
        with ThreadPoolExecutor(threads) as workers:
            list(
                workers.map(
                    lambda n: senders[n % len(users)].send(outgoing(to=f"p{n}@example.org")),
                    range(emails),
                )
            )
    finally:
        pool.close_all()


def bare_sends(certs, port: int, users: list[str], emails: int) -> None:
    """The bare limit: per mailbox one smtplib connection sending a prebuilt message."""
    raw = compose(outgoing(), new_message_id("example.test"))

    def one_mailbox(user: str) -> None:
        with smtplib.SMTP("localhost", port, timeout=30) as conn:
            conn.starttls(context=ssl.create_default_context(cafile=str(certs.ca_file)))
            conn.login(user, PASSWORD)
            for n in range(emails // len(users)):
                conn.sendmail(user, [f"p{n}@example.org"], raw)

    with ThreadPoolExecutor(len(users)) as workers:
        list(workers.map(one_mailbox, users))


def smtp_child(users: list[str]) -> None:
    """The SMTP server in a process of its own (as a real one is): ports on the first
    line, then it answers until stdin closes and prints what it saw."""
    folder = Path(os.environ["BENCH_CERTS"])
    certs = TestCerts(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    server = FakeSmtp(certs, dict.fromkeys(users, PASSWORD)).start()
    server.delay = LATENCY
    print(json.dumps({s: server.port(s) for s in ("starttls", "tls", "none")}), flush=True)
    sys.stdin.read()
    seen = {"connections": server.connections, "logins": server.logins}
    seen = {k: len(v) for k, v in {**seen, "messages": server.messages}.items()}
    print(json.dumps({**seen, "cpu": time.process_time()}))
    server.stop()


def imap_figures(bench_result, certs, messages: int) -> None:
    oauth = FakeOAuth().start()
    imap = Dovecot(certs, oauth.url).start()
    user = "reader@example.test"
    try:
        for n in range(messages):
            imap.deliver(user, reply_bytes(f"Re: offer {n}", size=3000))
        child = {"port": imap.tls_port, "user": user, "password": imap.password}
        child["ca_file"] = str(certs.ca_file)
        done = subprocess.run(
            [sys.executable, "-m", "bench.mailboxes", "--imap-child", json.dumps(child)],
            cwd=common.ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        seen = json.loads(done.stdout.strip().splitlines()[-1])
        unseen = all("\\Seen" not in f for f in imap.flags(user).values())
    finally:
        imap.stop()
        oauth.stop()
    bench_result.say(
        f"imap: first read of {seen['read']} messages ({seen['mib']:.1f} MiB) in "
        f"{seen['wall']:.2f} s ({seen['read'] / seen['wall']:.0f}/s); reader process "
        f"peak RSS {seen['rss_mb']:.0f} MB ({seen['before']:.0f} MB before reading: "
        f"the service's modules) [target <= 120 MB: "
        f"{common.verdict(seen['rss_mb'], 120, False)}]; all still unseen: {unseen}"
    )
    bench_result.figure("IMAP reader first read", seen["wall"], "s")
    bench_result.figure("IMAP reader RSS peak", seen["rss_mb"], "MB", target=120)


def imap_child(spec: dict) -> None:
    """In a fresh process: open the folder and read everything; print JSON figures."""
    endpoint = Endpoint("localhost", spec["port"], "tls", Login(spec["user"], spec["password"]))
    settings = MailSettings(ca_file=spec["ca_file"], allow_private=True)
    before = common.own_peak_mb()
    started, count, size = time.perf_counter(), 0, 0
    with ImapReader(endpoint, settings) as reader:
        reader.open()
        for batch in reader.messages_after(0):
            count += len(batch)
            size += sum(len(m.raw) for m in batch)
    wall = time.perf_counter() - started
    rss = common.own_peak_mb()
    figures = {"read": count, "wall": wall, "mib": size / 2**20, "rss_mb": rss, "before": before}
    print(json.dumps(figures))


QUICK = {"emails": 200, "messages": 1000, "replies": 5}


def measure(
    result,
    emails: int = 1000,
    mailboxes: int = 5,
    threads: int = 10,
    messages: int = 10_000,
    replies: int = 20,
):
    """SMTP sends, the IMAP reader alone, then the scheduler reading (mailbox_reads)."""
    certs = make_certs(Path(tempfile.mkdtemp(prefix="bench-mail-")))
    smtp_figures(result, certs, emails, mailboxes, threads)
    if not dovecot.available():
        result.say("imap: skipped, Dovecot is not installed (scripts/ci-mail-deps.sh)")
        return result
    imap_figures(result, certs, messages)
    measure_reads(result, certs, messages, replies)
    return result


if __name__ == "__main__":
    if "--imap-child" in sys.argv:
        imap_child(json.loads(sys.argv[sys.argv.index("--imap-child") + 1]))
    elif "--smtp-child" in sys.argv:
        smtp_child(json.loads(sys.argv[sys.argv.index("--smtp-child") + 1]))
    else:
        common.main_for("mailboxes", measure, __doc__)
