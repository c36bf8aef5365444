"""The board in a real browser at 500 and 5,000 cards (Playwright + the system Chromium).

Figures: navigation → first card visible, per-keystroke filter time, time for a move to
persist, scroll frame time, and the bytes and time of one delta poll after one change
(straight to the service, and through the WordPress bridge as the page polls).
Targets: first card ≤ 1 s at 5,000 cards, filter ≤ 50 ms, delta poll ≤ 5 ms server time
and ≤ 5 KB.
Run: .venv/bin/python -m bench.board_browser [--cards 500 5000]
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from bench import common
from service.clock import SystemClock
from service.db import make_engine, make_session_factory
from tests.e2e.stack import CHROMIUM, CHROMIUM_ARGS, Stack
from tests.support.browser import ADMIN, login, open_board
from tests.support.signed import SignedHttpClient, SiteKey

FILTER_JS = """async (word) => {
    const input = document.getElementById('ao-search');
    const times = [];
    for (const ch of word) {
        const t = performance.now();
        input.value += ch;
        input.dispatchEvent(new Event('input'));
        document.body.offsetHeight;  // style and layout are part of the keystroke
        times.push(performance.now() - t);
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    }
    input.value = '';
    input.dispatchEvent(new Event('input'));
    return times;
}"""

SCROLL_JS = """async () => {
    const lane = document.querySelector('.ao-column[data-status="new"] .ao-lane');
    const stamps = [];
    for (let i = 0; i < 90; i++) {
        lane.scrollTop += 600;
        stamps.push(await new Promise((r) => requestAnimationFrame(r)));
    }
    lane.scrollTop = 0;
    return stamps.slice(1).map((t, i) => t - stamps[i]);
}"""

POLL_JS = """async (cursor) => {
    const nonce = wp.apiFetch.nonceMiddleware.nonce;
    const q = cursor === null ? '' : '?since=' + encodeURIComponent(cursor);
    const t = performance.now();
    const r = await fetch('/wp-json/almaseo-outreach/v1/board' + q,
                          {headers: {'X-WP-Nonce': nonce}});
    const body = await r.text();
    return {ms: performance.now() - t, bytes: body.length, status: r.status};
}"""


def reseed(stack: Stack, count: int) -> None:
    """Replace the site's cards with `count` generated ones (straight into its SQLite)."""
    url = f"sqlite:///{stack.workdir / 'service' / 'outreach.sqlite3'}"
    engine = make_engine(url)
    session = make_session_factory(engine)()
    session.execute(
        text("DELETE FROM opportunities WHERE site_id = :s"), {"s": stack.site["site_id"]}
    )
    common.seed_opportunities(session, stack.site["site_id"], count, SystemClock().now())
    session.commit()
    session.close()
    engine.dispose()


def first_card_ms(page, stack) -> float:
    page.goto(f"{stack.wp_url}/wp-admin/admin.php?page=almaseo-outreach")
    page.wait_for_selector(".ao-card")
    return page.evaluate("() => performance.now()")


def move_ms(page) -> float:
    node = page.locator('.ao-column[data-status="new"] .ao-card').first
    node.focus()
    started = time.perf_counter()
    with page.expect_response(lambda r: "/move" in r.url and r.status == 200):
        page.keyboard.press("Alt+ArrowRight")
    return (time.perf_counter() - started) * 1000


def delta_poll(api: SignedHttpClient, page) -> dict:
    """One change, then one delta poll: straight to the service and through the bridge."""
    full = api.get("/api/v1/board")
    cursor = full.json().get("cursor")
    some = next(c for col in full.json()["columns"].values() for c in col)
    changed = api.patch(f"/api/v1/opportunities/{some['id']}", json={"anchor_text": "changed once"})
    assert changed.status_code == 200, changed.text
    query = {} if cursor is None else {"since": cursor}
    samples, stamps, size = [], [], 0
    for _ in range(21):
        started = time.perf_counter()
        answer = api.get("/api/v1/board", query=query)
        samples.append((time.perf_counter() - started) * 1000)
        stamps.append(common.server_ms(answer))
        assert answer.status_code == 200, answer.text
        assert cursor is None or [c["id"] for c in answer.json()["cards"]] == [some["id"]]
        size = len(answer.content)
    started = time.perf_counter()
    unchanged = api.get(
        "/api/v1/board", query=query, headers={"If-None-Match": answer.headers.get("ETag") or ""}
    )
    not_modified_ms = (time.perf_counter() - started) * 1000
    bridge = page.evaluate(POLL_JS, cursor)
    return {
        "round_trip_ms": statistics.median(samples),
        "service_ms": statistics.median(stamps),
        "bytes": size,
        "bridge": bridge,
        "unchanged": unchanged.status_code,
        "not_modified_ms": not_modified_ms,
        "delta": cursor is not None,
        "full_bytes": len(full.content),
    }


