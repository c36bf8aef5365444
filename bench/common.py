"""Shared benchmark plumbing: a fresh PostgreSQL database, bulk seeding, timing, RSS."""

from __future__ import annotations

import os
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
# The servers a benchmark starts read the sites it seeds: one key for all of them. A Fernet
# key, as the service makes for itself when none is set: a passphrase is stretched by
# scrypt (32 MB for a moment, once per stored secret a process opens; docs/operations.md),
# which a memory peak sampled mid-run would count as the scheduler's.
os.environ.setdefault("OUTREACH_SECRET_KEY", "b3V0cmVhY2ggYmVuY2gga2V5LCBub3QgYSBzZWNyZXQ=")
# The fake SendGrid counts as real mail, which needs OUTREACH_PUBLIC_URL for unsubscribe
# links (docs/operations.md); the benchmarks measure sending, not those links.
os.environ.setdefault("OUTREACH_ALLOW_NO_UNSUBSCRIBE", "1")

from sqlalchemy import create_engine, insert  # noqa: E402

from bench.report import Result  # noqa: E402
from service.clock import SystemClock  # noqa: E402
from service.db import make_engine, make_session_factory  # noqa: E402
from service.domain import sites  # noqa: E402
from service.models import Opportunity, Template  # noqa: E402
from tests.support.databases import create_database, drop_database  # noqa: E402
from tests.support.signed import SiteKey  # noqa: E402

STATUSES = ("new", "queued", "reached", "won")


def fresh_database(kind: str = "postgres") -> str:
    """A new migrated database (dropped by the caller with drop_database)."""
    return create_database(kind)


def secret_box():
    """The box `outreach site create` seals key secrets with. Commits older than
    service/secret_key.py (issue 28's base 7315633, run by `--alternate`) built it from
    OUTREACH_SECRET_KEY alone."""
    try:
        from service.config import from_environment
        from service.secret_key import secret_box_for
    except ImportError:
        return sites.SecretBox(os.environ["OUTREACH_SECRET_KEY"])
    return secret_box_for(from_environment())


def new_site(url: str, name: str = "Bench site", daily_limit: int = 100_000) -> SiteKey:
    """Register a site as the CLI would; returns its key."""
    engine = make_engine(url)
    session = make_session_factory(engine)()
    try:
        site, key_id, secret = sites.create_site(
            session,
            secret_box(),
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


def rows_per_second(url: str, statement, rows: list[dict]) -> float:
    """One executemany of `rows` in one transaction, in rows a second: the floor that a
    bulk path (an import, a webhook batch) is set beside."""
    engine = create_engine(url)
    started = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(statement, rows)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return len(rows) / elapsed


def server_ms(response) -> float:
    """The service's own time for one answer in ms, from its Server-Timing header."""
    return float(response.headers["Server-Timing"].split("dur=", 1)[1])


def rss_mb(pids: list[int]) -> list[float]:
    """Resident set size of each process, in MB."""
    import psutil

    return [psutil.Process(pid).memory_info().rss / 1e6 for pid in pids]


def own_peak_mb() -> float:
    """This process's peak resident set since it started, in MB (VmHWM). Not getrusage's
    ru_maxrss: a child keeps the maxrss of the parent it was forked from across exec, so a
    reader started by a 170 MB suite process "peaked" at 170 MB before reading anything."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    raise RuntimeError("no VmHWM in /proc/self/status")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes have used (a load-independent cost)."""
    import psutil

    return sum(sum(psutil.Process(pid).cpu_times()[:2]) for pid in pids)


# The memory line of an API worker (and a scheduler process) the benchmarks hold.
WORKER_RSS_MB = 120
AFTER_START, AFTER_RUN = "API workers after start", "API workers after the benchmark"


@contextmanager
def api_server(result, url: str, workers: int, **kwargs):
    """The service under gunicorn, its workers' RSS recorded once all have booted and
    again when the benchmark is done (unless it recorded that itself, mid-run)."""
    from tests.reliability.servers import Gunicorn

    with Gunicorn(url, workers=workers, **kwargs) as server:
        result.rss(AFTER_START, booted_rss(server, workers))
        yield server
        if AFTER_RUN not in result.rss_mb:
            result.rss(AFTER_RUN, rss_mb(server.worker_pids()))


def booted_rss(server, workers: int, timeout: float = 30) -> list[float]:
    """The workers' RSS once every one is up and has stopped growing (the app imported)."""
    try:
        from tests.support.processes import wait_for
    except ImportError:  # a base older than tests/support/processes.py (--alternate 7315633)
        from tests.sequences.procs import wait_for

    last: list[list[float]] = [[]]

    def settled() -> bool:
        pids = server.worker_pids()
        now = sorted(rss_mb(pids)) if len(pids) == workers else []
        steady = (
            bool(now)
            and len(now) == len(last[0])
            and all(abs(a - b) < 0.5 for a, b in zip(now, last[0], strict=True))
        )
        last[0] = now
        return steady

    wait_for(settled, timeout, every=0.3)
    return last[0]


def rss_figures(result, after_run: list[float]) -> None:
    """The API workers' memory as figures: after start, and after the run (the line)."""
    result.figure("API worker RSS after start, max", max(result.rss_mb[AFTER_START]), "MB")
    result.figure("API worker RSS after run, max", max(after_run), "MB", target=WORKER_RSS_MB)
    result.say(
        f"worker RSS after run: {', '.join(f'{r:.0f} MB' for r in after_run)} vs target <= "
        f"{WORKER_RSS_MB} MB: {verdict(max(after_run), WORKER_RSS_MB, False)} (after start: "
        f"{', '.join(f'{r:.0f} MB' for r in result.rss_mb[AFTER_START])})"
    )


def defaults(measure) -> dict:
    """A benchmark's full sizes: the keyword defaults of its `measure` (one home for them)."""
    import inspect

    return {
        name: p.default
        for name, p in inspect.signature(measure).parameters.items()
        if p.default is not inspect.Parameter.empty
    }


def main_for(benchmark: str, measure, doc: str, **help_texts: str) -> Result:
    """`python -m bench.<name>`: flags from `measure`'s keywords, its log printed as it runs."""
    import argparse

    parser = argparse.ArgumentParser(description=doc.strip().splitlines()[0])
    for name, default in defaults(measure).items():
        flag, many = "--" + name.replace("_", "-"), isinstance(default, list | tuple)
        parser.add_argument(
            flag,
            type=type(default[0] if many else default),
            nargs="+" if many else None,
            default=default,
            help=help_texts.get(name),
        )
    params = vars(parser.parse_args())
    print(machine_note())
    result = Result(benchmark, params=params)
    measure(result, **params)
    return result


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
    "cpu_seconds",
    "server_ms",
    "machine_note",
    "verdict",
    "api_server",
    "rss_figures",
    "AFTER_RUN",
    "main_for",
]
