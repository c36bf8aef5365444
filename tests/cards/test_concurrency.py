"""Races on the real database: duplicate creates and replayed nonces (run on both backends;
PostgreSQL is where transactions truly overlap)."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from service.models import Nonce, Opportunity
from tests.support.api import API

WORKERS = 8


def _race(fn, n=WORKERS):
    """Run fn(i) in n threads released at the same instant; return the results."""
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait(timeout=30)
        return fn(i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def test_parallel_duplicate_creates_make_exactly_one(app, client, session):
    body = {"source_url": "https://race.example/p", "target_url": "https://a.example/"}
    for _round in range(3):
        body["source_url"] += "x"
        clients = [
            client.__class__(app.test_client(), client.key, client.clock) for _ in range(WORKERS)
        ]
        results = _race(lambda i, cs=clients: cs[i].post(f"{API}/opportunities", json=body))
        codes = sorted(r.status_code for r in results)
        assert codes == [201] + [409] * (WORKERS - 1), [r.get_json() for r in results]
        created = next(r.json["id"] for r in results if r.status_code == 201)
        assert {r.json["id"] for r in results if r.status_code == 409} == {created}
        count = session.scalar(
            select(func.count())
            .select_from(Opportunity)
            .where(Opportunity.source_url == body["source_url"])
        )
        session.rollback()
        assert count == 1
    positions = [c["position"] for c in client.get(f"{API}/board").json["columns"]["new"]]
    assert positions == [0, 1, 2]


def test_parallel_replays_of_one_signed_request_accept_exactly_one(app, client, session):
    payload = json.dumps({"source_url": "https://replay-race.example/"}).encode()
    headers = client.headers_for("POST", f"{API}/opportunities", body=payload)
    headers["Content-Type"] = "application/json"
    clients = [app.test_client() for _ in range(WORKERS)]
    results = _race(
        lambda i: clients[i].post(f"{API}/opportunities", data=payload, headers=headers)
    )
    codes = sorted(r.status_code for r in results)
    assert codes == [201] + [401] * (WORKERS - 1), [r.get_json() for r in results]
    assert all("replay" in r.json["message"].lower() for r in results if r.status_code == 401)
    assert session.scalar(select(func.count()).select_from(Opportunity)) == 1
    assert (
        session.scalar(
            select(func.count())
            .select_from(Nonce)
            .where(Nonce.nonce == headers["X-Outreach-Nonce"])
        )
        == 1
    )
    session.rollback()


def _cards(client, prefix: str) -> list[int]:
    """WORKERS new cards, one page each."""
    new = [{"source_url": f"https://{prefix}{i}.example/"} for i in range(WORKERS)]
    return [client.post(f"{API}/opportunities", json=body).json["id"] for body in new]


def _clients(app, client) -> list:
    """A signed client of the same site per racing thread (each its own test client)."""
    return [client.__class__(app.test_client(), client.key, client.clock) for _ in range(WORKERS)]


def test_parallel_replays_of_a_read(app, client):
    headers = client.headers_for("GET", f"{API}/board")
    clients = [app.test_client() for _ in range(WORKERS)]
    results = _race(lambda i: clients[i].get(f"{API}/board", headers=headers))
    assert sorted(r.status_code for r in results) == [200] + [401] * (WORKERS - 1)


def test_parallel_moves_into_one_column_keep_distinct_positions(app, client):
    ids = _cards(client, "m")
    clients = _clients(app, client)
    results = _race(
        lambda i: clients[i].post(f"{API}/opportunities/{ids[i]}/move", json={"status": "won"})
    )
    assert all(r.status_code == 200 for r in results), [r.get_json() for r in results]
    board = client.get(f"{API}/board").json
    assert sorted(c["id"] for c in board["columns"]["won"]) == sorted(ids)
    assert [c["position"] for c in board["columns"]["won"]] == list(range(WORKERS))
    assert board["columns"]["new"] == []


def test_parallel_creates_get_distinct_positions(app, client):
    clients = _clients(app, client)
    results = _race(
        lambda i: clients[i].post(
            f"{API}/opportunities", json={"source_url": f"https://c{i}.example/"}
        )
    )
    assert all(r.status_code == 201 for r in results)
    cards = client.get(f"{API}/board").json["columns"]["new"]
    assert [c["position"] for c in cards] == list(range(WORKERS))


def test_parallel_patches_to_the_same_urls_make_one_winner(app, client):
    ids = _cards(client, "p")
    clients = _clients(app, client)
    target = {"source_url": "https://same.example/"}
    results = _race(lambda i: clients[i].patch(f"{API}/opportunities/{ids[i]}", json=target))
    codes = sorted(r.status_code for r in results)
    assert codes == [200] + [409] * (WORKERS - 1), [r.get_json() for r in results]
    winner = next(ids[i] for i, r in enumerate(results) if r.status_code == 200)
    assert {r.json["id"] for r in results if r.status_code == 409} == {winner}
