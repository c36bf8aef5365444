"""The sequence scheduler: passes that send every due step exactly once (APScheduler).

A pass claims due enrollments (leases), and for each one: re-checks stops and limits,
reserves the step's email row and COMMITS, then calls SendGrid and records the outcome.
`outreach serve` runs it in a background thread, `outreach scheduler` alone; gunicorn
workers never do. Several processes or hosts may run it at once on PostgreSQL.
"""
from __future__ import annotations

import logging
import os
import secrets
import signal
import socket
import threading
from collections import Counter, deque
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy import update
from sqlalchemy.exc import DBAPIError

from service import observability
from service.domain import sending
from service.domain.mail import MailRefused, MailUncertain
from service.domain.sequences import claims
from service.domain.sequences import prepare as steps
from service.domain.sequences import record as step_batches
from service.models import Enrollment, Site

log = logging.getLogger("outreach.scheduler")
JOB_ID = "sequence-steps"
FAULT_ENV = "OUTREACH_SCHEDULER_FAULT"  # test-only fault injection: "<point>:<n>"
_fault_hits: Counter = Counter()
_fault_lock = threading.Lock()  # pool threads count their passes through a point exactly
DEFAULT_CONCURRENCY = 8
SQLITE_MAX_THREADS = 4
# A pass that outlasts the interval makes APScheduler skip the next run (max_instances=1)
# and warn each time; that is the intended behaviour, not news.
logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)
logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)  # a line a pass


def fault(point: str) -> None:
    """Kill this process (SIGKILL) at the n-th pass through `point`, when asked to by env."""
    wanted = os.environ.get(FAULT_ENV, "")
    if not wanted.startswith(point + ":"):
        return
    with _fault_lock:
        _fault_hits[point] += 1
        hit = _fault_hits[point] == int(wanted.split(":", 1)[1])
    if hit:
        log.warning("fault injection: SIGKILL at %s", point)
        os.kill(os.getpid(), signal.SIGKILL)


class StepMailer:
    """The mail port as sequence steps use it.

    SendGrid's 5xx means it did not process the request, so for a step it counts as a
    refusal the scheduler retries later with backoff (bounded). A timeout stays
    uncertain: the step may have gone out, so it is never repeated.
    """

    def __init__(self, mailer):
        self.inner = mailer
        self.reply_domain = getattr(mailer, "reply_domain", None)

    def send(self, mail):
        try:
            accepted = self.inner.send(mail)
        except MailUncertain as exc:
            if exc.status is not None and exc.status >= 500:
                raise MailRefused(exc.message, exc.status) from None
            raise
        fault("accepted")  # SendGrid took it; we die before recording it
        return accepted


def default_owner() -> str:
    """A lease owner name unique to this process."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def mailer_for(app):
    """The app's mail port (built from config if the app has none yet)."""
    rt = app.extensions["outreach"]
    if rt.mailer is not None:
        return rt.mailer
    from service.mail import build_mailer

    rt.mailer = build_mailer(app.config)
    return rt.mailer


def concurrency_for(app, engine) -> int:
    """Steps one process has with SendGrid at once: OUTREACH_SCHEDULER_CONCURRENCY (8).

    The threads only talk to SendGrid (the database work is one thread's). On SQLite,
    a single-host install, at most SQLITE_MAX_THREADS: fewer steps left `unknown` if the
    process dies, and its one writer at a time could not record more anyway.
    """
    wanted = int(app.config.get("SCHEDULER_CONCURRENCY")
                 or os.environ.get("OUTREACH_SCHEDULER_CONCURRENCY") or DEFAULT_CONCURRENCY)
    wanted = max(1, wanted)
    return min(wanted, SQLITE_MAX_THREADS) if engine.dialect.name == "sqlite" else wanted


