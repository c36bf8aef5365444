"""Shared benchmark plumbing: a fresh PostgreSQL database, bulk seeding, timing, RSS."""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
# The servers a benchmark starts read the sites it seeds: one key for all of them.
os.environ.setdefault("OUTREACH_SECRET_KEY", "bench passphrase")

from sqlalchemy import insert  # noqa: E402

from service.clock import SystemClock  # noqa: E402
from service.config import from_environment  # noqa: E402
from service.db import make_engine, make_session_factory  # noqa: E402
from service.domain import sites  # noqa: E402
from service.models import Opportunity, Template  # noqa: E402
from service.secret_key import secret_box_for  # noqa: E402
from tests.support.databases import create_database, drop_database  # noqa: E402
from tests.support.signed import SiteKey  # noqa: E402

STATUSES = ("new", "queued", "reached", "won")


def fresh_database(kind: str = "postgres") -> str:
    """A new migrated database (dropped by the caller with drop_database)."""
    return create_database(kind)


def new_site(url: str, name: str = "Bench site", daily_limit: int = 100_000) -> SiteKey:
    """Register a site as the CLI would; returns its key."""
    engine = make_engine(url)
    session = make_session_factory(engine)()
    try:
        site, key_id, secret = sites.create_site(
            session,
            secret_box_for(from_environment()),
            name,
            "https://bench.example",
            SystemClock().now(),
            daily_limit,
        )
        session.commit()
        return SiteKey(site.id, key_id, secret)
    finally:
        session.close()
        engine.dispose()


def seed_opportunities(session, site_id: int, count: int, now: datetime) -> list[int]:
    """`count` live cards spread over the four columns; returns their ids."""
    rows = []
    for i in range(count):
        status = STATUSES[i % 4]
        rows.append(
            {
                "site_id": site_id,
                "status": status,
                "position": i // 4,
                "source_url": f"https://blog{i}.example.org/posts/{i}/links-and-resources",
                "domain": f"blog{i}.example.org",
                "target_url": f"https://bench.example/p/{i % 50}",
                "anchor_text": f"anchor text {i}",
                "contact_email": f"editor{i}@blog{i}.example.org",
                "lost_link": i % 17 == 0,
                "notes": "Talked to the editor. " * (i % 5),
                "dedupe_key": f"{i:064x}"[-64:],
                "email_status": "delivered" if i % 3 else None,
                "emails_sent": i % 5,
                "last_emailed_at": now - timedelta(hours=i % 300),
                "created_at": now - timedelta(days=i % 90),
                "updated_at": now,
                "status_changed_at": now,
            }
        )
    session.execute(insert(Opportunity), rows)
    return list(
        session.scalars(
            Opportunity.__table__.select()
            .with_only_columns(Opportunity.id)
            .where(Opportunity.site_id == site_id)
            .order_by(Opportunity.id)
        )
    )


def seed_template(session, site_id: int, now: datetime) -> int:
    session.execute(
        insert(Template),
        [
            {
                "site_id": site_id,
                "name": "Bench",
                "subject": "About {{domain}}",
                "body": "Hello, about {{url}}: {{anchor_text}}",
                "created_at": now,
                "updated_at": now,
            }
        ],
    )
    return session.scalar(
        Template.__table__.select()
        .with_only_columns(Template.id)
        .where(Template.site_id == site_id)
    )


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile of a list of numbers."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def summary_ms(samples: list[float]) -> str:
    """p50 / p95 / p99 of second-valued samples, in milliseconds."""
    return (
        f"p50 {percentile(samples, 50) * 1000:7.1f} ms  p95 "
        f"{percentile(samples, 95) * 1000:7.1f} ms  p99 {percentile(samples, 99) * 1000:7.1f}"
        f" ms  mean {statistics.fmean(samples) * 1000:7.1f} ms  (n={len(samples)})"
    )


def timed(fn, repeat: int) -> list[float]:
    """Run fn `repeat` times; wall seconds of each run."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def server_ms(response) -> float:
    """The service's own time for one answer in ms, from its Server-Timing header."""
    return float(response.headers["Server-Timing"].split("dur=", 1)[1])


def rss_mb(pids: list[int]) -> list[float]:
    """Resident set size of each process, in MB."""
    import psutil

    return [psutil.Process(pid).memory_info().rss / 1e6 for pid in pids]


def machine_note() -> str:
    """CPU count and load, printed with every figure (shared machines skew results)."""
    load = os.getloadavg()
    return (
        f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} "
        f"{load[2]:.2f} at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


def verdict(value: float, target: float, higher_is_better: bool) -> str:
    ok = value >= target if higher_is_better else value <= target
    return "MET" if ok else "MISSED"


__all__ = [
    "drop_database",
    "fresh_database",
    "new_site",
    "seed_opportunities",
    "seed_template",
    "percentile",
    "summary_ms",
    "timed",
    "rss_mb",
    "server_ms",
    "machine_note",
    "verdict",
]
