"""Sequence steps at scale: 10,000 due steps, 2 `outreach scheduler` processes (PostgreSQL).

Extends bench/scheduler_throughput.py (one in-process pass, the sequences helper's) to the
deployment shape: separate scheduler processes racing over one database, SendGrid answering
after 50 ms. Counts duplicates two ways: email rows per (enrollment, step) in the database,
and messages per email id received by the fake SendGrid.
Floor: what the pools allow if the database cost nothing: steps x latency / (processes x
threads each), 3.9 s at the service's default 64 threads (`--concurrency`). Targets
(issue 28): wall <= 45 s with the default thread count, 0 duplicates, scheduler RSS
<= 120 MB.
Run: .venv/bin/python -m bench.steps_fleet [--steps 10000] [--processes 2] [--latency 0.05]
                                           [--concurrency 64] [--cards-in new|reached]
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from pathlib import Path

from bench import common
from service.db import make_engine
from tests.sequences import procs
from tests.support.fake_sendgrid import API_KEY, FakeSendGrid
from tests.support.processes import stop, wait_for

# The target: 10,000 steps in 45 s; a smaller run is held to the same rate.
TARGET_S, TARGET_STEPS = 45, 10_000
QUICK = {"steps": 500}
HELP = {
    "concurrency": "OUTREACH_SCHEDULER_CONCURRENCY of each process (0: the service's "
    "default, 64; docs/operations.md says what it trades)",
    "cards_in": "new, or reached: no board move per send (isolates the scheduler)",
}


def service_default() -> int:
    """The service's own pool size: what `outreach scheduler` runs with unless told."""
    try:
        from service.config import SCHEDULER_CONCURRENCY
    except ImportError:  # a base older than issue 28's default of 32 (bench --alternate)
        return 8
    return SCHEDULER_CONCURRENCY


def measure(
    result,
    steps: int = 10_000,
    processes: int = 2,
    latency: float = 0.05,
    timeout: float = 900.0,
    concurrency: int = 0,
    cards_in: str = "new",
):
    """`steps` due steps sent by `processes` scheduler processes; wall time, duplicates."""
    assert cards_in in ("new", "reached"), cards_in
    concurrency = concurrency or service_default()
    url = common.fresh_database("postgres")
    fake = FakeSendGrid().start()
    fake.delay = latency
    engine = make_engine(url)
    tmp = Path(tempfile.mkdtemp(prefix="bench-steps-"))
    runners = []
    try:
        procs.arrange_due(engine, steps, steps=1, status=cards_in)
        env = procs.scheduler_env(
            url,
            fake.host,
            tmp,
            SENDGRID_API_KEY=API_KEY,
            OUTREACH_SCHEDULER_INTERVAL="0.5",
            OUTREACH_SCHEDULER_CONCURRENCY=concurrency,
        )
        started = time.perf_counter()
        runners = [procs.start_scheduler(env, tmp / f"scheduler{i}.log") for i in range(processes)]
        wait_for(lambda: procs.unfinished(engine) == 0, timeout, every=0.5)
        wall = time.perf_counter() - started
        cpu = common.cpu_seconds([p.pid for p in runners])
        rss = result.rss("schedulers after the benchmark", common.rss_mb([p.pid for p in runners]))
        rows = procs.ledger(engine)
        duplicates = count_duplicates(rows, fake.messages)
        shape = dict(steps=steps, processes=processes, latency=latency, concurrency=concurrency)
        report(result, shape, cards_in, wall, duplicates, len(fake.messages), rss)
        result.say(f"scheduler CPU {cpu:.1f} s = {cpu / steps * 1000:.2f} ms a step")
        result.say(
            f"step emails by state: {dict(Counter(r[3] for r in rows))} "
            f"(anything but 'sent' is a step SendGrid may not have got)"
        )
    finally:
        for p in runners:
            stop(p)
        fake.stop()
        engine.dispose()
        common.drop_database(url)
    return result


def count_duplicates(rows, messages) -> int:
    """Extra email rows per (enrollment, step), plus extra messages per email id at SendGrid."""
    per_step = Counter((r[1], r[2]) for r in rows)
    got = Counter(
        m["request"]["personalizations"][0].get("custom_args", {}).get("outreach_email_id")
        for m in messages
    )
    return sum(n - 1 for n in per_step.values()) + sum(n - 1 for n in got.values())


def report(result, shape: dict, cards_in: str, wall: float, duplicates: int, sent, rss) -> None:
    steps, processes, latency = shape["steps"], shape["processes"], shape["latency"]
    floor = steps * latency / processes
    pooled, target = floor / shape["concurrency"], TARGET_S * steps / TARGET_STEPS
    result.say(
        f"{steps} due steps (cards in {cards_in}), {processes} scheduler "
        f"processes ({shape['concurrency']} threads each), SendGrid latency "
        f"{latency * 1000:.0f} ms: {sent} messages in {wall:.1f} s = {steps / wall:.0f} steps/s"
    )
    result.say(
        f"bare limit for sequential senders: {floor:.0f} s "
        f"({processes / latency:.0f} steps/s); with the pools: {pooled:.1f} s"
    )
    result.say(
        f"wall {wall:.1f} s vs target <= {target:g} s: {common.verdict(wall, target, False)}"
    )
    result.say(f"duplicates {duplicates} vs target 0: {common.verdict(duplicates, 0, False)}")
    result.say(f"wall {wall:.1f} s = {wall / pooled:.2f}x the floor of the pools ({pooled:.1f} s)")
    result.say(
        f"scheduler RSS: {', '.join(f'{r:.0f} MB' for r in rss)} vs target "
        f"<= {common.WORKER_RSS_MB} MB: {common.verdict(max(rss), common.WORKER_RSS_MB, False)}"
    )
    result.figure(
        "all due steps sent, wall", wall, "s", floor=pooled, floor_label="pools", target=target
    )
    result.figure("duplicates", duplicates, "", target=0)
    result.figure("scheduler RSS, max", max(rss), "MB", target=common.WORKER_RSS_MB)


if __name__ == "__main__":
    common.main_for("steps_fleet", measure, __doc__, **HELP)
