"""Signed-request verification and capability checks at the HTTP boundary."""
from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import timedelta

from flask import abort, current_app, g, request
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge

from service import signing
from service.api.context import runtime
from service.config import MAX_BODY_BYTES
from service.domain.sites import active_key, purge_nonces
from service.models import Nonce

UNSIGNED_PATHS = {"/api/v1/openapi.json"}
CAPABILITIES = ("outreach.view", "outreach.edit", "outreach.delete", "outreach.send",
                "outreach.templates", "outreach.sequences", "outreach.settings")


@dataclass(frozen=True)
class Principal:
    """Who is calling: the site (from the key), the WordPress user and their caps."""

    site_id: int
    key_id: str
    user_id: int
    caps: frozenset[str]


def raw_path() -> str:
    """The request path exactly as sent (before percent-decoding), without the query."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if raw:
        raw = raw.split("?", 1)[0]
        if raw.startswith(("http://", "https://")):  # absolute-form request target
            raw = "/" + raw.split("/", 3)[3] if raw.count("/") >= 3 else "/"
        return raw
    return request.script_root + request.environ.get("PATH_INFO", "")


def refuse_oversized_body() -> None:
    """413 before the body is read, hashed or parsed."""
    length = request.content_length
    if length is not None and length > MAX_BODY_BYTES:
        abort(413, "The request body is larger than 1 MiB.")


def read_body() -> bytes:
    """The raw body, or 413 past 1 MiB (chunked bodies have no Content-Length to check)."""
    # Werkzeug silently truncates a streamed body at max_content_length; reading one byte
    # more than allowed is how an oversized chunked body is told from one of exactly 1 MiB.
    request.max_content_length = MAX_BODY_BYTES + 1
    try:
        body = request.get_data(cache=True)
    except RequestEntityTooLarge:
        body = None
    if body is None or len(body) > MAX_BODY_BYTES:
        abort(413, "The request body is larger than 1 MiB.")
    return body


def verify_signed_request() -> None:
    """before_request hook: authenticate every /api/v1/ call but the OpenAPI document."""
    if not request.path.startswith("/api/v1/") or request.path in UNSIGNED_PATHS:
        return
    refuse_oversized_body()
    rt = runtime()
    session = rt.session_factory()
    try:
        key_sites: dict[str, int] = {}

        def secret_for(key_id: str) -> str | None:
            key = active_key(session, key_id)
            if key is None:
                return None
            key_sites[key_id] = key.site_id
            return rt.secret_box.open(key.secret_stored)

        body = read_body()
        now = rt.clock.now()
        proof = signing.verify(
            request.headers, request.method, raw_path(),
            request.query_string.decode("latin-1"), body, secret_for=secret_for,
            now=now.timestamp(), remember_nonce=lambda k, n: _remember(session, k, n, now),
            tolerance=current_app.config["SIGNATURE_TOLERANCE"])
    except signing.SignatureError as exc:
        abort(401, str(exc))
    finally:
        session.close()
    g.principal = Principal(key_sites[proof.key_id], proof.key_id, proof.user_id, proof.caps)


def _remember(session, key_id: str, nonce: str, now) -> bool:
    """Store the nonce in its own committed transaction; False if it was already used."""
    ttl = timedelta(seconds=current_app.config["NONCE_TTL"])
    try:
        if random.random() < 0.01:  # amortised purge keeps the table to ~10 minutes of rows
            purge_nonces(session, now - ttl)
        existing = session.query(Nonce.seen_at).filter_by(key_id=key_id, nonce=nonce).first()
        if existing is not None:
            # Inclusive: a nonce seen exactly NONCE_TTL ago may still carry a timestamp
            # inside the window (signed +300 s ahead, replayed 600 s later).
            if existing.seen_at >= now - ttl:
                return False
            session.query(Nonce).filter_by(key_id=key_id, nonce=nonce).delete()
        session.add(Nonce(key_id=key_id, nonce=nonce, seen_at=now))
        session.commit()
        return True
    except IntegrityError:
        session.rollback()
        return False


def requires(capability: str):
    """View decorator: 403 naming the capability unless the signed caps include it."""
    if capability not in CAPABILITIES:
        raise ValueError(f"unknown capability {capability}")

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if capability not in g.principal.caps:
                abort(403, f"This action needs the {capability} capability.")
            return view(*args, **kwargs)

        wrapper.required_capability = capability
        return wrapper

    return decorate