class Scheduler:
    """One scheduler process's worker: run_pass() sends everything that is due now.

    One thread does the database work, in chunks: a transaction reserves as many claimed
    steps as the pool has free threads, the pool of `concurrency` threads hands them to
    SendGrid (plain data, no session), and a transaction records whatever answered. The
    lease makes each enrollment this process's alone; the site lock (never held across a
    SendGrid call) serialises what must be serialised across processes.
    """

    def __init__(self, app, owner: str | None = None, batch: int | None = None,
                 concurrency: int | None = None):
        self.rt = app.extensions["outreach"]
        self.owner = owner or default_owner()
        self.concurrency = concurrency or concurrency_for(app, self.rt.engine)
        # Claim two pools' worth: the next steps are leased while the pool is busy.
        self.batch = batch or max(20, 2 * self.concurrency)
        self.lease = timedelta(seconds=float(app.config.get("SCHEDULER_LEASE")
                                             or os.environ.get("OUTREACH_SCHEDULER_LEASE")
                                             or steps.LEASE.total_seconds()))
        self.mailer = StepMailer(mailer_for(app))
        self.stopping = threading.Event()
        self._lag = 0.0  # seconds the oldest step claimed in this pass was overdue
        self._next_sweep: datetime | None = None

    def run_pass(self) -> Counter:
        """Claim and work due enrollments until none is due (refilling the pool as it drains)."""
        counts: Counter = Counter()
        self._lag = 0.0
        self._sweep_stale_manual_sends()
        with (ThreadPoolExecutor(self.concurrency, thread_name_prefix="outreach-step") as pool,
              self.rt.session_factory() as session):
            claimed, inflight, drained = deque(), {}, False
            while True:
                if not self.stopping.is_set() and len(inflight) < self.concurrency:
                    if not claimed and not drained:
                        claimed.extend(self._claim(self.batch))
                        drained = not claimed
                    # Reserve no more than the pool sends at once: a crash leaves at most
                    # `concurrency` steps unknown, none of them merely queued.
                    room = min(len(claimed), self.concurrency - len(inflight))
                    for job in self._prepare(session, [claimed.popleft() for _ in range(room)],
                                             counts):
                        inflight[pool.submit(self._hand_over, job)] = job
                if not inflight:
                    if self.stopping.is_set() or (drained and not claimed):
                        break
                    continue
                done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                self._record(session, [inflight.pop(f) for f in done], counts)
                drained = False  # recorded steps may have made the next ones due
            if claimed:
                self._release(list(claimed))  # stopping: leased, never started
        observability.gauge("outreach_scheduler_lag_seconds", self._lag)
        if counts:
            log.info("scheduler pass (%s): %s", self.owner, dict(counts))
        return counts

    def _sweep_stale_manual_sends(self) -> None:
        """At most once a minute: manual sends an API process died in the middle of."""
        now = self.rt.clock.now()
        if self._next_sweep is not None and now < self._next_sweep:
            return
        self._next_sweep = now + timedelta(minutes=1)
        with self.rt.session_factory() as session:
            resolved = sending.resolve_stale_manual(session, now)
            session.commit()
        if resolved:
            log.warning("%s manual sends left pending by a stopped process are now unknown",
                        resolved)

    def _tally(self, counts: Counter, outcomes: Counter) -> None:
        for outcome, n in outcomes.items():
            counts[outcome] += n
            observability.count("outreach_scheduler_steps_total", n, outcome=outcome)

    def _prepare(self, session, ids: list[int], counts: Counter) -> list[step_batches.Job]:
        """Reserve a chunk in one transaction; if it fails, step by step (one bad step
        must not hold the others back)."""
        if not ids:
            return []
        try:
            jobs, outcomes = step_batches.prepare_chunk(
                session, ids, self.owner, self.rt.clock.now(), self.lease,
                self.mailer.reply_domain)
        except Exception:
            session.rollback()
            if len(ids) > 1:
                log.warning("preparing %s steps together failed; one at a time", len(ids))
                return [job for i in ids for job in self._prepare(session, [i], counts)]
            # The lease stays: the enrollment is retried once it expires.
            log.exception("enrollment %s: step failed unexpectedly", ids[0])
            self._tally(counts, Counter(error=1))
            return []
        self._tally(counts, outcomes)
        if jobs:
            fault("reserved")
        return jobs

    def _hand_over(self, job: step_batches.Job) -> step_batches.Job:
        """In a pool thread: SendGrid only, no database."""
        job.result = sending.hand_over_mail(job.mail, self.mailer, job.email_id)
        return job

    def _record(self, session, jobs: list[step_batches.Job], counts: Counter,
                tries: int = 5) -> None:
        """Record answers in one transaction; on failure one by one, each retried (a
        deadlock victim); a step never recorded stays pending and is recovered unsent."""
        for attempt in range(tries if len(jobs) == 1 else 1):
            try:
                outcomes = step_batches.record_chunk(session, jobs, self.owner,
                                                     self.rt.clock.now())
                self._tally(counts, outcomes)
                return
            except Exception:
                session.rollback()
                if len(jobs) == 1:
                    log.warning("enrollment %s: recording step retry %s failed",
                                jobs[0].enrollment.id, attempt + 1, exc_info=True)
        if len(jobs) > 1:
            for job in jobs:
                self._record(session, [job], counts)
            return
        log.error("enrollment %s: step answered but could not be recorded",
                  jobs[0].enrollment.id)
        self._tally(counts, Counter(error=1))

    def safe_pass(self) -> None:
        """The APScheduler job: a failing pass is logged, the next one runs anyway."""
        try:
            self.run_pass()
        except Exception:
            log.exception("scheduler pass failed")

    def _claim(self, size: int) -> list[int]:
        with self.rt.session_factory() as session:
            now = self.rt.clock.now()
            rows = claims.claim_rows(session, self.owner, now, self.lease, size)
            session.commit()
        if rows:
            self._lag = max(self._lag, (now - rows[0][1]).total_seconds())
            # Set at every claim too: under steady load one pass can last for hours.
            observability.gauge("outreach_scheduler_lag_seconds", self._lag)
            fault("claimed")
        return [row[0] for row in rows]

    def _release(self, ids: list[int]) -> None:
        with self.rt.session_factory() as session:
            session.execute(update(Enrollment).where(
                Enrollment.id.in_(ids), Enrollment.lease_owner == self.owner)
                .values(lease_owner=None, lease_until=None))
            session.commit()


