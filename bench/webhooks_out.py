"""Outbound webhooks at scale (docs/api.md §17): 1,000 events to each of 10 endpoints
(10,000 deliveries) answering after 50 ms, delivered by one `outreach scheduler` process
(PostgreSQL), every signature checked with the official `standardwebhooks` package.

Floor: what the concurrency allows. One endpoint is one thread at a time (its events go
in order), so at most min(endpoints, scheduler concurrency) POSTs are under way:
deliveries x latency / that. Targets: throughput >= 0.7x the floor's, 0 duplicates by
webhook-id, scheduler RSS <= 120 MB. The outbox write itself (the events published in
one transaction, as an import of that many cards would) is printed beside.
Run: .venv/bin/python -m bench.webhooks_out [--events 1000] [--endpoints 10]
                                            [--latency 0.05] [--concurrency 8]
"""

from __future__ import annotations

import http.client
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from standardwebhooks import Webhook

from bench import common
from service.clock import SystemClock
from service.db import make_engine, make_session_factory
from service.db.unit_of_work import UnitOfWork
from service.domain import events, registry
from service.domain.outbound_hooks import endpoints
from service.models import Site, WebhookDelivery
from tests.outbound_hooks.support import scheduler_env
from tests.sequences import procs
from tests.support.hook_receiver import HookReceiver
from tests.support.processes import stop, wait_for

QUICK = {"events": 100, "endpoints": 4}
CREATED = "opportunity.created"
KIND = "webhook-deliveries"


def arrange(url: str, receiver: HookReceiver, events_n: int, endpoints_n: int, latency: float):
    """A site, its endpoints on the receiver and `events_n` cards: (secrets by endpoint
    name, site id, card ids)."""
    key = common.new_site(url)
    engine = make_engine(url)
    secrets, now, box = {}, SystemClock().now(), common.secret_box()
    with make_session_factory(engine)() as session:
        site = session.get(Site, key.site_id)
        for i in range(endpoints_n):
            values = {"url": receiver.plan(f"e{i}", delay=latency), "events": [CREATED]}
            _, secrets[f"e{i}"] = endpoints.create(session, box, site, values, 0, now, True)
        ids = common.seed_opportunities(session, site.id, events_n, now)
        session.commit()
    engine.dispose()
    return secrets, key.site_id, ids


def announce(engine, site_id: int, ids: list[int]) -> float:
    """The cards announced in one transaction (as an import of them would): seconds."""
    registry.subscribe_reactions()
    uow = UnitOfWork.open(make_session_factory(engine))
    started = time.perf_counter()
    with uow:
        events.publish(
            uow.session, events.CardsCreated, site_id=site_id, card_ids=tuple(ids), origin="import"
        )
        uow.commit()
    uow.close()
    return time.perf_counter() - started


def bare_rate(receiver: HookReceiver, names: list[str], posts: int, threads: int) -> float:
    """POSTs/s of plain http.client to the same endpoints, the same way (a new connection
    each, `threads` endpoints at once, one thread per endpoint): what this machine allows
    right now, measured beside the scheduler's figure."""
    body = b'{"type": "bench"}'
    per = max(1, posts // len(names))

    def one_endpoint(name: str) -> None:
        port = int(receiver.url.rsplit(":", 1)[1])
        for _ in range(per):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("POST", f"/{name}", body, {"content-type": "application/json"})
            conn.getresponse().read()
            conn.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one_endpoint, names))
    return per * len(names) / (time.perf_counter() - started)


def delivered(engine) -> int:
    with make_session_factory(engine)() as s:
        return s.scalar(
            select(func.count())
            .select_from(WebhookDelivery)
            .where(WebhookDelivery.state == "delivered")
        )


