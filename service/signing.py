"""Request signing (docs/api.md, signed requests): pure code over bytes, strings and a clock."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

VERSION = "v1"
NONCE_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
USER_RE = re.compile(r"^(0|[1-9][0-9]{0,17})$")  # fits a signed 64-bit column
TIMESTAMP_RE = re.compile(r"^-?[0-9]{1,12}$")
CAPS_RE = re.compile(r"^([a-z0-9_.:-]+(,[a-z0-9_.:-]+)*)?$")
SIGNATURE_RE = re.compile(r"^v1=[0-9a-f]{64}$")
UNKNOWN_KEY = "Unknown or revoked key."


class SignatureError(Exception):
    """A request failed a signature check; the message names the check, nothing secret."""


@dataclass(frozen=True)
class SignedRequest:
    """What a verified request proves: which key signed it, for which user and caps."""

    key_id: str
    user_id: int
    caps: frozenset[str]
    timestamp: int
    nonce: str


def body_hash(body: bytes) -> str:
    """Lowercase hex SHA-256 of the raw body bytes."""
    return hashlib.sha256(body).hexdigest()


def string_to_sign(
    method: str,
    path: str,
    query: str,
    timestamp: str,
    nonce: str,
    user: str,
    caps: str,
    body: bytes,
) -> str:
    """The nine lines of the contract, joined by newlines, no trailing newline."""
    return "\n".join(
        [VERSION, method.upper(), path, query, timestamp, nonce, user, caps, body_hash(body)]
    )


def sign(secret: str, message: str) -> str:
    """The `v1=<hex>` signature of a string to sign."""
    mac = hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256)
    return f"{VERSION}={mac.hexdigest()}"


def sign_headers(
    secret: str,
    key_id: str,
    method: str,
    path: str,
    query: str,
    body: bytes,
    *,
    timestamp: int,
    nonce: str,
    user: int = 0,
    caps: str = "",
) -> dict:
    """All X-Outreach-* headers for one request (used by clients and tests)."""
    sts = string_to_sign(method, path, query, str(timestamp), nonce, str(user), caps, body)
    return {
        "X-Outreach-Key": key_id,
        "X-Outreach-Timestamp": str(timestamp),
        "X-Outreach-Nonce": nonce,
        "X-Outreach-User": str(user),
        "X-Outreach-Caps": caps,
        "X-Outreach-Signature": sign(secret, sts),
    }


def _header(
    headers: Mapping[str, str], name: str, pattern: re.Pattern, required: bool = True
) -> str:
    value = headers.get(name)
    if value is None:
        if required:
            raise SignatureError(f"Missing {name} header.")
        value = ""
    if not pattern.match(value):
        raise SignatureError(f"Malformed {name} header.")
    return value


def parse_headers(headers: Mapping[str, str]) -> dict:
    """Validate the header shapes; raise SignatureError naming the first bad one."""
    key_id = headers.get("X-Outreach-Key")
    if not key_id:
        raise SignatureError("Missing X-Outreach-Key header.")
    if len(key_id) > 64 or not key_id.isascii() or not key_id.isprintable():
        raise SignatureError("Malformed X-Outreach-Key header.")
    raw_sigs = headers.get("X-Outreach-Signature")
    if not raw_sigs:
        raise SignatureError("Missing X-Outreach-Signature header.")
    sigs = raw_sigs.split(" ")
    if len(sigs) > 8 or not all(SIGNATURE_RE.match(s) for s in sigs):
        raise SignatureError("Malformed X-Outreach-Signature header.")
    return {
        "key_id": key_id,
        "timestamp": _header(headers, "X-Outreach-Timestamp", TIMESTAMP_RE),
        "nonce": _header(headers, "X-Outreach-Nonce", NONCE_RE),
        "user": _header(headers, "X-Outreach-User", USER_RE),
        "caps": _header(headers, "X-Outreach-Caps", CAPS_RE, required=False),
        "signatures": sigs,
    }


def verify(
    headers: Mapping[str, str],
    method: str,
    path: str,
    query: str,
    body: bytes,
    *,
    secret_for: Callable[[str], str | None],
    now: float,
    remember_nonce: Callable[[str, str], bool],
    tolerance: int = 300,
) -> SignedRequest:
    """Check a request; return what it proves or raise SignatureError.

    `secret_for(key_id)` returns the active secret or None; `remember_nonce(key_id, nonce)`
    stores the nonce and returns False when it was already seen (a replay).
    """
    h = parse_headers(headers)
    secret = secret_for(h["key_id"])
    if secret is None:
        raise SignatureError(UNKNOWN_KEY)
    if abs(now - int(h["timestamp"])) > tolerance:
        raise SignatureError("Timestamp is outside the allowed window of 300 seconds.")
    sts = string_to_sign(
        method, path, query, h["timestamp"], h["nonce"], h["user"], h["caps"], body
    )
    expected = sign(secret, sts).encode("ascii")
    # Compare every offered signature, in constant time each, without early exit.
    matched = False
    for offered in h["signatures"]:
        matched |= hmac.compare_digest(expected, offered.encode("ascii"))
    if not matched:
        raise SignatureError("Signature does not match.")
    # Only a correctly signed request may consume a nonce (no nonce-burning by strangers).
    if not remember_nonce(h["key_id"], h["nonce"]):
        raise SignatureError("Nonce was already used (replay).")
    caps = frozenset(c for c in h["caps"].split(",") if c)
    return SignedRequest(h["key_id"], int(h["user"]), caps, int(h["timestamp"]), h["nonce"])
