"""Real scheduler processes: racing over hundreds of due steps, and SIGKILL mid-pass."""

from __future__ import annotations

import os
import random
import re
import time

import pytest

from service.config import SCHEDULER_CONCURRENCY
from tests.sequences import procs
from tests.support.databases import wipe
from tests.support.processes import stop, wait_for

STEPS = 2


@pytest.fixture
def arena(engine, database_url, sendgrid, tmp_path):
    """Helpers bound to this test's database and the fake SendGrid; processes stopped after."""
    started = []

    class Arena:
        def arrange(self, count):
            procs.arrange_due(engine, count, STEPS)

        def spawn(self, **env):
            proc = procs.start_scheduler(
                procs.scheduler_env(database_url, sendgrid.host, tmp_path, **env),
                tmp_path / f"scheduler-{len(started)}.log",
            )
            started.append(proc)
            return proc

        def finish(self, timeout=120):
            wait_for(lambda: procs.unfinished(engine) == 0, timeout)

        def running(self, kind):
            """How many spawned processes have logged that they run this job kind."""
            return procs.running(tmp_path.glob("scheduler-*.log"), kind)

        def sent_per_process(self):
            """Steps each process reports having sent (from its pass log lines)."""
            return [
                sum(int(n) for n in re.findall(r"'sent': (\d+)", p.read_text()))
                for p in sorted(tmp_path.glob("scheduler-*.log"))
            ]

        def logs(self):
            return "\n".join(
                p.read_text(errors="replace")[-3000:] for p in tmp_path.glob("scheduler-*.log")
            )

    yield Arena()
    for proc in started:
        stop(proc)
    wipe(engine)


def race(arena, engine, sendgrid, count: int, racers: int) -> None:
    """`racers` scheduler processes over `count` enrollments of STEPS due steps each.

    The steps fall due once every process runs its sequence-steps job: a process that
    started first would otherwise be done before a slower one had loaded.
    """
    racers = [arena.spawn(OUTREACH_LOG_LEVEL="INFO") for _ in range(racers)]
    wait_for(lambda: arena.running("sequence-steps") == len(racers), 60)
    arena.arrange(count)
    try:
        arena.finish(timeout=60 + count)
    except AssertionError:
        raise AssertionError(arena.logs()) from None
    assert all(p.poll() is None for p in racers), "a scheduler process died"
    for proc in racers:  # stopped (in-flight steps finished): a late duplicate shows now
        stop(proc)
        assert proc.returncode == 0, arena.logs()
    states = procs.assert_exactly_once(engine, sendgrid, count, STEPS)
    assert states == {"sent": count * STEPS}
    assert len(sendgrid.messages) == count * STEPS
    shares = arena.sent_per_process()
    assert sum(shares) == count * STEPS and sum(1 for n in shares if n) >= 2, shares


def test_three_processes_race_and_send_every_step_exactly_once(arena, engine, sendgrid):
    race(arena, engine, sendgrid, int(os.environ.get("RACE_ENROLLMENTS", "200")), racers=3)


@pytest.mark.slow
def test_four_processes_race_over_two_thousand_steps(arena, engine, sendgrid):
    race(arena, engine, sendgrid, 1000, racers=4)


@pytest.mark.parametrize(
    "point,nth,sendgrid_has_it",
    [
        ("claimed", 1, False),  # leased, nothing reserved yet: the step is sent later, once
        # Row committed, SendGrid never called: unknown, not resent. The second chunk: the
        # first fills the whole pool, so a run of 40 enrollments has only a few chunks.
        ("reserved", 2, False),
        ("accepted", 7, True),  # SendGrid took it, outcome never recorded: unknown, not resent
    ],
)
def test_sigkill_inside_a_pass_then_restart(arena, engine, sendgrid, point, nth, sendgrid_has_it):
    """The pool sends several steps at once, so the kill may catch other steps mid-send too:
    each of those is unknown (never resent), and the faulted one is among them."""
    count = 40
    arena.arrange(count)
    victim = arena.spawn(OUTREACH_SCHEDULER_FAULT=f"{point}:{nth}")
    wait_for(lambda: victim.poll() is not None, 60)
    assert victim.returncode == -9, arena.logs()
    before = procs.ledger(engine)
    procs.expire_leases(engine)  # time passing: the dead process's leases run out
    arena.spawn()
    arena.finish()
    states = procs.assert_exactly_once(engine, sendgrid, count, STEPS)
    if point == "claimed":  # killed at its first claim: nothing was in flight
        assert states == {"sent": count * STEPS}
        return
    # At most the pool's steps were in flight (the default pool: the victim sets none).
    assert 1 <= states["unknown"] <= SCHEDULER_CONCURRENCY
    assert states["sent"] + states["unknown"] == count * STEPS
    unknown = {r[0] for r in procs.ledger(engine) if r[3] == "unknown"}
    pending_at_kill = {r[0] for r in before if r[3] == "pending"}
    assert unknown == pending_at_kill  # exactly the rows the killed process left in flight
    at_sendgrid = {int(a["outreach_email_id"]) for a in sendgrid.custom_args()}
    if sendgrid_has_it:
        assert unknown & at_sendgrid  # the faulted step reached SendGrid, never again
    else:
        assert unknown - at_sendgrid  # the faulted step never reached SendGrid
    assert len(sendgrid.messages) == states["sent"] + len(unknown & at_sendgrid)


def test_random_sigkills_during_a_busy_run(arena, engine, sendgrid):
    """Kill a racer at random moments, restart it; no step is ever sent twice or lost."""
    count = 150
    arena.arrange(count)
    rng = random.Random(7)
    keeper = arena.spawn(OUTREACH_SCHEDULER_LEASE=2)
    for _ in range(4):
        victim = arena.spawn(OUTREACH_SCHEDULER_LEASE=2)
        time.sleep(rng.uniform(0.5, 1.5))
        victim.kill()
        victim.wait()
    arena.finish(timeout=180)
    assert keeper.poll() is None
    states = procs.assert_exactly_once(engine, sendgrid, count, STEPS)
    assert states["sent"] + states["unknown"] == count * STEPS