def send_reserved(session, enrollment, email, mailer, owner: str, now_fn,
                  tries: int = 5) -> str:
    """Dispatch a committed reservation and commit its outcome (API and scheduler alike).

    When SendGrid accepted but the record fails (PostgreSQL may pick us as a deadlock
    victim while cards are renumbered), the record is retried under the site lock; if
    it never lands, the row stays pending and recovery marks it unknown, never resent.
    """
    ids = (enrollment.id, email.id)
    # The identity map holds the site weakly: re-reading it could open a transaction that
    # stays open across the SendGrid call (on SQLite: the write lock, serialising every
    # sender). Read it now and end that transaction first.
    site = session.get(Site, enrollment.site_id)
    if session.in_transaction():
        session.commit()  # nothing to write
    try:
        outcome = steps.deliver(session, enrollment, email, mailer, owner, now_fn, site)
        session.commit()
        return outcome
    except steps.Unrecorded as unrecorded:
        session.rollback()
        message_id = unrecorded.message_id
    for attempt in range(tries):
        try:
            outcome = steps.record_accepted(session, *ids, message_id, owner, now_fn())
            session.commit()
            return outcome
        except DBAPIError:
            session.rollback()
            log.warning("enrollment %s: recording step retry %s failed", ids[0], attempt + 1)
    raise RuntimeError(f"enrollment {ids[0]}: accepted step could not be recorded")


def _interval(app) -> float:
    return max(0.05, float(app.config.get("SCHEDULER_INTERVAL") or 15))


class BackgroundHandle:
    """What start_background returns: shutdown() stops the pass and the thread."""

    def __init__(self, scheduler, runner: Scheduler):
        self.scheduler, self.runner = scheduler, runner

    def shutdown(self) -> None:
        self.runner.stopping.set()
        self.scheduler.shutdown(wait=True)


def _add_job(aps, runner: Scheduler, interval: float) -> None:
    aps.add_job(runner.safe_pass, "interval", seconds=interval, id=JOB_ID, max_instances=1,
                coalesce=True, misfire_grace_time=None, next_run_time=datetime.now(UTC))


def start_background(app) -> BackgroundHandle:
    """Run passes every SCHEDULER_INTERVAL seconds in a background thread of this process."""
    runner = Scheduler(app)
    aps = BackgroundScheduler(timezone=UTC)
    _add_job(aps, runner, _interval(app))
    aps.start()
    log.info("sequence scheduler %s started (every %ss)", runner.owner, _interval(app))
    return BackgroundHandle(aps, runner)


def run_blocking(app) -> None:
    """Run passes in the foreground until SIGTERM or SIGINT (`outreach scheduler`)."""
    runner = Scheduler(app)
    aps = BlockingScheduler(timezone=UTC)
    _add_job(aps, runner, _interval(app))

    def _stop(*_):
        runner.stopping.set()
        aps.shutdown(wait=False)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    log.info("sequence scheduler %s running (every %ss)", runner.owner, _interval(app))
    aps.start()
