"""Link checks at agency scale: 10,000 pages over 1,000 local hosts (127.0.x.y) answering
after 300 ms, checked by 2 `outreach scheduler` processes (PostgreSQL), and the parser's
throughput.

Floor: what the politeness rules allow. At most OUTREACH_LINKCHECK_CONCURRENCY fetches at
once in the whole fleet (`--concurrency`, the service's default 8; fleet-wide, not per
process: both processes take turns from the same slots), each at least the host's
latency: pages x latency / concurrency; and one request a second per host:
(pages per host - 1) s + latency. Wall is printed beside the larger of the two.
Parse throughput (classify: base, robots, resolve, normalise, rel) is printed beside the
bare parser's (selectolax/lexbor: parse, select `a[href]`, read each href) on the same pages.
Targets: wall within 1.3x the floor, at most `concurrency` requests at once, 0 duplicate
checks, RSS <= 120 MB per process.
Run: .venv/bin/python -m bench.link_checks [--pages 10000] [--hosts 1000] [--latency 0.3]
                                [--processes 2] [--concurrency 8] [--parse-pages 200]
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser
from sqlalchemy import select

from bench import common
from service.db import make_engine, make_session_factory
from service.domain.links.classify import classify
from service.domain.links.urls import Target
from service.models import LinkCheck
from tests.links.pages import PageFleet, Tracker, slow
from tests.links.test_processes import TARGET, arrange, checked
from tests.sequences import procs
from tests.support.processes import stop, wait_for


def page_body(i: int, links: int = 300) -> str:
    """A real-size article page (~60 KB): prose, 300 links, ours near the end."""
    parts = ["<!doctype html><html><head><meta charset=utf-8><title>Post</title></head><body>"]
    for n in range(links):
        parts.append(
            f"<p>{'Some paragraph text about tools and reviews. ' * 3}"
            f'<a href="/post/{i}/{n}?utm_source=feed&amp;x={n}">related {n}</a></p>'
        )
    parts.append(f'<p>Thanks to <a href="{TARGET}">our friends</a>.</p></body></html>')
    return "".join(parts)


def parse_figures(pages: list[str]) -> tuple[float, float, float]:
    """(MiB parsed, seconds by classify, seconds by the bare parser)."""
    target, size = Target(TARGET, TARGET), sum(len(p) for p in pages) / 2**20
    started = time.perf_counter()
    for body in pages:
        classify(body, "https://blog.example/post/", target)
    ours = time.perf_counter() - started
    started = time.perf_counter()
    for body in pages:
        [a.attrs.get("href") for a in LexborHTMLParser(body).css("a[href]")]
    return size, ours, time.perf_counter() - started


QUICK = {"pages": 200, "hosts": 50, "parse_pages": 40}
RATIO_TARGET = 1.3


def parse_report(result, bodies: list[str], count: int) -> None:
    """classify against the bare parser on `count` of the pages."""
    size, ours, bare = parse_figures((bodies * (count // len(bodies) + 1))[:count])
    result.say(
        f"parse: {size:.1f} MiB in {count} pages: classify {size / ours:.0f} MiB/s "
        f"({ours / count * 1000:.2f} ms/page) vs bare parser {size / bare:.0f} MiB/s "
        f"({bare / count * 1000:.2f} ms/page): {bare / ours:.2f}x"
    )
    result.figure(
        "classify parse",
        size / ours,
        "MiB/s",
        higher_is_better=True,
        floor=size / bare,
        floor_label="bare parser",
    )


def measure(
    result,
    pages: int = 10000,
    hosts: int = 1000,
    latency: float = 0.3,
    processes: int = 2,
    concurrency: int = 8,
    parse_pages: int = 200,
):
    """Parse throughput, then `pages` checks over `hosts` local hosts by the schedulers."""
    bodies = [page_body(i) for i in range(50)]
    parse_report(result, bodies, parse_pages)
    url = common.fresh_database("postgres")
    engine = make_engine(url)
    tmp = Path(tempfile.mkdtemp(prefix="bench-links-"))
    tracker = Tracker()
    fleet = PageFleet(hosts, tracker)
    web = fleet.servers
    runners = []
    try:
        urls = arrange(engine, web, pages)
        for i, page_url in enumerate(urls):
            server = web[i % len(web)]
            server.routes[page_url.split(server.base, 1)[1]] = slow(latency, bodies[i % 50])
        env = procs.scheduler_env(
            url,
            "http://127.0.0.1:9",
            tmp,
            OUTREACH_LINKCHECK_ALLOW_PRIVATE=1,
            OUTREACH_LINKCHECK_CONCURRENCY=concurrency,
        )
        started = time.perf_counter()
        runners = [procs.start_scheduler(env, tmp / f"scheduler{i}.log") for i in range(processes)]
        peak: list[float] = []

        def done() -> bool:
            peak[:] = [
                max(a, b)
                for a, b in zip(
                    peak or [0] * len(runners), common.rss_mb([p.pid for p in runners]), strict=True
                )
            ]
            return checked(engine) >= pages

        wait_for(done, max(900, pages * latency / concurrency * 3), every=0.5)
        wall = time.perf_counter() - started
        cpu = common.cpu_seconds([p.pid for p in runners])
        result.rss("scheduler processes, peak", peak)
        shape = dict(
            pages=pages, hosts=hosts, latency=latency, processes=processes, at_once=concurrency
        )
        report(result, shape, wall, engine, tracker, peak)
        first = min(r[2] for r in tracker.requests)
        last = max(r[3] for r in tracker.requests)
        result.say(
            f"first request to last answer: {last - first:.1f} s (the rest of the wall is the "
            f"processes' start); scheduler CPU {cpu:.1f} s = {cpu / pages * 1000:.1f} ms a check"
        )
    finally:
        for p in runners:
            stop(p)
        fleet.stop()
        engine.dispose()
        common.drop_database(url)
    return result


def report(result, shape: dict, wall: float, engine, tracker: Tracker, rss: list[float]) -> None:
    pages, hosts, latency, at_once = (shape[k] for k in ("pages", "hosts", "latency", "at_once"))
    per_host = -(-pages // hosts)
    floor = max(pages * latency / at_once, per_host - 1 + latency)
    with make_session_factory(engine)() as s:
        per_card = Counter(s.scalars(select(LinkCheck.opportunity_id)))
        statuses = Counter(s.scalars(select(LinkCheck.status)))
    duplicates = sum(n - 1 for n in per_card.values())
    result.say(
        f"{pages} pages over {hosts} hosts ({latency * 1000:.0f} ms each), "
        f"{shape['processes']} scheduler processes: {wall:.1f} s = {pages / wall:.1f} checks/s; "
        f"statuses {dict(statuses)}"
    )
    result.say(
        f"floor by politeness: {floor:.1f} s ({at_once} at once in the fleet: "
        f"{pages * latency / at_once:.1f} s; 1/s per host: {per_host - 1 + latency:.1f} s): "
        f"{wall / floor:.2f}x, target <= {RATIO_TARGET}x: "
        f"{common.verdict(wall, floor * RATIO_TARGET, False)}"
    )
    result.say(
        f"most requests at once seen by the hosts: {tracker.max_active} "
        f"(OUTREACH_LINKCHECK_CONCURRENCY={at_once}, fleet-wide over {shape['processes']} "
        f"processes)"
    )
    result.say(f"duplicate checks {duplicates} vs target 0: {common.verdict(duplicates, 0, False)}")
    result.say(
        f"scheduler RSS peak: {', '.join(f'{r:.0f} MB' for r in rss)} vs target <= 120 MB: "
        f"{common.verdict(max(rss), 120, False)}"
    )
    result.figure(
        "all pages checked, wall",
        wall,
        "s",
        floor=floor,
        floor_label="politeness",
        ratio_target=RATIO_TARGET,
    )
    result.figure("most requests at once", tracker.max_active, "", target=at_once)
    result.figure("duplicate checks", duplicates, "", target=0)
    result.figure("scheduler RSS peak, max", max(rss), "MB", target=120)


if __name__ == "__main__":
    common.main_for("link_checks", measure, __doc__)
