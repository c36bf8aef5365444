"""Profile one 500-event webhook batch in-process on PostgreSQL (no HTTP, no signature).

Run: .venv/bin/python -m bench.webhooks_profile [--repeat 5] [--pyinstrument]
Prints the wall time of each batch (fresh events each time) and, with --pyinstrument,
the profile of the last one.
"""

from __future__ import annotations

import argparse
import time

from bench import common
from bench.webhooks import events_for, seed
from service.clock import SystemClock
from service.db import make_engine, make_session_factory
from service.domain.tracking import webhook_batch


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pyinstrument", action="store_true")
    parser.add_argument(
        "--kind",
        choices=("delivered", "open", "click"),
        default="open",
        help="seeded emails are delivered already: opens and clicks also "
        "exercise the email write-back",
    )
    args = parser.parse_args()
    print(common.machine_note())
    url = common.fresh_database("postgres")
    try:
        key = common.new_site(url)
        email_ids = seed(url, key.site_id)
        skip = len(email_ids) * ("delivered", "open", "click").index(args.kind)
        all_events = events_for(key.site_id, email_ids, skip + 500 * (args.repeat + 1))[skip:]
        engine = make_engine(url)
        factory = make_session_factory(engine)
        profiler = None
        for n in range(args.repeat + 1):
            batch = all_events[n * 500 : (n + 1) * 500]
            if args.pyinstrument and n == args.repeat:
                from pyinstrument import Profiler

                profiler = Profiler(interval=0.0005)
                profiler.start()
            session = factory()
            started = time.perf_counter()
            counts = webhook_batch.ingest(session, batch, SystemClock().now())
            session.commit()
            elapsed = time.perf_counter() - started
            session.close()
            if profiler is not None:
                profiler.stop()
            print(f"batch {n}: {elapsed * 1000:.0f} ms {counts}")
        if profiler is not None:
            print(profiler.output_text(unicode=False, color=False, show_all=False))
        engine.dispose()
    finally:
        common.drop_database(url)


if __name__ == "__main__":
    main()
