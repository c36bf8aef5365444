"""Deltas under concurrent writers: clock numbers follow commit order, nothing is missed."""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from service.domain.cards import changes as board_changes
from service.models import Opportunity
from tests.support.api import API, create_opp
from tests.support.databases import backend

BOARD = f"{API}/board"
OPPS = f"{API}/opportunities"
STATUSES = ("new", "queued", "reached", "won")


class Follower:
    """A board client that keeps its cards current from deltas only."""

    def __init__(self, client, q=None):
        self.client, self.q = client, q
        body = self._get()
        self.cards = {c["id"]: c for col in body["columns"].values() for c in col}
        self.cursor = body["cursor"]

    def _get(self, **query):
        r = self.client.get(BOARD, query={**({"q": self.q} if self.q else {}), **query})
        assert r.status_code == 200, r.get_json()
        return r.json

    def poll(self) -> None:
        body = self._get(since=self.cursor)
        assert body["full"] is False
        for card in body["cards"]:
            self.cards[card["id"]] = card
        for gone in body["removed"]:
            self.cards.pop(gone, None)
        for pairs in body["order"].values():
            for opp, position in pairs:
                self.cards[opp]["position"] = position
        assert {s: sum(c["status"] == s for c in self.cards.values()) for s in STATUSES} == body[
            "counts"
        ]
        self.cursor = body["cursor"]

    def columns(self) -> dict:
        return {
            s: [
                c["id"]
                for c in sorted(self.cards.values(), key=lambda c: (c["position"], c["id"]))
                if c["status"] == s
            ]
            for s in STATUSES
        }


def _random_writes(client, ids, seed, count=12):
    rng = random.Random(seed)
    for n in range(count):
        card = rng.choice(ids)
        action = rng.choice(("move", "move", "notes", "patch", "create"))
        if action == "move":
            body = {"status": rng.choice(STATUSES)}
            if rng.random() < 0.6:
                body["position"] = rng.randrange(0, 6)
            r = client.post(f"{OPPS}/{card}/move", json=body)
        elif action == "notes":
            r = client.put(f"{OPPS}/{card}/notes", json={"notes": f"n{seed}-{n}"})
        elif action == "patch":
            r = client.patch(f"{OPPS}/{card}", json={"anchor_text": f"a{seed}-{n}"})
        else:
            r = client.post(OPPS, json={"source_url": f"https://w{seed}-{n}.example.org/"})
        assert r.status_code in (200, 201), r.get_json()


@pytest.mark.parametrize("q", [None, "example.org/1"])
def test_a_follower_polling_during_concurrent_writes_ends_equal_to_the_board(app, client, q):
    ids = [create_opp(client, f"https://c{i}.example.org/{i}")["id"] for i in range(12)]
    follower = Follower(client, q)
    writers = 4
    done = threading.Event()

    def poll_until_done():
        while not done.is_set():
            follower.poll()

    clients = [
        client.__class__(app.test_client(), client.key, client.clock) for _ in range(writers)
    ]
    with ThreadPoolExecutor(writers + 1) as pool:
        poller = pool.submit(poll_until_done)
        jobs = [pool.submit(_random_writes, clients[i], ids, i) for i in range(writers)]
        for job in jobs:
            job.result()
        done.set()
        poller.result()
    follower.poll()
    full = follower._get()
    assert follower.columns() == {
        s: [c["id"] for c in cards] for s, cards in full["columns"].items()
    }
    assert follower.cards == {c["id"]: c for col in full["columns"].values() for c in col}


@pytest.mark.skipif(backend() != "postgres", reason="SQLite serialises writers at BEGIN")
def test_a_second_writer_cannot_take_a_number_before_the_first_commits(app, client):
    """The clock row stays locked from the bump to COMMIT: numbers follow commit order."""
    first, second = (create_opp(client, f"https://c{i}.example.org/")["id"] for i in range(2))
    factory = app.extensions["outreach"].session_factory
    with factory() as holder, factory() as late:
        holder.get(Opportunity, first).notes = "first"
        holder.flush()
        board_changes.log_changes(
            holder, holder.info.pop(board_changes.MARKS), datetime.now(UTC)
        )  # number taken, not committed
        late.execute(text("SET LOCAL lock_timeout = '200ms'"))
        late.get(Opportunity, second).notes = "second"
        with pytest.raises(OperationalError, match="lock timeout"):
            late.commit()
        late.rollback()
        holder.commit()
    cursor_after_first = client.get(BOARD).json["cursor"]
    client.put(f"{OPPS}/{second}/notes", json={"notes": "second"})
    body = client.get(BOARD, query={"since": cursor_after_first}).json
    assert [c["id"] for c in body["cards"]] == [second]
