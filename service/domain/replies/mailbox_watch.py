"""IMAP IDLE on the mailboxes the `mailbox-reads` job reads (docs/api.md §15): new mail
is read within seconds where the server offers IDLE; without it the job's polling every
OUTREACH_IMAP_INTERVAL stays the only reader (and stays on as the safety net with IDLE).

A watcher only listens; the job kind still does every read (once, leased, BODY.PEEK).
When IDLE says the folder changed, the waiter makes the mailbox due now (one short
transaction) and wakes this process's job. Bounded on every side:
- one IDLE session per mailbox across every process: the `idle_owner`/`idle_until` lease,
  claimed like any job's (db/leases.py), renewed between two IDLE cycles by an UPDATE that
  re-checks owner, status and credentials (a paused, edited or deleted mailbox ends it);
- at most `max_waiters` threads per process, none of them the scheduler's pool threads;
- no transaction is ever open while a socket waits;
- IDLE is ended and re-issued every `cycle` seconds (RFC 2177: before 29 minutes);
- stop() interrupts every wait (within a second) and gives the leases back.
A server without IDLE is marked so (owner "-") and asked again only after NO_IDLE_RECHECK.
"""

from __future__ import annotations

import logging
import threading
from contextlib import closing
from datetime import timedelta

from sqlalchemy import func, or_, update

from service.db.leases import lease_due
from service.db.unit_of_work import UnitOfWork
from service.domain.mailboxes.access import access_for
from service.domain.ports import MailRefused
from service.models import Mailbox

log = logging.getLogger("outreach.mailboxes")

CYCLE = 120.0  # seconds of one IDLE before DONE, the lease renewed, IDLE again
LEASE = timedelta(minutes=5)  # outlives a cycle; a killed process's lease lapses in it
NO_IDLE = "-"  # idle_owner of a mailbox whose server has no IDLE
NO_IDLE_RECHECK = timedelta(hours=1)
MAX_WAITERS = 200  # IDLE sessions (threads, sockets) one scheduler process holds at most
SCAN_EVERY = 15.0  # seconds between two looks for mailboxes nobody watches


