"""Signed tokens that name one email in a public URL (unsubscribe, open pixel, click).

A token is `<email id>.<MAC>`, the MAC an HMAC-SHA256 of the token's scope and id (128 bits
kept) under a key derived from the service's secret key: ids cannot be guessed or
enumerated, and a token of one scope is no token of another.
"""

from __future__ import annotations

import base64
import hashlib
import hmac


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def mac(key: bytes, message: str) -> str:
    return b64(hmac.new(key, message.encode(), hashlib.sha256).digest()[:16])


def same(given: str, wanted: str) -> bool:
    """Constant-time comparison of a MAC given in a URL with the one expected."""
    return hmac.compare_digest(given.encode(), wanted.encode())


def email_id(head: str) -> int | None:
    """The id in a token's first part; None unless it is 1 to 10 ASCII digits."""
    ok = head.isascii() and head.isdigit() and 0 < len(head) <= 10
    return int(head) if ok else None


def make(key: bytes, scope: str, id_: int) -> str:
    """The token naming one email for one scope."""
    return f"{id_}.{mac(key, f'{scope}:{id_}')}"


def read(key: bytes, scope: str, token: str) -> int | None:
    """The email id a token of this scope names, or None when malformed or forged."""
    head, _, given = (token or "").partition(".")
    found = email_id(head)
    if found is None or not same(given, mac(key, f"{scope}:{found}")):
        return None
    return found
