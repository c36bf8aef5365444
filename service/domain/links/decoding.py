"""A page's Content-Encoding, decoded in bounded steps.

httpx inflates a whole wire chunk at once: 841 bytes of brotli became 3.1 GiB before the
size cap could look (issue 21). Here each step yields at most STEP bytes (zlib's
`max_length`, brotli's `output_buffer_limit`), so the caller's cap on decoded bytes holds
memory to the cap plus one step. One encoding is read: stacked ones (`gzip, gzip`) serve
no page and only multiply a bomb, so they are refused, as are codings never asked for.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import brotli

STEP = 64 * 1024  # the most one decoding step yields


class Undecodable(ValueError):
    """The body cannot or must not be decoded; the message says why."""


class _Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        yield data


class _Zlib:
    """gzip (wbits 16 + 15) or deflate (zlib-wrapped, or raw as some servers send it)."""

    def __init__(self, name: str, wbits: int):
        self.name, self.wbits, self.started = name, wbits, False
        self.inflate = zlib.decompressobj(wbits)

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            yield from self._feed(data)
        except zlib.error as exc:
            if self.name != "deflate" or self.started or self.wbits < 0:
                raise Undecodable(f"body does not decode as {self.name} ({exc})") from None
            self.wbits, self.inflate = -zlib.MAX_WBITS, zlib.decompressobj(-zlib.MAX_WBITS)
            yield from self.feed(data)

    def _feed(self, data: bytes) -> Iterator[bytes]:
        while not self.inflate.eof:  # after the end, trailing bytes are ignored
            out = self.inflate.decompress(data, STEP)
            if out:
                self.started = True
                yield out
            data = self.inflate.unconsumed_tail
            if not data and len(out) < STEP:
                return


class _Brotli:
    def __init__(self):
        self.decompressor = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            while not self.decompressor.is_finished():
                out = self.decompressor.process(data, output_buffer_limit=STEP)
                data = b""  # more output may be pending: ask again with no input
                if out:
                    yield out
                if not out or self.decompressor.can_accept_more_data():
                    return
        except brotli.error as exc:
            raise Undecodable(f"body does not decode as br ({exc})") from None


def decoder_for(content_encoding: str | None):
    """A decoder with `feed(bytes) -> Iterator[bytes]` for a Content-Encoding header."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
    codings = [c for c in codings if c and c != "identity"]
    if len(codings) > 1:
        raise Undecodable(f"refused: stacked Content-Encoding {', '.join(codings)[:100]}")
    coding = codings[0] if codings else "identity"
    if coding in ("gzip", "x-gzip"):
        return _Zlib("gzip", zlib.MAX_WBITS | 16)
    if coding == "deflate":
        return _Zlib("deflate", zlib.MAX_WBITS)
    if coding == "br":
        return _Brotli()
    if coding == "identity":
        return _Identity()
    raise Undecodable(f"unsupported Content-Encoding {coding[:50]!r}")
