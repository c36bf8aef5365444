"""Board benchmark: GET /api/v1/board on a big site through gunicorn vs the bare SQL.

Site: 5,000 opportunities, 20,000 emails, 100,000 events, 1,000 enrollments (PostgreSQL).
Targets: p50 <= 100 ms and p50 <= 3x the bare SQL; worker RSS <= 120 MB.
Deltas (docs/api.md, pipeline tools): a `?since=` poll with one changed card <= 5 ms of server time
and <= 5 KB; the If-None-Match poll answers 304. Server time is measured in-process (the
Flask app on the same database: signature check, queries, JSON; no HTTP), next to the
round trip through gunicorn.
Run: .venv/bin/python -m bench.board [--cards 5000] [--requests 60] [--workers 2]
"""

from __future__ import annotations

import time

from sqlalchemy import create_engine, text

from bench import common
from bench.seed import seed_emails, seed_enrollments, seed_events
from service.clock import SystemClock
from service.db import make_engine, make_session_factory
from tests.support.signed import SignedHttpClient, SignedTestClient

# The same rows the endpoint needs, fetched with no ORM, no JSON, no HTTP: the floor.
BARE_CARDS = text("""
    SELECT * FROM opportunities WHERE site_id = :site AND deleted_at IS NULL
    ORDER BY status, position, id""")
BARE_SEQUENCES = text("""
    SELECT e.*, s.name, (SELECT count(*) FROM sequence_steps st
                         WHERE st.sequence_id = e.sequence_id) AS total_steps
    FROM enrollments e JOIN sequences s ON s.id = e.sequence_id
    WHERE e.id IN (SELECT max(id) FROM enrollments WHERE site_id = :site
                   GROUP BY opportunity_id)""")


# Quick: a tenth of the site, a quarter of the requests (`python -m bench --quick`).
QUICK = {"cards": 500, "requests": 15}


def seed(result, url: str, key, cards: int) -> None:
    """`cards` cards, 4 emails each, 5 events an email, an enrollment for every fifth card."""
    engine = make_engine(url)
    session = make_session_factory(engine)()
    now = SystemClock().now()
    ids = common.seed_opportunities(session, key.site_id, cards, now)
    template_id = common.seed_template(session, key.site_id, now)
    email_ids = seed_emails(session, key.site_id, ids, 4, now, template_id)
    seed_events(session, key.site_id, email_ids, 5, now)
    seed_enrollments(session, key.site_id, template_id, ids[: cards // 5], now)
    session.commit()
    with engine.connect() as conn:
        # VACUUM too: a settled table has its visibility map set (autovacuum's work), which
        # the delta's index-only count relies on.
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
        counts = {
            t: conn.scalar(text(f"SELECT count(*) FROM {t}"))
            for t in ("opportunities", "emails", "email_events", "enrollments")
        }
    result.say(f"seeded: {counts}")
    session.close()
    engine.dispose()


def bare_sql(url: str, site_id: int, repeat: int) -> list[float]:
    engine = create_engine(url)
    with engine.connect() as conn:

        def run():
            conn.execute(BARE_CARDS, {"site": site_id}).all()
            conn.execute(BARE_SEQUENCES, {"site": site_id}).all()

        common.timed(run, 5)
        samples = common.timed(run, repeat)
    engine.dispose()
    return samples


def measure(result, cards: int = 5000, requests: int = 60, workers: int = 2):
    """Seed the site, time the board through gunicorn against the bare SQL, then the polls."""
    url = common.fresh_database("postgres")
    try:
        key = common.new_site(url)
        seed(result, url, key, cards)
        floor = bare_sql(url, key.site_id, requests)
        with common.api_server(result, url, workers) as server:
            client = SignedHttpClient(server.url, key)
            first = client.get("/api/v1/board")
            assert first.status_code == 200, first.text
            size = len(first.content)
            common.timed(lambda: client.get("/api/v1/board"), 5)
            http = common.timed(lambda: client.get("/api/v1/board"), requests)
            search = common.timed(
                lambda: client.get("/api/v1/board", query={"q": "blog12"}), requests // 2
            )
            rss = result.rss(common.AFTER_RUN, common.rss_mb(server.worker_pids()))
            count = sum(first.json()["counts"].values())
            report(result, http, search, floor, rss, count, size)
            local = SignedTestClient(in_process(url).test_client(), key)
            polls(result, client, local, first.json(), requests)
    finally:
        common.drop_database(url)
    return result


def in_process(url: str):
    """The service as a Flask app in this process, on the bench database (no scheduler)."""
    import tempfile

    from service import create_app

    tmp = tempfile.mkdtemp()
    return create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": tmp,
            "SCHEDULER_ENABLED": False,
            "OUTBOX_PATH": f"{tmp}/outbox.jsonl",
            "SENDGRID_API_KEY": None,
        }
    )


