"""Secrets under a passphrase (service/domain/secret_box.py): scrypt costs 32 MiB while it
runs, so threads opening one new secret at once derive its key once, one at a time (a
scheduler's mailbox reader and its IMAP IDLE watcher did it side by side at start)."""

from __future__ import annotations

import hashlib
import threading

from service.domain import secret_box
from service.domain.secret_box import SecretBox
from tests.support.processes import run_threads


def test_threads_opening_one_new_secret_derive_its_key_once(monkeypatch):
    sealed = SecretBox("a passphrase").seal("imap-secret")
    secret_box._derived.cache_clear()  # as in a process that starts and reads it
    real, lock = hashlib.scrypt, threading.Lock()
    seen = {"calls": 0, "running": 0, "most": 0}

    def counted(*args, **kwargs):
        with lock:
            seen["calls"] += 1
            seen["running"] += 1
            seen["most"] = max(seen["most"], seen["running"])
        try:
            return real(*args, **kwargs)  # ~0.1 s: threads released together overlap it
        finally:
            with lock:
                seen["running"] -= 1

    monkeypatch.setattr(hashlib, "scrypt", counted)
    opened = []
    barrier = threading.Barrier(6)

    def open_it():
        box = SecretBox("a passphrase")  # each thread its own box, as reader and watcher
        barrier.wait()
        opened.append(box.open(sealed))

    run_threads(open_it, [()] * 6)
    assert opened == ["imap-secret"] * 6
    assert (seen["calls"], seen["most"]) == (1, 1)
