"""Signed-request throughput: small signed GETs through gunicorn (PostgreSQL).

Every request carries a fresh nonce, so each one costs an HMAC check, a key lookup and a
committed nonce insert: the floor of any API call. Load comes from separate client
processes (the client's own signing and HTTP parsing would otherwise be measured instead).
Targets: >= 500 req/s on 2 cores; RSS per worker <= 120 MB.
Run: .venv/bin/python -m bench.signed_requests [--seconds 20] [--clients 4] [--workers 3]
                                               [--bare-seconds 5]
"""

from __future__ import annotations

import multiprocessing as mp
import time

from bench import common

PATH = "/api/v1/site"
TARGET_RPS = 500
QUICK = {"seconds": 3.0, "bare_seconds": 1.0}


def client_loop(url: str, key, seconds: float, out: mp.Queue) -> None:
    """One client sending signed GETs back to back; reports its latencies.

    Plain http.client, not `requests`: on a 2-core box the clients share the CPUs with the
    workers and PostgreSQL, and `requests` spent ~1.4 ms of CPU per call (a third of a
    worker's) — a heavier client measures itself instead of the service."""
    import http.client
    import secrets
    from urllib.parse import urlsplit

    from service.signing import sign_headers

    where = urlsplit(url)
    conn = http.client.HTTPConnection(where.hostname, where.port, timeout=30)
    latencies, errors = [], 0
    stop_at = time.monotonic() + seconds
    while time.monotonic() < stop_at:
        started = time.perf_counter()
        headers = sign_headers(
            key.secret, key.key_id, "GET", PATH, "", b"",
            timestamp=int(time.time()), nonce=secrets.token_urlsafe(18),
            user=1, caps="outreach.settings",
        )  # fmt: skip
        conn.request("GET", PATH, headers=headers)
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - started)
        errors += response.status != 200
        if response.will_close:  # sync workers answer one request per connection
            conn.close()
    conn.close()
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


def run(result, url: str, key, workers: int, clients: int, seconds: float):
    """(latencies, errors, elapsed seconds, worker RSS after the run)."""
    with common.api_server(result, url, workers) as server:
        queue: mp.Queue = mp.Queue()
        senders = [
            mp.Process(target=client_loop, args=(server.url, key, seconds, queue))
            for _ in range(clients)
        ]
        started = time.monotonic()
        for p in senders:
            p.start()
        results = [queue.get() for _ in senders]
        elapsed = time.monotonic() - started
        for p in senders:
            p.join()
        rss = result.rss(common.AFTER_RUN, common.rss_mb(server.worker_pids()))
    latencies = [v for lat, _ in results for v in lat]
    return latencies, sum(e for _, e in results), elapsed, rss


def measure(
    result,
    seconds: float = 20.0,
    clients: int = 4,
    workers: int = 3,
    bare_seconds: float = 5.0,
):
    """The bare limit, then `clients` processes sending signed GETs for `seconds`."""
    url = common.fresh_database("postgres")
    try:
        key = common.new_site(url)
        floor = bare_limit(url, bare_seconds)
        latencies, errors, elapsed, rss = run(result, url, key, workers, clients, seconds)
    finally:
        common.drop_database(url)
    rate = len(latencies) / elapsed
    result.say(f"{workers} sync workers, {clients} client processes, {elapsed:.1f} s")
    result.say(
        f"signed GET {PATH}: {len(latencies)} requests, {errors} errors, {rate:.0f} req/s, "
        f"p50 {common.percentile(latencies, 50) * 1000:.1f} ms, "
        f"p99 {common.percentile(latencies, 99) * 1000:.1f} ms"
    )
    result.say(
        f"bare limit (key lookup + nonce insert + commit, one connection, no HTTP): "
        f"{floor:.0f} req/s"
    )
    result.say(
        f"throughput {rate:.0f} req/s vs target >= {TARGET_RPS} req/s: "
        f"{common.verdict(rate, TARGET_RPS, True)}"
    )
    result.figure(
        "signed GET /site",
        rate,
        "req/s",
        higher_is_better=True,
        floor=floor,
        floor_label="bare",
        target=TARGET_RPS,
    )
    result.figure("signed GET /site p99", common.percentile(latencies, 99) * 1000, "ms")
    result.figure("errors", errors, "", target=0)
    common.rss_figures(result, rss)
    return result


if __name__ == "__main__":
    common.main_for("signed_requests", measure, __doc__)
