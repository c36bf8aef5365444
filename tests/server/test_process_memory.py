"""A worker gives back what a big answer took (service/process_memory.py, issue 28)."""

from __future__ import annotations

import subprocess
import sys

from flask import Response

from service import process_memory

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
