"""Webhook ingestion: signed batches of 500 SendGrid events through gunicorn (PostgreSQL).

Site with 5,000 cards and 20,000 sent emails; 4 posters send signed batches of 500 events
(delivered / open / click, each matched by custom_args) back to back.
Bare limit: a raw psycopg executemany of the same number of event rows.
Targets: >= 5,000 events/s sustained and >= 0.3x the raw insert; worker RSS <= 120 MB.
Run: .venv/bin/python -m bench.webhooks [--batches 80] [--posters 4] [--workers 3]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import create_engine, text

from bench.common import (
    drop_database,
    fresh_database,
    machine_note,
    new_site,
    rss_mb,
    seed_opportunities,
    seed_template,
    verdict,
)
from bench.seed import seed_emails
from service.clock import SystemClock
from service.db import make_engine, make_session_factory
from tests.reliability.servers import Gunicorn
from tests.support.fake_sendgrid import FakeSendGrid

KINDS = ("delivered", "open", "click")


def seed(url: str, site_id: int) -> list[int]:
    engine = make_engine(url)
    session = make_session_factory(engine)()
    now = SystemClock().now()
    ids = seed_opportunities(session, site_id, 5000, now)
    template_id = seed_template(session, site_id, now)
    email_ids = seed_emails(session, site_id, ids, 4, now, template_id)
    session.commit()
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


def post_all(fake: FakeSendGrid, url: str, batches: list[list[dict]], posters: int) -> float:
    def post(batch):
        r = fake.post_events(url, batch)
        assert r.status_code == 200, r.text[:300]
        return r.json()

    started = time.perf_counter()
    with ThreadPoolExecutor(posters) as pool:
        results = list(pool.map(post, batches))
    elapsed = time.perf_counter() - started
    stored = sum(r.get("stored", 0) for r in results)
    print(f"server reports {stored} events stored")
    return elapsed


def raw_insert(url: str, site_id: int, email_ids: list[int], count: int) -> float:
    """The floor: the same number of event rows by executemany, one transaction."""
    engine = create_engine(url)
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
    started = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(statement, rows)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=80)
    parser.add_argument("--posters", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    print(machine_note())
    url = fresh_database("postgres")
    fake = FakeSendGrid()
    try:
        key = new_site(url)
        email_ids = seed(url, key.site_id)
        total = args.batches * 500
        events = events_for(key.site_id, email_ids, total)
        batches = [events[i : i + 500] for i in range(0, total, 500)]
        env = {"SENDGRID_WEBHOOK_PUBLIC_KEY": fake.public_key, "SENDGRID_API_KEY": "SG.x"}
        with Gunicorn(url, workers=args.workers, env=env) as server:
            post_all(fake, server.url + "/sendgrid/webhook", batches[:2], 2)  # warm up
            elapsed = post_all(fake, server.url + "/sendgrid/webhook", batches[2:], args.posters)
            rss = rss_mb(server.worker_pids())
        rate = (total - 1000) / elapsed
        floor = raw_insert(url, key.site_id, email_ids, total)
    finally:
        drop_database(url)
    ratio = rate / floor
    print(
        f"{args.workers} workers, {args.posters} posters: {total - 1000} events in "
        f"{elapsed:.1f} s = {rate:.0f} events/s"
    )
    print(f"bare limit (raw executemany of {total} event rows): {floor:.0f} events/s")
    print(f"{rate:.0f} events/s vs target >= 5,000: {verdict(rate, 5000, True)}")
    print(f"{ratio:.2f}x raw vs target >= 0.3x: {verdict(ratio, 0.3, True)}")
    print(
        f"worker RSS after run: {', '.join(f'{r:.0f} MB' for r in rss)} vs target <= 120 MB:"
        f" {verdict(max(rss), 120, False)}"
    )


if __name__ == "__main__":
    main()
