"""Real scheduler processes checking links: each due check once, politeness across them,
and a process killed mid-check."""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from service.db import make_session_factory
from service.domain import sites
from service.domain.links.politeness import CONCURRENCY
from service.models import LinkCheck, Opportunity
from tests.links.pages import PageServer, html, slow
from tests.sequences import procs
from tests.support.databases import wipe
from tests.support.processes import stop, wait_for

TARGET = "https://race.example/"
HOSTS = 40


@pytest.fixture
def web(tracker):
    """HOSTS page servers, one per loopback address (127.0.0.2, ...): HOSTS hosts."""
    servers = [PageServer(f"127.0.0.{i + 2}", tracker) for i in range(HOSTS)]
    yield servers
    for server in servers:
        server.stop()


def arrange(engine, web, count: int) -> list[str]:
    """`count` Won cards due for a check now, spread over the hosts; their page URLs."""
    now = datetime.now(UTC)
    urls = []
    with make_session_factory(engine)() as s:
        site, _, _ = sites.create_site(
            s,
            sites.SecretBox(os.environ["OUTREACH_SECRET_KEY"]),
            "Race",
            "https://race.example",
            now,
        )
        for i in range(count):
            server = web[i % len(web)]
            server.routes[f"/p{i}"] = html(f'<a href="{TARGET}">race</a>')
            urls.append(server.url(f"/p{i}"))
            s.add(
                Opportunity(
                    site_id=site.id,
                    status="won",
                    source_url=urls[-1],
                    domain=server.address,
                    position=i,
                    dedupe_key=f"race-{i}",
                    created_at=now,
                    updated_at=now,
                    status_changed_at=now - timedelta(days=30),
                )
            )
        s.commit()
    return urls


def checked(engine) -> int:
    with make_session_factory(procs.reader(engine))() as s:
        return s.scalar(select(func.count(LinkCheck.id)))


@pytest.fixture
def arena(engine, database_url, tmp_path):
    started = []

    class Arena:
        def spawn(self, **env):
            environment = procs.scheduler_env(
                database_url,
                "http://127.0.0.1:9",
                tmp_path,
                OUTREACH_LINKCHECK_ALLOW_PRIVATE=1,
                OUTREACH_LOG_LEVEL="INFO",
                **env,
            )
            proc = procs.start_scheduler(environment, tmp_path / f"scheduler-{len(started)}.log")
            started.append(proc)
            return proc

        def logs(self):
            return "\n".join(p.read_text(errors="replace")[-3000:] for p in self.paths())

        def paths(self):
            return sorted(tmp_path.glob("scheduler-*.log"))

    yield Arena()
    for proc in started:
        stop(proc)
    wipe(engine)


def assert_each_checked_once(engine, count: int) -> None:
    with make_session_factory(engine)() as s:
        per_card = Counter(s.scalars(select(LinkCheck.opportunity_id)))
        statuses = Counter(s.scalars(select(Opportunity.link_status)))
    assert len(per_card) == count and set(per_card.values()) == {1}
    assert statuses == {"live": count}


def assert_polite(tracker, at_once: int = CONCURRENCY) -> None:
    """Never more than `at_once` requests at once (OUTREACH_LINKCHECK_CONCURRENCY), never
    two to one host within a second."""
    assert tracker.max_active <= at_once
    starts = defaultdict(list)
    for host, _path, start, _end in tracker.requests:
        starts[host.split(":")[0]].append(start)
    gaps = []
    for times in starts.values():
        times.sort()
        gaps += [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert gaps and min(gaps) >= 0.9, min(gaps)


def race(arena, engine, count: int, **env) -> None:
    """Two scheduler processes until `count` checks are recorded; both stop cleanly."""
    racers = [arena.spawn(**env), arena.spawn(**env)]
    # Both up before either is stopped: SIGTERM before a process has installed its handler
    # ends it with -15 (the scheduled-sends race met that on a busy machine).
    wait_for(lambda: procs.running(arena.paths(), "link-checks") == 2, 60)
    try:
        wait_for(lambda: checked(engine) >= count, 120)
    except AssertionError:
        raise AssertionError(arena.logs()) from None
    for proc in racers:
        stop(proc)
        assert proc.returncode == 0, arena.logs()
    assert_each_checked_once(engine, count)


def test_two_processes_check_200_links_each_once_and_politely(arena, engine, web, tracker):
    count = 200
    arrange(engine, web, count)
    race(arena, engine, count)
    paths = Counter(path for _host, path, _s, _e in tracker.requests)
    assert len(paths) == count and set(paths.values()) == {1}
    assert_polite(tracker)
    shares = [
        sum(int(n) for n in re.findall(r"'live': (\d+)", p.read_text())) for p in arena.paths()
    ]
    assert sum(shares) == count and all(shares), shares


def test_sigkill_after_a_fetch_then_restart_checks_it_once(arena, engine, web, tracker):
    count = 20
    urls = arrange(engine, web, count)
    victim = arena.spawn(OUTREACH_SCHEDULER_FAULT="called:3")
    wait_for(lambda: victim.poll() is not None, 60)
    assert victim.returncode == -9, arena.logs()
    done_before = checked(engine)
    assert done_before < count
    with make_session_factory(engine)() as s:  # time passing: the dead process's leases end
        s.execute(
            update(Opportunity)
            .where(Opportunity.link_lease_owner.is_not(None))
            .values(link_lease_until=datetime(2000, 1, 1, tzinfo=UTC))
        )
        s.commit()
    arena.spawn()
    wait_for(lambda: checked(engine) >= count, 60)
    assert_each_checked_once(engine, count)
    fetched = Counter(path for _host, path, _s, _e in tracker.requests)
    assert set(fetched) == {"/" + u.split("/", 3)[3] for u in urls}
    assert len(fetched) == count and max(fetched.values()) == 2  # the killed one, again
    assert_polite(tracker)


def test_the_fleet_fetches_as_many_at_once_as_the_setting_and_paces_each_host(
    arena, engine, web, tracker
):
    """Two processes, 3 fetches at once for the fleet: the hosts see exactly 3 at once
    (each process alone has 3 threads: together they would make 6), one a second each."""
    count = 2 * HOSTS  # two pages per host: the second waits for the host's next second
    urls = arrange(engine, web, count)
    for server, url in ((web[i % HOSTS], u) for i, u in enumerate(urls)):
        server.routes[url.split(server.base, 1)[1]] = slow(0.3, f'<a href="{TARGET}">r</a>')
    race(arena, engine, count, OUTREACH_LINKCHECK_CONCURRENCY=3)
    assert tracker.max_active == 3, tracker.max_active
    assert_polite(tracker, at_once=3)
