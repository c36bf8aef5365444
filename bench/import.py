"""CSV import and export through gunicorn (PostgreSQL).

Import: a 10,000-row file (generic columns) posted as the bridge posts it: slices of at
most 1 MiB cut at row ends, each with the header row. Bare limit: a raw executemany
INSERT of the same 10,000 rows into `opportunities`, one transaction.
Targets: the whole import <= 5 s and >= 0.3x the raw insert's rows/s.
Export: GET /api/v1/opportunities/export of a 50,000-card site, streamed; the worker's
RSS is sampled while the file arrives (second export; the first warms the worker up).
Target: RSS grows by <= 20 MB (constant memory).
Run: .venv/bin/python -m bench.import [--rows 10000] [--cards 50000]
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import text

from bench import common
from service.clock import SystemClock
from service.db import make_engine, make_session_factory
from tests.support.signed import SignedHttpClient

# The import target: 10,000 rows in 5 s; a smaller run is held to the same rate.
TARGET_S, TARGET_ROWS = 5, 10_000
QUICK = {"rows": 1_000, "cards": 5_000}
SLICE = 1024 * 1024
HEADER = "source_url,target_url,anchor_text,contact_email,notes\r\n"


def csv_rows(count: int) -> list[str]:
    """Realistic rows (about 170 bytes each), every one a different page."""
    return [
        f"https://blog{i}.example.org/posts/{i}/resources-for-link-building,"
        f"https://bench.example/guide/{i % 50},anchor text {i},editor{i}@blog{i}.example.org,"
        f'"Found in the gap report, row {i}; DR {i % 90}"\r\n'
        for i in range(count)
    ]


def slices(lines: list[str]) -> list[tuple[int, bytes]]:
    """(line offset, body) slices of at most SLICE bytes, each starting with the header."""
    out, current, size, first = [], [], len(HEADER), 0
    for index, line in enumerate(lines):
        if size + len(line) > SLICE and current:
            out.append((first, (HEADER + "".join(current)).encode()))
            current, size, first = [], len(HEADER), index
        current.append(line)
        size += len(line)
    out.append((first, (HEADER + "".join(current)).encode()))
    return out


def api_import(client: SignedHttpClient, parts: list[tuple[int, bytes]]) -> tuple[float, int]:
    started, created = time.perf_counter(), 0
    for offset, body in parts:
        r = client.post(
            "/api/v1/opportunities/import",
            data=body,
            query={"line_offset": offset},
            headers={"Content-Type": "text/csv"},
        )
        assert r.status_code == 200, r.text[:300]
        assert r.json()["errors"] == [], r.json()["errors"][:3]
        created += r.json()["created"]
    return time.perf_counter() - started, created


def raw_insert(url: str, site_id: int, count: int) -> float:
    """The floor: the same rows by one executemany INSERT, one transaction; rows/s."""
    params = [
        {
            "site": site_id,
            "src": f"https://raw{i}.example.org/posts/{i}/resources-for-link-building",
            "dom": f"raw{i}.example.org",
            "tgt": f"https://bench.example/guide/{i % 50}",
            "anchor": f"anchor text {i}",
            "mail": f"editor{i}@raw{i}.example.org",
            "notes": f"Found in the gap report, row {i}; DR {i % 90}",
            "pos": i,
            "key": f"raw-{i}",
        }
        for i in range(count)
    ]
    statement = text("""INSERT INTO opportunities (site_id, status, source_url, domain,
        target_url, anchor_text, contact_email, lost_link, notes, position, dedupe_key,
        emails_sent, created_at, updated_at, status_changed_at) VALUES (:site, 'new', :src,
        :dom, :tgt, :anchor, :mail, false, :notes, :pos, :key, 0, now(), now(), now())""")
    return common.rows_per_second(url, statement, params)


def export(client: SignedHttpClient, pid: int) -> tuple[float, int, float, float]:
    """Seconds, rows, worker RSS before and its peak while the export streams."""
    before, peak, done = common.rss_mb([pid])[0], [0.0], threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], common.rss_mb([pid])[0])
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started, lines = time.perf_counter(), 0
    url, body, headers = client.prepare("GET", "/api/v1/opportunities/export")
    with client.http.get(client.base_url + url, headers=headers, stream=True, timeout=120) as r:
        assert r.status_code == 200, r.text[:300]
        for chunk in r.iter_content(65536):
            lines += chunk.count(b"\r\n")
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    return elapsed, lines - 1, before, peak[0]


def seed_export_site(url: str, site_id: int, cards: int) -> None:
    engine = make_engine(url)
    session = make_session_factory(engine)()
    common.seed_opportunities(session, site_id, cards, SystemClock().now())
    session.commit()
    session.close()
    engine.dispose()


def measure(result, rows: int = 10_000, cards: int = 50_000):
    """Import `rows` CSV rows through one gunicorn worker, then export `cards` cards."""
    url = common.fresh_database("postgres")
    try:
        importer = common.new_site(url, "Import site")
        exporter = common.new_site(url, "Export site")
        seed_export_site(url, exporter.site_id, cards)
        parts = slices(csv_rows(rows))
        with common.api_server(result, url, 1) as server:
            client = SignedHttpClient(server.url, importer)
            elapsed, created = api_import(client, parts)
            pid, reader = server.worker_pids()[0], SignedHttpClient(server.url, exporter)
            export(reader, pid)  # warm up: first-use allocations are not per-row memory
            seconds, exported, before, peak = export(reader, pid)
        floor = raw_insert(url, importer.site_id, rows)
    finally:
        common.drop_database(url)
    result.say(
        f"import: {created} rows in {len(parts)} slices in {elapsed:.2f} s = "
        f"{created / elapsed:.0f} rows/s"
    )
    report(result, created, elapsed, floor)
    result.say(f"export: {exported} rows in {seconds:.2f} s = {exported / seconds:.0f} rows/s")
    growth = peak - before
    result.say(
        f"worker RSS {before:.0f} MB before, peak {peak:.0f} MB while streaming "
        f"(+{growth:.0f} MB) vs target <= +20 MB: {common.verdict(growth, 20, False)}"
    )
    result.figure("export", exported / seconds, "rows/s", higher_is_better=True)
    result.figure("worker RSS growth while exporting", growth, "MB", target=20)
    common.rss_figures(result, result.rss_mb[common.AFTER_RUN])
    return result


def report(result, created: int, elapsed: float, floor: float) -> None:
    rate, limit = created / elapsed, TARGET_S * created / TARGET_ROWS
    result.say(f"bare limit (raw executemany of {created} rows): {floor:.0f} rows/s")
    result.say(f"{elapsed:.2f} s vs target <= {limit:g} s: {common.verdict(elapsed, limit, False)}")
    ratio_met = common.verdict(rate / floor, 0.3, True)
    result.say(f"{rate / floor:.2f}x raw vs target >= 0.3x: {ratio_met}")
    result.figure(
        "import",
        rate,
        "rows/s",
        higher_is_better=True,
        floor=floor,
        floor_label="raw insert",
        target=TARGET_ROWS / TARGET_S,
        ratio_target=0.3,
    )


if __name__ == "__main__":
    common.main_for("import", measure, __doc__)
