"""Opened signing-key secrets, kept a few minutes per process (docs/api.md, signed requests).

A signed request needs its key's secret before the signature can be checked. Reading and
opening it every time cost a round trip and a decryption per request; the secret of a key
id never changes (rotation makes a new key), so the opened secret is kept here with the
sealed value it came from. Revocation stays immediate: every request's nonce insert runs
only while the key is still active and still holds that sealed value
(sites.remember_nonce_for_key), and a miss there drops the entry. Nothing is exposed that
the process does not hold already: its secret box opens every key.
"""

from __future__ import annotations

import threading
import time

TTL_SECONDS = 300.0  # an idle key's secret leaves memory after this
MAX_KEYS = 1024  # a bound on memory whatever key ids callers send (unknown ones never enter)


class KeySecrets:
    """key id -> (sealed secret as stored, opened secret), for TTL_SECONDS."""

    def __init__(self, ttl: float = TTL_SECONDS, size: int = MAX_KEYS):
        self._ttl, self._size = ttl, size
        self._entries: dict[str, tuple[float, str, str]] = {}
        self._lock = threading.Lock()

    def get(self, key_id: str) -> tuple[str, str] | None:
        """(stored, secret) of a key read less than TTL_SECONDS ago, else None."""
        found = self._entries.get(key_id)
        if found is None or found[0] < time.monotonic():
            return None
        return found[1], found[2]

    def put(self, key_id: str, stored: str, secret: str) -> None:
        with self._lock:
            if len(self._entries) >= self._size:
                self._entries.clear()  # rare (more live keys than MAX_KEYS): start afresh
            self._entries[key_id] = (time.monotonic() + self._ttl, stored, secret)

    def drop(self, key_id: str) -> None:
        with self._lock:
            self._entries.pop(key_id, None)
