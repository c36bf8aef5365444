"""The scheduler process: passes that work every due job exactly once (APScheduler).

A pass claims due items of a job kind (leases; see service/domain/jobs.py) and works them
in chunks:
prepare and COMMIT, hand them to the pool for the outside call (SendGrid), record the
answers and commit. `outreach serve` runs it in a background thread, `outreach scheduler`
alone; gunicorn workers never do. Several processes or hosts may run it at once on
PostgreSQL.
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
from contextlib import closing
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from service import observability
from service.config import SCHEDULER_CONCURRENCY
from service.db.engine import is_sqlite
from service.db.unit_of_work import UnitOfWork
from service.domain import job_kinds
from service.domain.jobs import LEASE, RECORD_TRIES

log = logging.getLogger("outreach.scheduler")
FAULT_ENV = "OUTREACH_SCHEDULER_FAULT"  # test-only fault injection: "<point>:<n>"
_fault_hits: Counter = Counter()
_fault_lock = threading.Lock()  # pool threads count their passes through a point exactly
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


def default_owner() -> str:
    """A lease owner name unique to this process."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def concurrency_for(app, engine, wanted: int | None = None) -> int:
    """Steps one process has with SendGrid at once: OUTREACH_SCHEDULER_CONCURRENCY (64), or
    `wanted`, a job kind's own (link checks: OUTREACH_LINKCHECK_CONCURRENCY).

    The threads only talk to SendGrid (the database work is one thread's). On SQLite,
    a single-host install, at most SQLITE_MAX_THREADS: fewer steps left `unknown` if the
    process dies, and its one writer at a time could not record more anyway.
    """
    wanted = int(
        wanted
        or app.config.get("SCHEDULER_CONCURRENCY")
        or os.environ.get("OUTREACH_SCHEDULER_CONCURRENCY")
        or SCHEDULER_CONCURRENCY  # an app configured by hand, without the key
    )
    wanted = max(1, wanted)
    return min(wanted, SQLITE_MAX_THREADS) if is_sqlite(engine) else wanted


