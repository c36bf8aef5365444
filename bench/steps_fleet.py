"""Sequence steps at scale: 10,000 due steps, 2 `outreach scheduler` processes (PostgreSQL).

Extends bench/scheduler_throughput.py (one in-process pass, the sequences helper's) to the
deployment shape: separate scheduler processes racing over one database, SendGrid answering
after 50 ms. Counts duplicates two ways: email rows per (enrollment, step) in the database,
and messages per email id received by the fake SendGrid.
Bare limit: steps / (processes / latency), i.e. what sequential senders could do if the
database cost nothing. Targets: wall <= 60 s, 0 duplicates.
Run: .venv/bin/python -m bench.steps_fleet [--steps 10000] [--processes 2] [--latency 0.05]
                                           [--concurrency 32] [--cards-in new|reached]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.common import drop_database, fresh_database, machine_note, rss_mb, verdict
from service.db import make_engine
from tests.sequences import procs
from tests.support.fake_sendgrid import API_KEY, FakeSendGrid
from tests.support.processes import stop, wait_for


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument(
        "--concurrency",
        type=int,
        default=32,
        help="OUTREACH_SCHEDULER_CONCURRENCY of each process (the service's "
        "default is 8; docs/operations.md says when to raise it)",
    )
    parser.add_argument(
        "--cards-in",
        default="new",
        choices=("new", "reached"),
        help="'reached': no board move per send (isolates the scheduler)",
    )
    args = parser.parse_args()
    print(machine_note())
    url = fresh_database("postgres")
    fake = FakeSendGrid().start()
    fake.delay = args.latency
    engine = make_engine(url)
    tmp = Path(tempfile.mkdtemp(prefix="bench-steps-"))
    runners = []
    try:
        procs.arrange_due(engine, args.steps, steps=1, status=args.cards_in)
        env = procs.scheduler_env(
            url,
            fake.host,
            tmp,
            SENDGRID_API_KEY=API_KEY,
            OUTREACH_SCHEDULER_INTERVAL="0.5",
            OUTREACH_SCHEDULER_CONCURRENCY=args.concurrency,
        )
        started = time.perf_counter()
        runners = [
            procs.start_scheduler(env, tmp / f"scheduler{i}.log") for i in range(args.processes)
        ]
        wait_for(lambda: procs.unfinished(engine) == 0, args.timeout, every=0.5)
        wall = time.perf_counter() - started
        rss = rss_mb([p.pid for p in runners])
        rows = procs.ledger(engine)
        per_step = Counter((r[1], r[2]) for r in rows)
        got = Counter(
            m["request"]["personalizations"][0].get("custom_args", {}).get("outreach_email_id")
            for m in fake.messages
        )
        duplicates = sum(n - 1 for n in per_step.values()) + sum(n - 1 for n in got.values())
        report(args, wall, duplicates, len(fake.messages), rss)
        print(
            f"step emails by state: {dict(Counter(r[3] for r in rows))} "
            f"(anything but 'sent' is a step SendGrid may not have got)"
        )
    finally:
        for p in runners:
            stop(p)
        fake.stop()
        engine.dispose()
        drop_database(url)


def report(args, wall: float, duplicates: int, sent: int, rss: list[float]) -> None:
    floor = args.steps * args.latency / args.processes
    print(
        f"{args.steps} due steps (cards in {args.cards_in}), {args.processes} scheduler "
        f"processes ({args.concurrency} threads each), SendGrid latency "
        f"{args.latency * 1000:.0f} ms: {sent} messages in {wall:.1f} s "
        f"= {args.steps / wall:.0f} steps/s"
    )
    print(
        f"bare limit for sequential senders: {floor:.0f} s "
        f"({args.processes / args.latency:.0f} steps/s); with the pools: "
        f"{floor / args.concurrency:.1f} s"
    )
    print(f"wall {wall:.1f} s vs target <= 60 s: {verdict(wall, 60, False)}")
    print(f"duplicates {duplicates} vs target 0: {verdict(duplicates, 0, False)}")
    print(f"scheduler RSS: {', '.join(f'{r:.0f} MB' for r in rss)}")


if __name__ == "__main__":
    main()
