"""Board views benchmark: GET /api/v1/board sorted and filtered (docs/api.md §20) at 5,000 cards.

The site of bench/board.py (5,000 cards, 20,000 emails, 100,000 events, 1,000
enrollments, PostgreSQL) with SEO metrics on six cards of seven. Budgets (issue 22):
the first cards of a sorted board <= 1 s (the whole board sorted by -dr, through
gunicorn), a filter <= 50 ms (has_email + a DR range, through gunicorn), a delta of a
sorted and filtered view with one changed card <= 5 ms of server time (in-process).
Run: .venv/bin/python -m bench.board_views [--cards 5000] [--requests 40] [--workers 2]
"""

from __future__ import annotations

from sqlalchemy import create_engine, text

from bench import common
from bench.board import cpu_ms, in_process, seed, view_delta
from tests.support.signed import SignedHttpClient, SignedTestClient

QUICK = {"cards": 500, "requests": 10}
SORTED = {"sort": "-dr"}
FILTERED = {"has_email": "true", "dr_min": 40, "dr_max": 70, "sort": "-traffic"}
METRICS = text("""
    UPDATE opportunities SET dr = (id * 37) % 101, traffic = (id * 7919) % 250000,
           referring_domains = (id * 13) % 900, metrics_source = 'Ahrefs'
    WHERE id % 7 <> 0""")


def add_metrics(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(METRICS)
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    engine.dispose()


def measure(result, cards: int = 5000, requests: int = 40, workers: int = 2):
    """Seed the site, time the sorted and the filtered board, then a filtered delta."""
    url = common.fresh_database("postgres")
    try:
        key = common.new_site(url)
        seed(result, url, key, cards)
        add_metrics(url)
        with common.api_server(result, url, workers) as server:
            client = SignedHttpClient(server.url, key)
            board = lambda query: client.get("/api/v1/board", query=query)  # noqa: E731
            first = board(SORTED)
            assert first.status_code == 200, first.text
            common.timed(lambda: board(SORTED), 3)
            whole = common.timed(lambda: board(SORTED), requests)
            filtered = common.timed(lambda: board(FILTERED), requests)
            shown = sum(board(FILTERED).json()["counts"].values())
            report(result, whole, filtered, shown, len(first.content))
            local = SignedTestClient(in_process(url).test_client(), key)
            cpu = cpu_ms(lambda: local.get("/api/v1/board", query=FILTERED), requests)
            result.say(f"filtered board CPU {cpu:.1f} ms per request in-process (load-proof)")
            result.figure("filtered board CPU, in-process", cpu, "ms")
            delta(result, client, local, requests)
    finally:
        common.drop_database(url)
    return result


def report(result, whole, filtered, shown: int, size: int) -> None:
    p50, f50 = common.percentile(whole, 50), common.percentile(filtered, 50)
    result.say(f"GET /board?sort=-dr ({size / 1e6:.2f} MB)  {common.summary_ms(whole)}")
    result.say(f"GET /board filtered ({shown} cards)      {common.summary_ms(filtered)}")
    result.say(f"sorted board p50 {p50 * 1000:.1f} ms vs <= 1 s: {common.verdict(p50, 1.0, False)}")
    result.say(f"filtered p50 {f50 * 1000:.1f} ms vs <= 50 ms: {common.verdict(f50, 0.050, False)}")
    result.figure("sorted board p50", p50 * 1000, "ms", target=1000)
    result.figure("filtered board p50", f50 * 1000, "ms", target=50)


def delta(result, http, local, repeat: int) -> None:
    """A poll of the filtered view after one matching card changed, beside the same poll
    of the plain board (the same change, the same load)."""
    start = http.get("/api/v1/board", query=FILTERED).json()
    plain = http.get("/api/v1/board").json()["cursor"]

    def change(card_id):
        changed = http.put(f"/api/v1/opportunities/{card_id}/notes", json={"notes": "called"})
        assert changed.status_code == 200, changed.text

    view = {"query": FILTERED, "start": start, "plain": plain}
    view_delta(result, local, view, change, repeat, "filtered delta")


if __name__ == "__main__":
    common.main_for("board_views", measure, __doc__)