class Scheduler:
    """One process's worker for a job kind: run_pass() works everything that is due now.

    One thread does the database work, in chunks: a transaction prepares as many claimed
    items as the pool has free threads, the pool of `concurrency` threads makes the
    outside calls (plain data, no session), and a transaction records whatever answered.
    The lease makes each item this process's alone; the site lock (never held across an
    outside call) serialises what must be serialised across processes.
    """

    def __init__(
        self,
        app,
        owner: str | None = None,
        batch: int | None = None,
        concurrency: int | None = None,
        *,
        kind: str,
    ):
        self.rt = app.extensions["outreach"]
        self.owner = owner or default_owner()
        self.kind = job_kinds.job_kinds(self.rt)[kind]
        self.concurrency = concurrency or concurrency_for(
            app, self.rt.engine, self.kind.concurrency
        )
        # Claim two pools' worth: the next items are leased while the pool is busy.
        self.batch = batch or max(20, 2 * self.concurrency)
        self.lease = lease_of(app)  # how long a claim keeps its items this process's
        self.stopping = threading.Event()
        self.again = threading.Event()  # a watcher saw new work while a pass runs
        self.watcher: threading.Thread | None = None  # the kind's watch thread, if any
        self._lag = 0.0  # seconds the oldest item claimed in this pass was overdue

    def run_pass(self) -> Counter:
        """Claim and work due items until none is due (refilling the pool as it drains)."""
        counts: Counter = Counter()
        self._lag = 0.0
        with (
            ThreadPoolExecutor(self.concurrency, thread_name_prefix="outreach-job") as pool,
            closing(UnitOfWork.open(self.rt.session_factory)) as uow,
        ):
            claimed, inflight, drained = deque(), {}, False
            while True:
                if self.again.is_set():
                    self.again.clear()
                    drained = False
                if not self.stopping.is_set() and len(inflight) < self.concurrency:
                    if not claimed and not drained:
                        claimed.extend(self._claim(self.batch))
                        drained = not claimed
                    # Prepare no more than the pool calls at once: a crash leaves at most
                    # `concurrency` items unknown, none of them merely queued.
                    room = min(len(claimed), self.concurrency - len(inflight))
                    for job in self._prepare(uow, [claimed.popleft() for _ in range(room)], counts):
                        inflight[pool.submit(self._call, job)] = job
                if not inflight:
                    if self.stopping.is_set() or (drained and not claimed):
                        break
                    continue
                done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                self._record(uow, [inflight.pop(f) for f in done], counts)
                drained = False  # recorded items may have made the next ones due
            if claimed:
                self._release(list(claimed))  # stopping: leased, never started
        observability.gauge(self.kind.lag_gauge, self._lag)
        if counts:
            log.info("%s pass (%s): %s", self.kind.name, self.owner, dict(counts))
        return counts

    def _tally(self, counts: Counter, outcomes: Counter) -> None:
        for outcome, n in outcomes.items():
            counts[outcome] += n
            observability.count(self.kind.outcomes_metric, n, outcome=outcome)

    def _prepare(self, uow: UnitOfWork, ids: list[int], counts: Counter) -> list:
        """Prepare a chunk in one transaction; if it fails, item by item (one bad item
        must not hold the others back)."""
        if not ids:
            return []
        try:
            prepared, outcomes = self.kind.prepare(
                uow.session, ids, self.owner, self.rt.clock.now(), self.lease
            )
            uow.commit()  # every reservation is on record before the outside call
        except Exception:
            uow.rollback()
            if len(ids) > 1:
                log.warning("preparing %s jobs together failed; one at a time", len(ids))
                return [job for i in ids for job in self._prepare(uow, [i], counts)]
            # The lease stays: the item is retried once it expires.
            log.exception("%s %s: job failed unexpectedly", self.kind.name, ids[0])
            self._tally(counts, Counter(error=1))
            return []
        self._tally(counts, outcomes)
        if prepared:
            fault("reserved")
        return prepared

    def _call(self, job):
        """In a pool thread: the outside call only, no database."""
        job = self.kind.call(job)
        if getattr(job.result, "accepted", None) is not None:
            fault("accepted")  # SendGrid took it; we die before recording it
        fault("called")  # any kind: the outside call is done, its answer not recorded
        return job

    def _record(self, uow: UnitOfWork, done: list, counts: Counter) -> None:
        """Record answers in one transaction; on failure one by one, each re-run (a
        deadlock victim); an item never recorded is recovered by the next claim."""
        tries = RECORD_TRIES if len(done) == 1 else 1
        try:
            self._tally(
                counts,
                uow.retry(
                    lambda: self.kind.record(uow.session, done, self.owner, self.rt.clock.now()),
                    tries,
                    errors=Exception,
                ),
            )
            return
        except Exception:
            log.warning(
                "%s: recording failed", ", ".join(map(self.kind.describe, done)), exc_info=True
            )
        if len(done) > 1:
            for job in done:
                self._record(uow, [job], counts)
            return
        log.error("%s: answered but could not be recorded", self.kind.describe(done[0]))
        self._tally(counts, Counter(error=1))

    def safe_pass(self) -> None:
        """The APScheduler job: a failing pass is logged, the next one runs anyway."""
        try:
            self.run_pass()
        except Exception:
            log.exception("%s pass failed", self.kind.name)

    def _claim(self, size: int) -> list[int]:
        with closing(UnitOfWork.open(self.rt.session_factory)) as uow:
            now = self.rt.clock.now()
            rows = self.kind.claim(uow.session, self.owner, now, self.lease, size)
            uow.commit()
        if rows:
            self._lag = max(self._lag, (now - rows[0][1]).total_seconds())
            # Set at every claim too: under steady load one pass can last for hours.
            observability.gauge(self.kind.lag_gauge, self._lag)
            fault("claimed")
        return [row[0] for row in rows]

    def _release(self, ids: list[int]) -> None:
        with closing(UnitOfWork.open(self.rt.session_factory)) as uow:
            self.kind.release(uow.session, ids, self.owner)
            uow.commit()


