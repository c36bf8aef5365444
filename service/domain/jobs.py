"""The shape of a job kind: scheduled work that each feature defines and the worker runs.

A kind is five functions and a lease:
  claim(session, owner, now, lease, n) -> [(id, due_at)]   lease due items, oldest first
  prepare(session, ids, owner, now, lease) -> (jobs, outcome counts)   committed before
  call(job) -> job                                          a pool thread (no session but
                                                            the link-check politeness turns)
  record(session, jobs, owner, now) -> outcome counts       committed after
  release(session, ids, owner)                              leases never worked on
A feature writes them (e.g. sending/scheduled_job.py) with a factory
`kind(runtime) -> JobKind` (`sweep(...)` for a kind that only tidies the database);
service/domain/registry.py lists the factories, and the worker
(service/worker/scheduler.py) owns the lease, transactions, the pool, retries and metrics.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

LEASE = timedelta(minutes=5)  # far above one outside call (SendGrid's timeout is 10 s)
# An outside call answered: its record is re-run this often when the database refuses it
# (a deadlock victim, a busy SQLite). Until it lands, a sent email stays pending and is
# recovered as unknown, never sent again.
RECORD_TRIES = 5


@dataclass(frozen=True, kw_only=True)
class JobKind:
    """One kind of scheduled work and the functions that do it."""

    name: str  # the APScheduler job id and the log label
    claim: Callable
    prepare: Callable
    call: Callable
    record: Callable
    release: Callable
    describe: Callable[[object], str]  # a job, for log lines
    # Pool threads of its own, in place of the process's OUTREACH_SCHEDULER_CONCURRENCY
    # (None: the process's); still at most 4 on SQLite.
    concurrency: int | None = None
    every: timedelta | None = None  # at least this long between two passes (None: each tick)
    # watch(owner, wake) -> a Watcher: run(stop) in a thread of its own listens for work
    # (IMAP IDLE) and calls wake() to run a pass now; it must end soon after stop is set.
    watch: Callable | None = None
    # Counter of outcomes (label `outcome`) and how late the oldest claimed item was;
    # by default outreach_<name>_total and outreach_<name>_lag_seconds.
    outcomes_metric: str = ""
    lag_gauge: str = ""

    def __post_init__(self):
        metric = "outreach_" + self.name.replace("-", "_")
        object.__setattr__(self, "outcomes_metric", self.outcomes_metric or metric + "_total")
        object.__setattr__(self, "lag_gauge", self.lag_gauge or metric + "_lag_seconds")


def no_call(job):
    """The call of a kind with nothing to do outside (its prepare did the work)."""
    return job


def record_nothing(_session, _jobs, _owner, _now) -> Counter:
    """The record of a kind with no outside answers to record."""
    return Counter()


def release_nothing(_session, _ids, _owner) -> None:
    """The release of a kind that leases nothing (its claim only reads)."""


def sweep(
    *, name: str, claim: Callable, prepare: Callable, describe: Callable, every: timedelta
) -> JobKind:
    """A kind whose prepare does all its work in the database, at most once `every`:
    its claim only reads (nothing leased), nothing goes outside, nothing is recorded."""
    return JobKind(
        name=name,
        claim=claim,
        prepare=prepare,
        call=no_call,
        record=record_nothing,
        release=release_nothing,
        describe=describe,
        every=every,
    )
