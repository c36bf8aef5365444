"""Compression bombs (issue 21, finding 1): a check of a page whose body inflates to GiBs
is refused as too large, and the checking process stays small.

Each bomb is fetched by a child process (the fetcher alone, no database) that reports its
peak RSS (VmHWM); the child's address space is capped so the old code fails with
MemoryError instead of taking the machine's memory."""

from __future__ import annotations

import gzip
import json
import resource
import subprocess
import sys
import zlib

import brotli
import pytest

from tests.links.pages import send

PEAK_LIMIT_MIB = 200
BOMB_BYTES = 2**30  # what each bomb inflates to

CHILD = """
import json, sys, time
from contextlib import nullcontext
from service.domain.links.fetch import Fetcher

class Gate:  # no pacing: the politeness gate needs a database
    def turn(self, host, deadline):
        return nullcontext()

fetcher = Fetcher(Gate(), allow_private=True, timeout=15)
try:
    page = fetcher.fetch(sys.argv[1], time.monotonic() + 20)
    error = page.error
except MemoryError:
    error = "MemoryError"
status = open("/proc/self/status").read().split("VmHWM:")[1].split()[0]
print(json.dumps({"error": error, "peak_kib": int(status)}))
"""


def _zeros(compressor, total: int, flush) -> bytes:
    """Compress `total` zero bytes in 1 MiB steps (never holding them at once)."""
    block, parts = bytes(2**20), []
    for _ in range(total // len(block)):
        parts.append(compressor(block))
    parts.append(flush())
    return b"".join(parts)


@pytest.fixture(scope="module")
def bombs():
    """Bodies inflating to 1 GiB: brotli, gzip, and gzip of gzip (a few KB on the wire)."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    gzipped = _zeros(deflater.compress, BOMB_BYTES, deflater.flush)
    squeezer = brotli.Compressor(quality=5, lgwin=24)
    br = _zeros(squeezer.process, BOMB_BYTES, squeezer.finish)
    return {
        "br": (br, "br"),
        "gzip": (gzipped, "gzip"),
        "gzip-gzip": (gzip.compress(gzipped, 9), "gzip, gzip"),
    }


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))


def check_in_child(url: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, url],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limit_memory,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    "name,error",
    [
        ("br", "page larger than 5 MiB"),
        ("gzip", "page larger than 5 MiB"),
        ("gzip-gzip", "refused: stacked Content-Encoding gzip, gzip"),
    ],
)
def test_a_bomb_is_refused_and_the_process_stays_small(bombs, pages, name, error):
    body, encoding = bombs[name]
    assert len(body) < 2**20  # small on the wire: the wire cap alone would let it in
    pages.routes["/bomb"] = lambda h: send(h, 200, body, Content_Encoding=encoding)
    result = check_in_child(pages.url("/bomb"))
    print(f"{name}: {len(body):,} bytes -> peak RSS {result['peak_kib'] / 1024:.0f} MiB")
    assert result["error"] == error
    assert result["peak_kib"] < PEAK_LIMIT_MIB * 1024


def test_the_cap_counts_decoded_bytes_in_steps(fetcher, pages):
    """Just over the cap decoded (a small wire size): too large; a deflate body without
    its zlib wrapper, as some servers send it, still decodes."""
    over = zlib.compress(b"<p>" + b"x" * (5 * 2**20), 9)
    pages.routes["/over"] = lambda h: send(h, 200, over, Content_Encoding="deflate")
    raw = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = raw.compress(b'<a href="https://ours.example/">us</a>') + raw.flush()
    pages.routes["/raw"] = lambda h: send(h, 200, body, Content_Encoding="deflate")
    assert fetcher.fetch(pages.url("/over"), 10**9).error == "page larger than 5 MiB"
    assert "ours.example" in fetcher.fetch(pages.url("/raw"), 10**9).text


@pytest.mark.parametrize(
    "encoding,error",
    [
        ("compress", "unsupported Content-Encoding 'compress'"),
        ("br, gzip", "refused: stacked Content-Encoding br, gzip"),
        ("gzip", "body does not decode as gzip"),
    ],
)
def test_other_encodings_are_refused_clearly(fetcher, pages, encoding, error):
    pages.routes["/p"] = lambda h: send(h, 200, b"not compressed", Content_Encoding=encoding)
    page = fetcher.fetch(pages.url("/p"), 10**9)
    assert page.error.startswith(error) and page.text is None
