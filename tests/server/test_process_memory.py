"""A worker gives back what a big answer took (service/process_memory.py, issue 28)."""

from __future__ import annotations

import gc
import subprocess
import sys

from flask import Response

from service import process_memory
from service.api import board as board_api
from tests.support.state import saved_cards

# In a fresh interpreter: ~40 MB of 2 KB blocks (a big answer's rows, dict tables and
# strings come from malloc, not from Python's small-object arenas), then one block that
# stays (the heap's top is pinned, as a worker's live objects pin it); drop the 40 MB and
# say the RSS before and after the give-back.
HEAP_GROWS_AND_SHRINKS = """
from service import process_memory
process_memory.keep_big_blocks_mapped()
def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS'):
            return int(line.split()[1]) // 1024
start = rss()
blocks = [bytes(2048 - 33) + i.to_bytes(4, 'big') for i in range(20_000)]
pinned = bytes(4096 - 33)
del blocks
before = rss()
process_memory.give_back_free_memory()
print(start, before, rss())
"""


def test_the_give_back_returns_a_dropped_heap_to_the_system():
    done = subprocess.run(
        [sys.executable, "-c", HEAP_GROWS_AND_SHRINKS], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    start, before, after = map(int, done.stdout.split())
    assert before - start > 30, (start, before)  # the garbage was really there
    assert after - start < 10, (start, before, after)


def test_only_a_big_request_or_answer_is_followed_by_a_give_back(app, monkeypatch):
    calls = []
    monkeypatch.setattr(process_memory, "give_back_free_memory", lambda: calls.append(1))
    big, small = process_memory.TRIM_AFTER_BYTES, 1000
    app.add_url_rule("/big", "big", lambda: Response(b"x" * big))
    app.add_url_rule("/small", "small", lambda: Response(b"x" * small))
    client = app.test_client()
    client.get("/small").close()
    assert calls == []
    client.get("/big").close()
    assert calls == [1]
    client.post("/small", data=b"y" * big).close()  # a big upload (405: still read)
    assert calls == [1, 1]


def test_the_whole_board_is_built_without_a_collection(
    client, session, site_key, clock, monkeypatch
):
    """~2,000 cards make ~14 young-generation collections while the board is read and
    built, each finding nothing to free (all of it lives until the answer is written):
    none runs, and the collector is on again afterwards."""
    saved_cards(session, site_key.site_id, 2000, "gc", clock.now())
    session.commit()
    starts, during = [], []
    read_board = board_api.cards.read_board

    def counted(*args):
        before = len(starts)
        answer = read_board(*args)
        during.append(len(starts) - before)
        return answer

    def count(phase, _info):
        if phase == "start":
            starts.append(1)

    monkeypatch.setattr(board_api.cards, "read_board", counted)
    gc.callbacks.append(count)
    try:
        assert client.get("/api/v1/board").status_code == 200
        assert client.get("/api/v1/board", query={"q": "gc1"}).status_code == 200
    finally:
        gc.callbacks.remove(count)
    assert during == [0, 0]
    assert gc.isenabled()


def test_no_collections_leaves_the_collector_as_the_outermost_found_it():
    with process_memory.no_collections():
        assert not gc.isenabled()
        with process_memory.no_collections():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with process_memory.no_collections():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
