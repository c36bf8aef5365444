"""Access tokens for OAuth mailboxes: a per-process cache, refreshed from the stored
refresh token shortly before they expire (one refresh at a time per mailbox)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from service.mail.oauth import Grant, OAuthClient, refresh

EARLY = 60.0  # a cached token is renewed this long before it expires


class TokenCache:
    """Access tokens per key (mailbox id + credentials version) until shortly before
    they expire; one refresh at a time per key, so a burst of sends makes one call."""

    def __init__(self):
        self._lock = threading.Lock()
        self._tokens: dict[object, tuple[str, float]] = {}
        self._key_locks: dict[object, threading.Lock] = {}

    def get(self, key, fetch: Callable[[], Grant], fresh: bool = False) -> str:
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            found = self._tokens.get(key)
            if found and not fresh and found[1] - EARLY > time.time():
                return found[0]
            grant = fetch()
            self._tokens[key] = (grant.access_token, grant.expires_at)
            return grant.access_token

    def forget(self, key) -> None:
        with self._lock:
            self._tokens.pop(key, None)
            self._key_locks.pop(key, None)


TOKENS = TokenCache()


class AccessTokens:
    """`Login.token` for an OAuth mailbox: cached tokens, refreshed from the stored
    refresh token; `on_rotated(new_refresh_token)` lets the caller store a rotated one."""

    def __init__(
        self,
        client: OAuthClient,
        refresh_token: str,
        key,
        cache: TokenCache = TOKENS,
        on_rotated: Callable[[str], object] | None = None,
    ):
        self.client, self._refresh_token, self.key = client, refresh_token, key
        self.cache, self.on_rotated = cache, on_rotated

    def __call__(self, fresh: bool = False) -> str:
        return self.cache.get(self.key, self._fetch, fresh)

    def _fetch(self) -> Grant:
        grant = refresh(self.client, self._refresh_token)
        if grant.refresh_token and grant.refresh_token != self._refresh_token:
            self._refresh_token = grant.refresh_token
            if self.on_rotated is not None:
                self.on_rotated(grant.refresh_token)
        return grant