def measure(
    result, events: int = 1000, endpoints: int = 10, latency: float = 0.05, concurrency: int = 8
):
    """`events` cards announced to `endpoints` endpoints, delivered by one scheduler."""
    url = common.fresh_database("postgres")
    engine = make_engine(url)
    tmp = Path(tempfile.mkdtemp(prefix="bench-webhooks-out-"))
    receiver = HookReceiver()
    runner = None
    try:
        secrets, site_id, ids = arrange(url, receiver, events, endpoints, latency)
        total = events * endpoints
        env = scheduler_env(
            url, tmp, OUTREACH_SCHEDULER_CONCURRENCY=str(concurrency), OUTREACH_LOG_LEVEL="INFO"
        )
        log = tmp / "scheduler.log"
        runner = procs.start_scheduler(env, log)
        wait_for(lambda: log.exists() and f"{KIND} every" in log.read_text(), 60)
        idle = common.rss_mb([runner.pid])
        peak = list(idle)
        wrote = announce(engine, site_id, ids)
        started = time.perf_counter()

        def done() -> bool:
            assert runner.poll() is None, log.read_text()[-2000:]
            peak[0] = max(peak[0], *common.rss_mb([runner.pid]))
            return delivered(engine) >= total

        wait_for(done, 600, every=0.5, why=lambda: (tmp / "scheduler.log").read_text())
        wall = time.perf_counter() - started
        result.rss("scheduler process, idle", idle)
        result.rss("scheduler process, peak", peak)
        shape = dict(events=events, endpoints=endpoints, latency=latency, concurrency=concurrency)
        names = [f"bare{i}" for i in range(endpoints)]
        for name in names:
            receiver.plan(name, delay=latency)
        bare = bare_rate(receiver, names, min(total, 2000), min(endpoints, concurrency))
        report(result, shape, wall, wrote, receiver, secrets, peak[0], idle[0], bare)
    finally:
        if runner is not None:
            stop(runner)
        receiver.stop()
        engine.dispose()
        common.drop_database(url)
    return result


def report(result, shape, wall, wrote, receiver, secrets, rss, idle, bare) -> None:
    total = shape["events"] * shape["endpoints"]
    at_once = min(shape["endpoints"], shape["concurrency"])
    floor_rate = at_once / shape["latency"]
    rate = total / wall
    got = [r for name in secrets for r in receiver.at(name)]
    bad = sum(1 for name in secrets for r in receiver.at(name) if not _valid(r, secrets[name]))
    duplicates = sum(n - 1 for n in Counter(r.webhook_id for r in got).values())
    result.say(
        f"outbox: {total} deliveries written in {wrote:.2f} s ({total / wrote:,.0f}/s, one "
        f"transaction)"
    )
    result.say(
        f"{total} deliveries to {shape['endpoints']} endpoints ({shape['latency'] * 1000:.0f} ms "
        f"each): {wall:.1f} s = {rate:.0f}/s; floor {floor_rate:.0f}/s ({at_once} at once): "
        f"{rate / floor_rate:.2f}x, target >= 0.7x: {common.verdict(rate, 0.7 * floor_rate, True)}"
    )
    result.say(
        f"bare http.client the same way, just after: {bare:.0f}/s = {bare / floor_rate:.2f}x the "
        f"floor; the scheduler is at {rate / bare:.2f}x of it"
    )
    result.say(f"duplicates by webhook-id {duplicates}, bad signatures {bad}: target 0 and 0")
    result.say(
        f"scheduler RSS peak {rss:.0f} MB (idle before the events: {idle:.0f} MB) vs target "
        f"<= 120 MB: {common.verdict(rss, 120, False)}"
    )
    result.figure(
        "deliveries",
        rate,
        "/s",
        higher_is_better=True,
        floor=floor_rate,
        floor_label="concurrency",
        ratio_target=0.7,
    )
    result.figure("bare http.client, same shape", bare, "/s", higher_is_better=True)
    result.figure("outbox write", total / wrote, "/s", higher_is_better=True)
    result.figure("duplicates by webhook-id", duplicates, "", target=0)
    result.figure("bad signatures", bad, "", target=0)
    result.figure("scheduler RSS peak", rss, "MB", target=120)


def _valid(received, secret: str) -> bool:
    """The official library's signature of what arrived (its clock check left out: the
    first deliveries are minutes old when the run ends)."""
    headers = received.headers
    at = datetime.fromtimestamp(int(headers["webhook-timestamp"]), UTC)
    expected = Webhook(secret).sign(headers["webhook-id"], at, received.body)
    return expected in headers["webhook-signature"].split(" ")


if __name__ == "__main__":
    common.main_for("webhooks_out", measure, __doc__)
