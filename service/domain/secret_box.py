"""Key secrets at rest: Fernet encryption under the configured (or instance) key.

Stored formats, newest first:
  `fernet:<token>`             the key is a Fernet key (the instance key file is one)
  `fernet:scrypt:<salt>:<token>`  the key is a passphrase, stretched by scrypt with that salt
  `plain:<secret>`             read only, never written: `outreach keys reencrypt` moves it
                               (and "fernet:" rows written under a passphrase before scrypt,
                               read through the old unsalted SHA-256) to the current format
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken

SCRYPT_PREFIX = "fernet:scrypt:"
SCRYPT = {"n": 2**15, "r": 8, "p": 1, "maxmem": 64 * 1024 * 1024, "dklen": 32}


def is_fernet_key(key: str) -> bool:
    """True when `key` is a valid Fernet key (32 url-safe base64 bytes)."""
    try:
        Fernet(key.encode())
    except ValueError:
        return False
    return True


# One derivation at a time: each takes 32 MiB (128 x r x n bytes) while it runs, and the
# threads that open one new secret at once (a scheduler's mailbox reader and its IMAP IDLE
# watcher, at start) would otherwise each derive it, side by side.
_ONE_SCRYPT = threading.Lock()


def _stretched(passphrase: str, salt: bytes) -> Fernet:
    """scrypt is slow on purpose; a process derives each (passphrase, salt) once."""
    with _ONE_SCRYPT:
        return _derived(passphrase, salt)


@lru_cache(maxsize=64)
def _derived(passphrase: str, salt: bytes) -> Fernet:
    raw = hashlib.scrypt(passphrase.encode(), salt=salt, **SCRYPT)
    return Fernet(base64.urlsafe_b64encode(raw))


class SecretBox:
    """Seals new secrets under the current key; opens every format still on record."""

    def __init__(self, encryption_key: str, source: str = "the configured key"):
        if not encryption_key:
            raise ValueError("an encryption key is required (see secret_key.instance_key)")
        self._key = encryption_key
        self.source = source  # where the key came from: a key file's path, or the variable
        self._fernet = Fernet(encryption_key.encode()) if is_fernet_key(encryption_key) else None
        # Signed requests open the same few stored strings again and again; each is
        # immutable (a key's secret never changes), so the clear text is kept per process.
        self.open = lru_cache(maxsize=4096)(self._open)

    def derive(self, purpose: str) -> bytes:
        """A key for another use (signing links), derived from this one: never the key itself."""
        return hmac.new(self._key.encode(), purpose.encode(), hashlib.sha256).digest()

    def seal(self, secret: str) -> str:
        """The stored form of `secret` in the current format."""
        if self._fernet is not None:
            return "fernet:" + self._fernet.encrypt(secret.encode()).decode()
        salt = secrets.token_bytes(16)
        token = _stretched(self._key, salt).encrypt(secret.encode()).decode()
        return f"{SCRYPT_PREFIX}{base64.urlsafe_b64encode(salt).decode()}:{token}"

    def is_current(self, stored: str) -> bool:
        """True when `stored` is already in the format `seal` writes under this key."""
        salted = stored.startswith(SCRYPT_PREFIX)
        return stored.startswith("fernet:") and salted == (self._fernet is None)

    def _open(self, stored: str) -> str | None:
        """The clear secret, or None when this key cannot read it."""
        scheme, _, payload = stored.partition(":")
        if scheme == "plain":
            return payload
        try:
            if stored.startswith(SCRYPT_PREFIX):
                if self._fernet is not None:
                    return None
                salt, _, token = stored.removeprefix(SCRYPT_PREFIX).partition(":")
                return (
                    _stretched(self._key, base64.urlsafe_b64decode(salt))
                    .decrypt(token.encode())
                    .decode()
                )
            if scheme == "fernet":
                return self._legacy_or_current().decrypt(payload.encode()).decode()
        except (InvalidToken, ValueError):
            return None
        return None

    def _legacy_or_current(self) -> Fernet:
        """The Fernet for "fernet:" rows: the key itself, or an old passphrase's SHA-256."""
        if self._fernet is not None:
            return self._fernet
        digest = hashlib.sha256(self._key.encode()).digest()
        return Fernet(base64.urlsafe_b64encode(digest))
