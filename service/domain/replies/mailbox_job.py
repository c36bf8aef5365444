"""The `mailbox-reads` job kind: each active mailbox's folder read over IMAP every
OUTREACH_IMAP_INTERVAL seconds (docs/api.md §15), replies and bounces matched and kept
as Inbound Parse ones are (received.record_inbound).

Read once across every process: a mailbox is leased to one scheduler at a time, and what
it read is recorded (replies, then the highest UID under its UIDVALIDITY) in one
transaction that first re-reads the mailbox row under a lock and checks the lease is
still its own; a pass whose lease was lost records nothing. Reading again after a crash
or a new UIDVALIDITY stores nothing twice (a reply is keyed by its Message-ID). The
reader only EXAMINEs and fetches with BODY.PEEK: the owner still sees every reply unread.
A pass takes one bounded batch (service/mail/imap.py); a mailbox with more is due again
at once. Where the server offers IMAP IDLE, mailbox_watch.py makes a mailbox due (and
wakes this job) as soon as mail lands; polling stays on as the safety net.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from service import faults
from service.db.leases import lease_due
from service.domain.jobs import JobKind
from service.domain.mailboxes import accounts
from service.domain.mailboxes.access import MailboxAccess, access_for
from service.domain.ports import MailboxNeedsOwner, MailRefused
from service.domain.replies import mailbox_mail, mailbox_watch, received
from service.models import Mailbox

log = logging.getLogger("outreach.mailboxes")


@dataclass
class ReadJob:
    """One mailbox's pass (plain data for the pool thread)."""

    access: MailboxAccess
    uidvalidity: int | None
    last_uid: int
    started_at: datetime | None = None  # prepare's clock: a read_due_at after it is news
    messages: list = field(default_factory=list)  # [(uid, raw)]
    seen_uidvalidity: int | None = None
    more: bool = False
    error: str | None = None
    needs_owner: bool = False
    result: object = None  # the worker's fault points read it; unused here


def _claimable(now: datetime):
    return (
        Mailbox.status == "active",
        or_(Mailbox.read_due_at.is_(None), Mailbox.read_due_at <= now),
        or_(Mailbox.lease_until.is_(None), Mailbox.lease_until < now),
    )


def claim(session: Session, owner: str, now: datetime, lease, batch: int) -> list:
    stamp = {"lease_owner": owner, "lease_until": now + lease}
    due = func.coalesce(Mailbox.read_due_at, Mailbox.created_at)  # never read: since made
    return lease_due(session, Mailbox, due, _claimable(now), stamp, batch)


def release(session: Session, ids: list[int], owner: str) -> None:
    session.execute(
        update(Mailbox)
        .where(Mailbox.id.in_(ids), Mailbox.lease_owner == owner)
        .values(lease_owner=None, lease_until=None)
    )


def prepare(session: Session, ids, owner, now, lease, box) -> tuple:
    query = select(Mailbox).where(Mailbox.id.in_(ids)).order_by(Mailbox.id)
    jobs = [
        ReadJob(access_for(box, m), m.imap_uidvalidity, m.imap_last_uid or 0, now)
        for m in session.scalars(query)
    ]
    return jobs, Counter()


def call(job: ReadJob, links) -> ReadJob:
    """One bounded batch of the messages after the last UID read (no database)."""
    try:
        with links.reader(job.access) as reader:
            state = reader.open()
            job.seen_uidvalidity = state.uidvalidity
            after = job.last_uid if state.uidvalidity == job.uidvalidity else 0
            batches = reader.messages_after(after)
            first = next(batches, [])
            job.messages = [(m.uid, m.raw) for m in first]
            job.more = next(batches, None) is not None
    except MailRefused as exc:
        job.error, job.needs_owner = exc.message, isinstance(exc, MailboxNeedsOwner)
    return job


def record(session: Session, jobs: list[ReadJob], owner: str, now: datetime, every) -> Counter:
    counts = Counter()
    for job in jobs:
        mailbox = session.get(Mailbox, job.access.mailbox_id, with_for_update=True)
        if mailbox is None or mailbox.lease_owner != owner:
            counts["lost"] += 1  # another process holds it now: it reads these itself
            continue
        mailbox.lease_owner = mailbox.lease_until = None
        # IDLE said "new mail" while this read ran (mailbox_watch made it due after the
        # read began): due again now, not in `every`.
        due = mailbox.read_due_at
        heard = None not in (due, job.started_at) and due > job.started_at
        mailbox.read_due_at = now if job.more or heard else now + every
        if job.error is not None:
            if job.needs_owner:
                accounts.record_error(mailbox, f"IMAP: {job.error}", now)
            log.warning("mailbox %s: reading failed: %s", mailbox.id, job.error)
            counts["failed"] += 1
            continue
        for uid, raw in job.messages:
            counts[_read_one(session, job, uid, raw, now)] += 1
            mailbox.imap_last_uid = uid
            faults.reach("mailbox_reads.stored")  # crash tests: stored, not yet committed
        mailbox.imap_uidvalidity = job.seen_uidvalidity
        if not job.messages and mailbox.imap_last_uid is None:
            mailbox.imap_last_uid = 0
    session.flush()
    return counts


def _read_one(session: Session, job: ReadJob, uid: int, raw: bytes, now: datetime) -> str:
    """Match and keep one message: "reply" or "other". One the service cannot read (a bug
    in front of a strange message) is logged and skipped, its writes rolled back to a
    savepoint: it must not stop the mailbox's reading for ever. Database errors pass (the
    worker runs the record again)."""
    try:
        with session.begin_nested():
            form = mailbox_mail.form_of(raw, job.access.email)
            return "reply" if received.record_inbound(session, form, now) else "other"
    except SQLAlchemyError:
        raise
    except Exception:
        log.exception("mailbox %s: message uid %s could not be read", job.access.mailbox_id, uid)
        return "unreadable"


# Mailboxes read at once by one process: each read may hold a FETCH of up to BATCH_BYTES
# (service/mail/imap.py), so this bound, not the send pool's size, sets the peak memory.
READS_AT_ONCE = 8


def kind(runtime) -> JobKind:
    every = timedelta(seconds=runtime.mailboxes.interval)
    return JobKind(
        name="mailbox-reads",
        claim=claim,
        prepare=lambda *args: prepare(*args, box=runtime.secret_box),
        call=lambda job: call(job, runtime.mailboxes),
        record=lambda *args: record(*args, every=every),
        release=release,
        describe=lambda job: f"mailbox {job.access.mailbox_id}",
        concurrency=READS_AT_ONCE,
        every=min(every, timedelta(seconds=15)),
        watch=lambda owner, wake: mailbox_watch.Watcher(runtime, owner, wake),
    )
