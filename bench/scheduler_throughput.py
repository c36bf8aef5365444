"""Steps per second one scheduler process sends through a local SendGrid stand-in.

Usage: .venv/bin/python bench/scheduler_throughput.py [--backend sqlite|postgres] [--n 500]
           [--cards-in new|reached] [--latency 0.05] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from service.app import create_app  # noqa: E402
from service.db import make_engine  # noqa: E402
from service.worker.scheduler import Scheduler  # noqa: E402
from tests.sequences import procs  # noqa: E402
from tests.support.databases import create_database, drop_database  # noqa: E402
from tests.support.fake_sendgrid import API_KEY, FakeSendGrid  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", default="sqlite", choices=("sqlite", "postgres"))
    parser.add_argument("--n", type=int, default=500, help="enrollments (1 step each)")
    parser.add_argument(
        "--cards-in",
        default="new",
        choices=("new", "reached"),
        help="'reached' skips the card move, to time the scheduler alone",
    )
    parser.add_argument("--latency", type=float, default=0.0, help="SendGrid answer delay (s)")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=None,
        help="pool threads (default: OUTREACH_SCHEDULER_CONCURRENCY or 32)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    url = create_database(args.backend)
    fake = FakeSendGrid().start()
    fake.delay = args.latency
    try:
        engine = make_engine(url)
        procs.arrange_due(engine, args.n, steps=1, status=args.cards_in)
        app = create_app(
            {
                "DATABASE_URL": url,
                "ENGINE": engine,
                "SENDGRID_API_KEY": API_KEY,
                "SENDGRID_API_HOST": fake.host,
                "PUBLIC_URL": "https://outreach.example",  # every send needs its unsubscribe link
                "INSTANCE_PATH": tempfile.mkdtemp(prefix="bench-"),
            }
        )
        runner = Scheduler(app, owner="bench", concurrency=args.concurrency, kind="sequence-steps")
        started = time.perf_counter()
        counts = runner.run_pass()
        elapsed = time.perf_counter() - started
        assert counts["sent"] == args.n == len(fake.messages), (counts, len(fake.messages))
        print(
            f"{args.backend}, cards in {args.cards_in}, latency {args.latency * 1000:.0f} ms,"
            f" {runner.concurrency} threads: {args.n} steps in {elapsed:.2f}s"
            f" = {args.n / elapsed:.1f} steps/s"
        )
        engine.dispose()
    finally:
        fake.stop()
        drop_database(url)


if __name__ == "__main__":
    main()