def polls(result, http, local, board: dict, repeat: int) -> None:
    """The cheap refresh paths: 304 on an unchanged board, and a delta with one change."""
    head = http.get("/api/v1/board")
    if "ETag" not in head.headers or "cursor" not in head.json():
        result.say("no ETag or cursor on the board (a base before the deltas): no poll figures")
        return
    tag, cursor = head.headers["ETag"], head.json()["cursor"]
    unchanged = lambda c: c.get("/api/v1/board", headers={"If-None-Match": tag})  # noqa: E731
    assert unchanged(http).status_code == 304 and unchanged(local).status_code == 304
    not_modified = timed_poll(result, "304 (If-None-Match)", unchanged, http, local, repeat, 0)
    result.figure("304 poll p50, in-process", common.percentile(not_modified, 50) * 1000, "ms")
    result.say(
        f"304 CPU {cpu_ms(lambda: unchanged(local), repeat):.2f} ms per poll; a signed "
        f"GET /site {cpu_ms(lambda: local.get('/api/v1/site'), repeat):.2f} ms"
    )
    card = board["columns"]["queued"][len(board["columns"]["queued"]) // 2]
    changed = http.put(f"/api/v1/opportunities/{card['id']}/notes", json={"notes": "called"})
    assert changed.status_code == 200, changed.text
    since = lambda c: c.get("/api/v1/board", query={"since": cursor})  # noqa: E731
    body = since(http)
    assert [c["id"] for c in body.json()["cards"]] == [card["id"]], body.text
    size = len(body.content)
    local_times = timed_poll(result, "delta, one card changed", since, http, local, repeat, size)
    p50 = common.percentile(local_times, 50)
    stamped = [common.server_ms(since(local)) for _ in range(repeat)]
    stamped_http = [common.server_ms(since(http)) for _ in range(repeat)]
    result.figure("delta poll p50, in-process", p50 * 1000, "ms", target=5)
    result.figure(
        "delta poll Server-Timing p50, gunicorn", common.percentile(stamped_http, 50), "ms"
    )
    result.figure("delta poll size", size, "bytes", target=5120)
    result.say(
        f"delta server time p50 {p50 * 1000:.2f} ms in-process (min {min(local_times) * 1000:.2f}"
        f" ms, CPU {cpu_ms(lambda: since(local), repeat):.2f} ms) vs target <= 5 ms: "
        f"{common.verdict(p50, 0.005, False)}; {size} bytes vs target <= 5 KB: "
        f"{common.verdict(size, 5120, False)}"
    )
    result.say(
        f"delta Server-Timing p50 {common.percentile(stamped, 50):.2f} ms in-process, "
        f"{common.percentile(stamped_http, 50):.2f} ms in the gunicorn worker"
    )
    cursor = body.json()["cursor"]
    top = http.post(
        f"/api/v1/opportunities/{card['id']}/move", json={"status": "new", "position": 0}
    )
    assert top.status_code == 200, top.text
    moved_size = len(since(http).content)
    timed_poll(
        result, "delta, a move to the top of New", since, http, local, repeat // 4, moved_size
    )


def view_delta(result, local, view: dict, change, repeat: int, name: str, detail: str = ""):
    """A view's `?since=` poll after one of its cards changed (`change(card_id)`), timed
    in-process beside the whole board's delta poll (the same change, the same load).
    `view` is {"query", "start": the view's first answer, "plain": the board's cursor}."""
    start, query = view["start"], view["query"]
    card = next(c for column in start["columns"].values() for c in column)
    change(card["id"])
    poll = {**query, "since": start["cursor"]}
    body = local.get("/api/v1/board", query=poll).json
    assert [c["id"] for c in body["cards"]] == [card["id"]], body
    times = common.timed(lambda: local.get("/api/v1/board", query=poll), repeat)
    floor = common.timed(lambda: local.get("/api/v1/board", query={"since": view["plain"]}), repeat)
    p50, plain50 = common.percentile(times, 50), common.percentile(floor, 50)
    result.say(
        f"{name}{detail}, one card changed: in-process p50 {p50 * 1000:.2f} ms, min "
        f"{min(times) * 1000:.2f} ms vs <= 5 ms: {common.verdict(p50, 0.005, False)}; the whole "
        f"board's delta p50 {plain50 * 1000:.2f} ms, min {min(floor) * 1000:.2f} ms"
    )
    result.figure(
        f"{name} p50, in-process",
        p50 * 1000,
        "ms",
        floor=plain50 * 1000,
        floor_label="plain delta",
        target=5,
    )


def timed_poll(result, label: str, poll, http, local, repeat: int, size: int) -> list[float]:
    """`poll(client)` timed in-process and through gunicorn, both said; the in-process times."""
    local_times = common.timed(lambda: poll(local), repeat)
    show(result, label, common.timed(lambda: poll(http), repeat), local_times, size)
    return local_times


def show(result, label: str, http: list[float], local: list[float], size: int) -> None:
    result.say(
        f"{label:34} HTTP {common.summary_ms(http)} | in-process p50 "
        f"{common.percentile(local, 50) * 1000:.2f} ms, min {min(local) * 1000:.2f} ms | "
        f"{size:,} bytes"
    )


def cpu_ms(fn, repeat: int) -> float:
    """Median CPU time of this thread per call: the service's own work without the waits
    for PostgreSQL and for a core (the machine is shared; see the load average)."""
    samples = []
    for _ in range(repeat):
        start = time.thread_time()
        fn()
        samples.append(time.thread_time() - start)
    return common.percentile(samples, 50) * 1000


def report(result, http, search, floor, rss, cards, size) -> None:
    p50, floor50 = common.percentile(http, 50), common.percentile(floor, 50)
    result.say(f"board response: {cards} cards, {size / 1e6:.2f} MB of JSON")
    result.say(f"GET /api/v1/board     {common.summary_ms(http)}")
    result.say(f"GET /api/v1/board?q=  {common.summary_ms(search)}")
    result.say(f"bare SQL (same rows)  {common.summary_ms(floor)}")
    result.say(f"p50 {p50 * 1000:.1f} ms vs target <= 100 ms: {common.verdict(p50, 0.100, False)}")
    ratio = p50 / floor50
    result.say(
        f"p50 / bare SQL p50 = {ratio:.1f}x vs target <= 3x: {common.verdict(ratio, 3, False)}"
    )
    result.figure(
        "GET /board p50",
        p50 * 1000,
        "ms",
        floor=floor50 * 1000,
        floor_label="bare SQL",
        target=100,
        ratio_target=3,
    )
    result.figure("GET /board?q= p50", common.percentile(search, 50) * 1000, "ms")
    result.figure("board body", size / 1e6, "MB")
    common.rss_figures(result, rss)


if __name__ == "__main__":
    common.main_for("board", measure, __doc__)
