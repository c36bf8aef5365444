"""Signed-request throughput: small signed GETs through gunicorn (PostgreSQL).

Every request carries a fresh nonce, so each one costs an HMAC check, a key lookup and a
committed nonce insert: the floor of any API call. Load comes from separate client
processes (the client's own signing and HTTP parsing would otherwise be measured instead).
Targets: >= 500 req/s on 2 cores; RSS per worker <= 120 MB.
Run: .venv/bin/python -m bench.signed_requests [--seconds 20] [--clients 4] [--workers 3]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import time

from bench.common import (
    drop_database,
    fresh_database,
    machine_note,
    new_site,
    percentile,
    rss_mb,
    verdict,
)
from tests.reliability.servers import Gunicorn

PATH = "/api/v1/site"


def client_loop(url: str, key, seconds: float, out: mp.Queue) -> None:
    """One keep-alive client sending signed GETs back to back; reports its latencies."""
    from tests.support.signed import SignedHttpClient

    client = SignedHttpClient(url, key)
    latencies, errors = [], 0
    stop_at = time.monotonic() + seconds
    while time.monotonic() < stop_at:
        started = time.perf_counter()
        status = client.get(PATH, caps="outreach.settings").status_code
        latencies.append(time.perf_counter() - started)
        errors += status != 200
    out.put((latencies, errors))


def bare_limit(url: str, seconds: float) -> float:
    """The floor without HTTP or Flask: one key lookup + one committed nonce insert, req/s."""
    import secrets

    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    count, stop_at = 0, time.monotonic() + seconds
    with engine.connect() as conn:
        while time.monotonic() < stop_at:
            conn.execute(text("SELECT secret_stored FROM api_keys WHERE id = 'x'")).first()
            conn.execute(
                text(
                    "INSERT INTO nonces (key_id, nonce, seen_at) "
                    "SELECT id, :n, now() FROM api_keys LIMIT 1"
                ),
                {"n": secrets.token_urlsafe(18)},
            )
            conn.commit()
            count += 1
    engine.dispose()
    return count / seconds


def run(url: str, key, args) -> tuple[list[float], int, float, list[float]]:
    with Gunicorn(url, workers=args.workers) as server:
        queue: mp.Queue = mp.Queue()
        clients = [
            mp.Process(target=client_loop, args=(server.url, key, args.seconds, queue))
            for _ in range(args.clients)
        ]
        started = time.monotonic()
        for p in clients:
            p.start()
        results = [queue.get() for _ in clients]
        elapsed = time.monotonic() - started
        for p in clients:
            p.join()
        rss = rss_mb(server.worker_pids())
    latencies = [v for lat, _ in results for v in lat]
    return latencies, sum(e for _, e in results), elapsed, rss


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    print(machine_note())
    url = fresh_database("postgres")
    try:
        key = new_site(url)
        floor = bare_limit(url, 5)
        latencies, errors, elapsed, rss = run(url, key, args)
    finally:
        drop_database(url)
    rate = len(latencies) / elapsed
    print(f"{args.workers} sync workers, {args.clients} client processes, {elapsed:.1f} s")
    print(
        f"signed GET {PATH}: {len(latencies)} requests, {errors} errors, {rate:.0f} req/s, "
        f"p50 {percentile(latencies, 50) * 1000:.1f} ms, "
        f"p99 {percentile(latencies, 99) * 1000:.1f} ms"
    )
    print(
        f"bare limit (key lookup + nonce insert + commit, one connection, no HTTP): "
        f"{floor:.0f} req/s"
    )
    print(f"throughput {rate:.0f} req/s vs target >= 500 req/s: {verdict(rate, 500, True)}")
    print(
        f"worker RSS after run: {', '.join(f'{r:.0f} MB' for r in rss)} vs target <= 120 MB:"
        f" {verdict(max(rss), 120, False)}"
    )


if __name__ == "__main__":
    main()