class Watcher:
    """One process's IDLE waiters: run(stop) in a thread of its own until `stop` is set."""

    def __init__(self, runtime, owner: str, wake, *, cycle=CYCLE, lease=LEASE, scan_every=None):
        self.rt, self.owner, self.wake = runtime, owner, wake
        self.cycle, self.lease = cycle, lease
        self.scan_every = scan_every or min(SCAN_EVERY, runtime.mailboxes.interval)
        self.max_waiters = MAX_WAITERS
        self.retry_after = timedelta(seconds=runtime.mailboxes.interval)
        self._waiters: dict[int, threading.Thread] = {}
        self._readers: dict[int, object] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.scans = 0  # looks for unwatched mailboxes so far

    def run(self, stop: threading.Event) -> None:
        """Claim unwatched mailboxes and start a waiter for each, every scan_every."""
        self._stop = stop
        try:
            while not stop.is_set():
                try:
                    self._start_waiters()
                    self.scans += 1
                except Exception:  # the database away: try again at the next scan
                    log.warning("IMAP IDLE: looking for mailboxes failed", exc_info=True)
                stop.wait(self.scan_every)
        finally:
            self._stop_all()

    def _start_waiters(self) -> None:
        with self._lock:
            self._waiters = {i: t for i, t in self._waiters.items() if t.is_alive()}
            room = self.max_waiters - len(self._waiters)
        for mailbox_id in self._claim(room) if room > 0 else ():
            thread = threading.Thread(
                target=self._wait_on, args=(mailbox_id,), name=f"imap-idle-{mailbox_id}"
            )
            thread.daemon = True  # stop() ends it; never keeps a dying process alive
            with self._lock:
                self._waiters[mailbox_id] = thread
            thread.start()

    def _claim(self, room: int) -> list[int]:
        now = self.rt.clock.now()
        claimable = (
            Mailbox.status == "active",
            or_(Mailbox.idle_until.is_(None), Mailbox.idle_until < now),
        )
        stamp = {"idle_owner": self.owner, "idle_until": now + self.lease}
        due = func.coalesce(Mailbox.idle_until, Mailbox.created_at)
        with closing(UnitOfWork.open(self.rt.session_factory)) as uow:
            rows = lease_due(uow.session, Mailbox, due, claimable, stamp, room)
            uow.commit()
        return [row[0] for row in rows]

    def _wait_on(self, mailbox_id: int) -> None:
        """One mailbox's IDLE session until its lease is lost, it fails, or stop."""
        until = None  # None: give the lease back; else keep others off until then
        try:
            access, version = self._access(mailbox_id)
            if access is None:
                return
            with self.rt.mailboxes.reader(access) as reader:
                with self._lock:
                    self._readers[mailbox_id] = reader
                if self._stop.is_set():
                    return
                reader.open()
                if not reader.has_idle:
                    until = self._no_idle(mailbox_id)
                    return
                self._listen(mailbox_id, version, reader)
        except MailRefused as exc:  # the job reports the mailbox's errors; retry later
            log.info("mailbox %s: IMAP IDLE stopped: %s", mailbox_id, exc.message)
            until = self.rt.clock.now() + self.retry_after
        except Exception:
            log.exception("mailbox %s: IMAP IDLE failed", mailbox_id)
            until = self.rt.clock.now() + self.retry_after
        finally:
            with self._lock:
                self._readers.pop(mailbox_id, None)
            self._give_back(mailbox_id, until)

    def _listen(self, mailbox_id: int, version: int, reader) -> None:
        news = True  # mail that landed since the last read, before IDLE began: read it
        while not self._stop.is_set():
            if not self._renew(mailbox_id, version, news):
                return  # paused, edited, deleted, or the lease was taken: let go
            if news:
                self.wake()
            news = reader.wait(self.cycle)

    def _access(self, mailbox_id: int):
        with closing(UnitOfWork.open(self.rt.session_factory)) as uow:
            mailbox = uow.session.get(Mailbox, mailbox_id)
            if mailbox is None or mailbox.idle_owner != self.owner:
                return None, None
            return access_for(self.rt.secret_box, mailbox), mailbox.credentials_version

    def _renew(self, mailbox_id: int, version: int, news: bool) -> bool:
        """Keep the lease one more cycle; with news the mailbox is due for a read now."""
        now = self.rt.clock.now()
        values = {"idle_until": now + self.lease}
        if news:
            values["read_due_at"] = now
        return self._update(mailbox_id, values, Mailbox.credentials_version == version) == 1

    def _no_idle(self, mailbox_id: int):
        until = self.rt.clock.now() + NO_IDLE_RECHECK
        self._update(mailbox_id, {"idle_owner": NO_IDLE, "idle_until": until})
        log.info("mailbox %s: the server offers no IDLE; polling it", mailbox_id)
        return until

    def _give_back(self, mailbox_id: int, until) -> None:
        if until is not None and until > self.rt.clock.now() + self.retry_after:
            return  # marked "no IDLE" already
        try:
            self._update(mailbox_id, {"idle_owner": None, "idle_until": until})
        except Exception:  # the lease lapses by itself
            log.warning("mailbox %s: IDLE lease not given back", mailbox_id, exc_info=True)

    def _update(self, mailbox_id: int, values: dict, *also) -> int:
        where = (Mailbox.id == mailbox_id, Mailbox.idle_owner == self.owner, *also)
        if "idle_owner" not in values:
            where += (Mailbox.status == "active",)
        with closing(UnitOfWork.open(self.rt.session_factory)) as uow:
            done = uow.session.execute(update(Mailbox).where(*where).values(values)).rowcount
            uow.commit()
        return done

    def _stop_all(self) -> None:
        """Interrupt every wait and let the waiters give their leases back."""
        self._stop.set()
        with self._lock:
            readers, threads = list(self._readers.values()), list(self._waiters.values())
        for reader in readers:
            reader.interrupt()
        for thread in threads:
            thread.join(10)

    def watching(self) -> list[int]:
        """The mailboxes this process holds an IDLE session on now (tests, logs)."""
        with self._lock:
            return sorted(self._readers)