QUICK = {"cards": [200]}


def run_size(result, stack, api, browser, count: int) -> None:
    reseed(stack, count)
    context = login(browser, stack.wp_url, ADMIN)
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    open_board(page, stack)
    first = statistics.median(first_card_ms(page, stack) for _ in range(3))
    page.wait_for_selector("#ao-app.is-ready")
    keys = page.evaluate(FILTER_JS, "anchor text 42")
    frames = page.evaluate(SCROLL_JS)
    moves = [move_ms(page) for _ in range(3)]
    poll = delta_poll(api, page)
    context.close()
    figures(result, count, first, keys, frames, moves, poll)
    result.say(f"\n{count} cards")
    result.say(
        f"  navigation -> first card     {first:7.0f} ms   target <= 1000 ms "
        f"{common.verdict(first, 1000, False)}"
    )
    result.say(
        f"  filter per keystroke         p50 {common.percentile(keys, 50):5.1f} ms  max "
        f"{max(keys):5.1f} ms   target <= 50 ms {common.verdict(max(keys), 50, False)}"
    )
    result.say(
        f"  scroll frame (90 frames)     p50 {common.percentile(frames, 50):5.1f} ms  p95 "
        f"{common.percentile(frames, 95):5.1f} ms"
    )
    result.say(f"  move persisted (Alt+Arrow)   p50 {statistics.median(moves):5.0f} ms")
    kind = "delta" if poll["delta"] else "FULL BOARD (service has no ?since= yet)"
    result.say(
        f"  poll after one change        {kind}: {poll['bytes']} bytes (full board "
        f"{poll['full_bytes']}), server time {poll['service_ms']:.1f} ms (Server-Timing; "
        f"round trip {poll['round_trip_ms']:.1f} ms)   targets <= 5 KB "
        f"{common.verdict(poll['bytes'], 5120, False)}, "
        f"<= 5 ms {common.verdict(poll['service_ms'], 5, False)}"
    )
    result.say(
        f"  poll again, nothing changed  status {poll['unchanged']}, "
        f"{poll['not_modified_ms']:.1f} ms"
    )
    result.say(
        f"  same poll through WordPress  {poll['bridge']['bytes']} bytes, "
        f"{poll['bridge']['ms']:.0f} ms (status {poll['bridge']['status']})"
    )


def figures(result, count: int, first, keys, frames, moves, poll: dict) -> None:
    at = f"at {count:,} cards"
    result.figure(f"first card {at}", first, "ms", target=1000)
    result.figure(f"filter keystroke max {at}", max(keys), "ms", target=50)
    result.figure(f"scroll frame p50 {at}", common.percentile(frames, 50), "ms")
    result.figure(f"move persisted p50 {at}", statistics.median(moves), "ms")
    result.figure(f"delta poll size {at}", poll["bytes"], "bytes", target=5120)
    result.figure(f"delta poll Server-Timing {at}", poll["service_ms"], "ms", target=5)
    result.figure(f"poll through WordPress {at}", poll["bridge"]["ms"], "ms")


def measure(result, cards: tuple[int, ...] = (500, 5000)):
    """The board page in Chromium, once per board size."""
    from playwright.sync_api import sync_playwright

    stack = Stack(Path(tempfile.mkdtemp(prefix="ao-bench-")))
    try:
        stack.start_service(None)
        stack.start_wordpress()
        key = SiteKey(stack.site["site_id"], stack.site["key_id"], stack.site["secret"])
        api = SignedHttpClient(stack.service_url, key)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for count in cards:
                run_size(result, stack, api, browser, count)
            browser.close()
    finally:
        stack.stop()
    return result


if __name__ == "__main__":
    common.main_for("board_browser", measure, __doc__)
