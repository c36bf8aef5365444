"""One scheduler process sends claimed steps concurrently, and exactly once still holds."""

from __future__ import annotations

import time

from sqlalchemy import select

from service import observability
from service.config import SCHEDULER_CONCURRENCY
from service.db import make_session_factory
from service.models import Enrollment
from service.worker.scheduler import SQLITE_MAX_THREADS, Scheduler
from tests.sequences import procs
from tests.support.processes import run_threads

STEPS = "sequence-steps"

LATENCY = 0.3
STEPS_DUE = SCHEDULER_CONCURRENCY + 8  # more than the pool holds at once


def _sample(name: str, **labels) -> float:
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(observability.exposition().decode()):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return 0.0


def _due(engine) -> list:
    with make_session_factory(engine)() as s:
        return list(s.execute(select(Enrollment.id, Enrollment.next_step_at)))


def test_one_process_sends_steps_concurrently(app, engine, clock, sendgrid):
    procs.arrange_due(engine, STEPS_DUE, steps=1, status="reached")
    clock.advance(minutes=1)
    sendgrid.delay = LATENCY
    runner = Scheduler(app, owner="pool", kind=STEPS)
    expected = SQLITE_MAX_THREADS if engine.dialect.name == "sqlite" else SCHEDULER_CONCURRENCY
    assert runner.concurrency == expected
    sendgrid.gather = expected  # SendGrid answers once `expected` steps wait on it
    sent_before = _sample("outreach_scheduler_steps_total", outcome="sent")
    oldest = min(r[1] for r in _due(engine))
    started = time.perf_counter()
    counts = runner.run_pass()
    elapsed = time.perf_counter() - started
    assert counts == {"sent": STEPS_DUE}
    print(f"\n{STEPS_DUE} steps sent in {elapsed:.2f} s")  # one at a time: 0.3 s each
    # Every sending thread was with SendGrid at once: concurrency proven without a clock
    # (a sequential scheduler would hold one request, time out the gather, and peak at 1).
    assert sendgrid.peak == expected, "SendGrid never saw every thread's step at once"
    procs.assert_exactly_once(engine, sendgrid, STEPS_DUE, 1)
    assert _sample("outreach_scheduler_steps_total", outcome="sent") - sent_before == STEPS_DUE
    # The oldest claimed step was due about a minute before the pass (frozen clock).
    lag = (clock.now() - oldest).total_seconds()
    assert 30 < lag and abs(_sample("outreach_scheduler_lag_seconds") - lag) < 0.001


def test_concurrency_one_still_works(app, engine, clock, sendgrid):
    procs.arrange_due(engine, 3, steps=2)
    clock.advance(minutes=1)
    runner = Scheduler(app, owner="single", concurrency=1, kind=STEPS)
    assert runner.run_pass() == {"sent": 6}
    assert sendgrid.peak == 1
    procs.assert_exactly_once(engine, sendgrid, 3, 2)


def test_two_pooled_schedulers_racing_send_each_step_once(app, engine, clock, sendgrid):
    """Two owners in one process, each with its own pool, over 60 x 2 steps (delay 0)."""
    procs.arrange_due(engine, 60, steps=2)
    clock.advance(minutes=1)
    sendgrid.delay = 0.02
    runners = [Scheduler(app, owner=f"racer-{i}", kind=STEPS) for i in range(2)]
    results = [None, None]

    def run(index):
        results[index] = runners[index].run_pass()

    run_threads(run, [(0,), (1,)])
    assert sum(r["sent"] for r in results) == 120, results
    assert sum(r["error"] for r in results) == 0, results
    assert procs.assert_exactly_once(engine, sendgrid, 60, 2) == {"sent": 120}
    assert len(sendgrid.messages) == 120


def test_stopping_releases_claimed_steps_not_yet_started(app, engine, clock, sendgrid):
    procs.arrange_due(engine, 12, steps=1, status="reached")
    clock.advance(minutes=1)
    sendgrid.delay = 0.3
    runner = Scheduler(app, owner="stopper", concurrency=2, batch=12, kind=STEPS)
    sendgrid.on_accept = lambda _message: runner.stopping.set()  # stop once sending began
    counts = runner.run_pass()
    assert 1 <= counts["sent"] <= 4, counts  # the steps in hand finish; the rest wait
    assert procs.unfinished(engine) == 12 - counts["sent"]
    runner.stopping.clear()
    sendgrid.on_accept = None
    assert runner.run_pass()["sent"] == 12 - counts["sent"]  # released, not leased away
    procs.assert_exactly_once(engine, sendgrid, 12, 1)


def test_one_failing_step_does_not_hold_back_its_chunk(app, engine, clock, sendgrid, monkeypatch):
    """A step whose preparation raises fails alone: its chunk is redone step by step."""
    from service.domain.sequences import prepare

    procs.arrange_due(engine, 6, steps=1, status="reached")
    clock.advance(minutes=1)
    victim = min(row[0] for row in _due(engine))
    decide = prepare.decide

    def poisoned(session, enrollment, now):
        if enrollment.id == victim:
            raise RuntimeError("poisoned step")
        return decide(session, enrollment, now)

    monkeypatch.setattr(prepare, "decide", poisoned)
    assert Scheduler(app, owner="poison", kind=STEPS).run_pass() == {"sent": 5, "error": 1}
    assert len(sendgrid.messages) == 5
    with make_session_factory(engine)() as s:
        left = s.get(Enrollment, victim)
        # Untouched and still leased: it is tried again once the lease runs out.
        assert (left.status, left.current_step, left.lease_owner) == ("active", 0, "poison")


def test_chunk_whose_record_fails_is_recorded_step_by_step(
    app, engine, clock, sendgrid, monkeypatch
):
    """A failed record (say, a deadlock victim) is retried per step; each lands once."""
    from sqlalchemy.exc import OperationalError

    from service.domain.sequences import record

    procs.arrange_due(engine, 4, steps=1, status="new")
    clock.advance(minutes=1)
    finish_all, calls = record.finish_all, []

    def flaky(session, jobs, *args, **kwargs):
        calls.append(len(jobs))
        if len(calls) == 1:
            raise OperationalError("UPDATE", {}, RuntimeError("deadlock detected"))
        return finish_all(session, jobs, *args, **kwargs)

    monkeypatch.setattr(record, "finish_all", flaky)
    runner = Scheduler(app, owner="flaky", concurrency=4, kind=STEPS)
    assert runner.run_pass() == {"sent": 4}
    # Chunks of the steps as they finished: the failed one's steps again one by one, and
    # every step recorded once after it.
    assert sum(calls[1:]) == 4 and calls[1:].count(1) >= calls[0], calls
    assert procs.assert_exactly_once(engine, sendgrid, 4, 1) == {"sent": 4}
