"""What a long-lived process gives back to the system after a big answer (glibc malloc).

An API worker that built a 4.6 MB board body (5,000 cards: rows, dicts, the JSON) kept
the freed memory: RSS 95 -> 118 MB for the rest of its life (bench/board.py), because
glibc returns heap pages only from the top of the heap, and by default raises the size at
which it maps big blocks of their own to the largest one ever freed. Both are set here;
on another C library (musl, macOS) these are no-ops and its own policy applies.
"""

from __future__ import annotations

import ctypes
import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Blocks from this size up are mapped on their own and unmapped when freed (glibc's default
# is 128 KiB, but rising with every larger free up to 32 MiB; set, it stays).
MMAP_THRESHOLD = 256 * 1024
# A request or an answer at least this big is followed by a give-back (a collection and
# malloc_trim: a few ms, paid only after the rare big body: the board, an export, an import).
TRIM_AFTER_BYTES = 1024 * 1024
_M_MMAP_THRESHOLD = -3  # <malloc.h>


def _libc():
    try:
        libc = ctypes.CDLL(None)
        return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None
    except OSError:
        return None


_LIBC = _libc()


def keep_big_blocks_mapped() -> None:
    """Fix the mmap threshold (called once a process has started)."""
    if _LIBC is not None:
        _LIBC.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)


@contextmanager
def no_collections() -> Iterator[None]:
    """No garbage collection while a big answer is built (the whole board: 5,000 cards,
    their rows and dicts, ~30 young-generation collections, ~4 ms of a board's ~65 ms of
    CPU). Everything it makes lives until the answer is written, so a collection there
    finds nothing to free; give_back_free_memory() collects once it is written. Only the
    thread that disabled the collector enables it again: nested or concurrent uses leave
    it as the outermost found it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def give_back_free_memory() -> None:
    """Free what only the collector frees (the rows' and results' reference cycles), then
    return free heap pages to the system, wherever they lie in the heap."""
    if _LIBC is not None:
        gc.collect()
        _LIBC.malloc_trim(0)
