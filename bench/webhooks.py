"""Webhook ingestion: signed batches of 500 SendGrid events through gunicorn (PostgreSQL).

Site with 5,000 cards and 20,000 sent emails; 4 posters send signed batches of 500 events
(delivered / open / click, each matched by custom_args) back to back.
Bare limit: a raw psycopg executemany of the same number of event rows.
Targets: >= 5,000 events/s sustained and >= 0.3x the raw insert; worker RSS <= 120 MB.
Run: .venv/bin/python -m bench.webhooks [--batches 80] [--posters 4] [--workers 3] [--cards 5000]
"""

from __future__ import annotations

import hashlib
import json
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text

from bench import common
from bench.seed import seed_emails
from service.clock import SystemClock
from service.db import make_engine, make_session_factory
from tests.support.fake_sendgrid import FakeSendGrid

KINDS = ("delivered", "open", "click")
BATCH, WARM_UP = 500, 2  # events a batch; batches sent before the clock starts
QUICK = {"batches": 10, "cards": 500}


def seed(url: str, site_id: int, cards: int = 5000) -> list[int]:
    engine = make_engine(url)
    session = make_session_factory(engine)()
    now = SystemClock().now()
    ids = common.seed_opportunities(session, site_id, cards, now)
    template_id = common.seed_template(session, site_id, now)
    email_ids = seed_emails(session, site_id, ids, 4, now, template_id)
    session.commit()
    with engine.connect() as conn:
        # A live site's tables have statistics (autovacuum's ANALYZE), as bench/board.py
        # seeds them: without any, a batch's card refresh read 22,000 sent emails by
        # their send state instead of its 500 by card.
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    session.close()
    engine.dispose()
    return email_ids


def events_for(site_id: int, email_ids: list[int], count: int) -> list[dict]:
    """`count` distinct events spread over the emails, each matchable by custom_args."""
    stamp = int(time.time()) - 3600
    out = []
    for n in range(count):
        eid = email_ids[n % len(email_ids)]
        kind = KINDS[(n // len(email_ids)) % len(KINDS)]
        out.append(
            {
                "email": f"editor{eid}@bench.example",
                "event": kind,
                "timestamp": stamp + n % 3000,
                "sg_event_id": f"bench-{n}",
                "sg_message_id": f"msg-{eid}.filter-{n}",
                "outreach_email_id": str(eid),
                "outreach_site_id": str(site_id),
                "useragent": "Mozilla/5.0",
                "ip": "203.0.113.9",
                "url": "https://example.org/x" if kind == "click" else None,
            }
        )
    return out


def post_all(result, fake, url: str, batches: list[list[dict]], posters: int) -> float:
    def post(batch):
        r = fake.post_events(url, batch)
        assert r.status_code == 200, r.text[:300]
        return r.json()

    started = time.perf_counter()
    with ThreadPoolExecutor(posters) as pool:
        results = list(pool.map(post, batches))
    elapsed = time.perf_counter() - started
    stored = sum(r.get("stored", 0) for r in results)
    result.say(f"server reports {stored} events stored")
    return elapsed


def raw_insert(url: str, site_id: int, email_ids: list[int], count: int) -> float:
    """The floor: the same number of event rows by executemany, one transaction."""
    rows = [
        {
            "site": site_id,
            "email": email_ids[n % len(email_ids)],
            "type": "open",
            "sg": f"raw-{n}",
            "key": hashlib.sha256(f"raw-{n}".encode()).hexdigest(),
            "detail": json.dumps({"ip": "203.0.113.9"}),
        }
        for n in range(count)
    ]
    statement = text("""INSERT INTO email_events (site_id, email_id, type, occurred_at,
        received_at, machine_open, sg_event_id, event_key, detail)
        VALUES (:site, :email, :type, now(), now(), false, :sg, :key, CAST(:detail AS json))""")
    return common.rows_per_second(url, statement, rows)


def measure(result, batches: int = 80, posters: int = 4, workers: int = 3, cards: int = 5000):
    """`batches` signed batches of 500 events through gunicorn, then the raw insert."""
    url = common.fresh_database("postgres")
    fake = FakeSendGrid()
    try:
        key = common.new_site(url)
        email_ids = seed(url, key.site_id, cards)
        total = max(batches, WARM_UP + 1) * BATCH
        events = events_for(key.site_id, email_ids, total)
        chunks = [events[i : i + BATCH] for i in range(0, total, BATCH)]
        env = {"SENDGRID_WEBHOOK_PUBLIC_KEY": fake.public_key, "SENDGRID_API_KEY": "SG.x"}
        with common.api_server(result, url, workers, env=env) as server:
            hook = server.url + "/sendgrid/webhook"
            post_all(result, fake, hook, chunks[:WARM_UP], 2)
            elapsed = post_all(result, fake, hook, chunks[WARM_UP:], posters)
            rss = result.rss(common.AFTER_RUN, common.rss_mb(server.worker_pids()))
        timed_events = total - WARM_UP * BATCH
        floor = raw_insert(url, key.site_id, email_ids, total)
    finally:
        common.drop_database(url)
    report(result, timed_events, elapsed, floor, rss, f"{workers} workers, {posters} posters")
    return result


def report(result, events: int, elapsed: float, floor: float, rss, shape: str) -> None:
    rate = events / elapsed
    ratio = rate / floor
    result.say(f"{shape}: {events} events in {elapsed:.1f} s = {rate:.0f} events/s")
    result.say(f"bare limit (raw executemany of the event rows): {floor:.0f} events/s")
    result.say(f"{rate:.0f} events/s vs target >= 5,000: {common.verdict(rate, 5000, True)}")
    result.say(f"{ratio:.2f}x raw vs target >= 0.3x: {common.verdict(ratio, 0.3, True)}")
    result.figure(
        "events ingested",
        rate,
        "events/s",
        higher_is_better=True,
        floor=floor,
        floor_label="raw insert",
        target=5000,
        ratio_target=0.3,
    )
    common.rss_figures(result, rss)


if __name__ == "__main__":
    common.main_for("webhooks", measure, __doc__)
