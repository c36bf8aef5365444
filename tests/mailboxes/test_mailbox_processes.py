"""Real scheduler processes reading one mailbox (docs/api.md §15): two of them store each
reply once and hold one IDLE session between them; one SIGKILLed in the middle of
recording a sync loses and duplicates nothing once the mailbox is read again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime

from sqlalchemy import update

from service.db import make_session_factory
from service.domain.replies.mailbox_watch import NO_IDLE
from service.mail.smtp_connection import POOL
from service.models import Mailbox, Reply
from service.worker.scheduler import Scheduler
from tests.mailboxes.conftest import SMTP_PASSWORD
from tests.mailboxes.test_mailbox_reading import reply_to, sent_from_mailbox
from tests.outbound_hooks.support import scheduler_env
from tests.reliability.faults import FaultPoint
from tests.sequences.procs import ROOT, start_scheduler
from tests.support.processes import stop, wait_for
from tests.support.state import rows

KIND = "mailbox-reads"


def mail_env(database_url, folder, mail_certs, **extra) -> dict:
    """A scheduler process that trusts the test CA and reaches the loopback servers."""
    return scheduler_env(
        database_url,
        folder,
        OUTREACH_MAIL_CA_FILE=str(mail_certs.ca_file),
        OUTREACH_MAIL_ALLOW_PRIVATE="1",
        OUTREACH_MAIL_TIMEOUT="5",
        OUTREACH_IMAP_INTERVAL="1",
        **extra,
    )


def deliver_replies(imap, user, email, count: int) -> None:
    for i in range(count):
        imap.deliver(user, reply_to(email, f"Reply {i}").replace(b"answer-1", b"answer-%d" % i))


def stored(app) -> list[str]:
    """The replies kept, by their text ("Reply <i>"): one each, or a duplicate shows."""
    return sorted(r.text.strip() for r in rows(app, Reply))


def test_two_scheduler_processes_store_each_reply_once(
    client, app, smtp, imap, user, database_url, mail_certs, tmp_path
):
    email = sent_from_mailbox(client, app, smtp, imap, user)
    deliver_replies(imap, user, email, 5)
    logs = [tmp_path / f"s{i}.log" for i in range(2)]
    envs = [
        mail_env(database_url, tmp_path / f"s{i}", mail_certs, OUTREACH_LOG_LEVEL="DEBUG")
        for i in range(2)
    ]
    procs = [start_scheduler(env, log) for env, log in zip(envs, logs, strict=True)]
    why = lambda: "\n".join(log.read_text() for log in logs)  # noqa: E731
    try:
        wait_for(lambda: len(rows(app, Reply)) >= 5, 60, why=why)
        wait_for(lambda: rows(app, Mailbox)[0].idle_owner not in (None, NO_IDLE), 30, why=why)
        deliver_replies(imap, user, email, 8)  # 0-4 again (same Message-IDs) and 5-7
        wait_for(lambda: rows(app, Mailbox)[0].imap_last_uid == 13, 60, why=why)
    finally:
        for proc in procs:
            stop(proc)
    assert stored(app) == [f"Reply {i}" for i in range(8)]
    assert rows(app, Mailbox)[0].idle_owner is None  # both gave their leases back
    assert all("\\Seen" not in flags for flags in imap.flags(user).values())
    assert imap.password not in why() and SMTP_PASSWORD not in why()  # logs, even DEBUG


def test_killed_mid_sync_loses_and_duplicates_nothing(
    client, app, smtp, imap, user, database_url, mail_certs, tmp_path, engine
):
    POOL.close_all()
    email = sent_from_mailbox(client, app, smtp, imap, user)
    deliver_replies(imap, user, email, 3)
    point = FaultPoint(tmp_path, "mailbox_reads.stored")
    point.arm()
    code = (
        "from service.app import create_app\n"
        "from service.worker.scheduler import Scheduler\n"
        f"Scheduler(create_app(), owner='doomed', kind={KIND!r}).run_pass()\n"
    )
    env = mail_env(database_url, tmp_path / "doomed", mail_certs, OUTREACH_FAULT_DIR=str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env)
    try:
        os.kill(point.wait_reached(60), signal.SIGKILL)  # one reply stored, none committed
        proc.wait(30)
    finally:
        point.release()
        stop(proc)
    assert rows(app, Reply) == [] and rows(app, Mailbox)[0].lease_owner == "doomed"
    with make_session_factory(engine)() as s:  # the lease would expire in its time
        s.execute(update(Mailbox).values(lease_until=datetime(2000, 1, 1, tzinfo=UTC)))
        s.commit()
    assert Scheduler(app, owner="next", kind=KIND).run_pass()["reply"] == 3
    assert stored(app) == [f"Reply {i}" for i in range(3)]
    assert rows(app, Mailbox)[0].imap_last_uid == 3