def lease_of(app) -> timedelta:
    """How long a claim keeps its items: OUTREACH_SCHEDULER_LEASE, else jobs.LEASE."""
    return timedelta(
        seconds=float(
            app.config.get("SCHEDULER_LEASE")
            or os.environ.get("OUTREACH_SCHEDULER_LEASE")
            or LEASE.total_seconds()
        )
    )


def _interval(app, kind) -> float:
    seconds = max(0.05, float(app.config.get("SCHEDULER_INTERVAL") or 15))
    return max(seconds, kind.every.total_seconds()) if kind.every else seconds


class BackgroundHandle:
    """What start_background returns: shutdown() stops the passes and the thread."""

    def __init__(self, scheduler, runners: list[Scheduler]):
        self.scheduler, self.runners = scheduler, runners

    def shutdown(self) -> None:
        for runner in self.runners:
            runner.stopping.set()
        self.scheduler.shutdown(wait=True)
        _join_watchers(self.runners)


def _start_watcher(aps, runner: Scheduler) -> None:
    """A kind that listens for work (IMAP IDLE) gets a thread of its own for it, never a
    pool thread; what it hears runs a pass at once. It ends when the runner stops."""

    def wake() -> None:
        runner.again.set()  # a pass under way claims again before it ends
        try:
            aps.modify_job(runner.kind.name, next_run_time=datetime.now(UTC))
        except Exception:  # shutting down: nothing left to wake
            log.debug("%s: wake ignored", runner.kind.name, exc_info=True)

    watcher = runner.kind.watch(runner.owner, wake)
    runner.watcher = threading.Thread(
        target=watcher.run, args=(runner.stopping,), name=f"{runner.kind.name}-watch"
    )
    runner.watcher.daemon = True
    runner.watcher.start()


def _join_watchers(runners: list[Scheduler], timeout: float = 15.0) -> None:
    """Let the watchers end their waits and give their leases back (bounded)."""
    for runner in runners:
        if runner.watcher is not None:
            runner.watcher.join(timeout)


def _add_jobs(aps, app) -> list[Scheduler]:
    """One runner and one APScheduler job per job kind (job_kinds.JOB_KINDS)."""
    owner = default_owner()
    names = job_kinds.job_kinds(app.extensions["outreach"])
    runners = [Scheduler(app, owner=owner, kind=name) for name in names]
    for runner in runners:
        interval = _interval(app, runner.kind)
        aps.add_job(
            runner.safe_pass,
            "interval",
            seconds=interval,
            id=runner.kind.name,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=datetime.now(UTC),
        )
        # One line per kind: "<kind> every" is what a watcher of the log waits for.
        log.info("scheduler %s: %s every %ss", owner, runner.kind.name, interval)
        if runner.kind.watch is not None:
            _start_watcher(aps, runner)
    return runners


def start_background(app) -> BackgroundHandle:
    """Run passes every SCHEDULER_INTERVAL seconds in a background thread of this process."""
    aps = BackgroundScheduler(timezone=UTC)
    runners = _add_jobs(aps, app)
    aps.start()
    return BackgroundHandle(aps, runners)


def _shut_down(aps) -> None:
    """Stop the scheduler once (a second SIGTERM or SIGINT finds it stopped already)."""
    try:
        aps.shutdown(wait=False)
    except SchedulerNotRunningError:
        pass


def run_blocking(app) -> None:
    """Run passes in the foreground until SIGTERM or SIGINT (`outreach scheduler`)."""
    aps = BlockingScheduler(timezone=UTC)
    runners = _add_jobs(aps, app)

    def _stop(*_):
        for runner in runners:
            runner.stopping.set()
        # Not from the handler itself: a signal lands between two lines of the scheduler's
        # own loop, which holds its job-store lock (an RLock, so this thread takes it
        # again), and the loop then found its jobs gone and died with exit code 1. From
        # another thread, shutdown waits for the loop's turn to end.
        threading.Thread(target=_shut_down, args=(aps,), name="scheduler-stop").start()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    aps.start()
    _join_watchers(runners)
