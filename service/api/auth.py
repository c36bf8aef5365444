"""Signed-request verification and capability checks at the HTTP boundary."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import timedelta

from flask import abort, current_app, g, request
from werkzeug.exceptions import RequestEntityTooLarge

from service import signing
from service.api.context import runtime, uow
from service.config import MAX_BODY_BYTES
from service.db.bulk import is_postgresql
from service.db.unit_of_work import autocommit_read
from service.domain.sites import active_secret, remember_nonce_for_key
from service.models import Site

UNSIGNED_PATHS = {"/api/v1/openapi.json"}
CAPABILITIES = (
    "outreach.view",
    "outreach.edit",
    "outreach.delete",
    "outreach.send",
    "outreach.templates",
    "outreach.sequences",
    "outreach.settings",
)


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


def read_body(limit: int = MAX_BODY_BYTES, what: str = "1 MiB") -> bytes:
    """The raw body, or 413 past `limit` (chunked bodies have no Content-Length to check)."""
    # Werkzeug silently truncates a streamed body at max_content_length; reading one byte
    # more than allowed is how an oversized chunked body is told from one of exactly `limit`.
    request.max_content_length = limit + 1
    try:
        body = request.get_data(cache=True)
    except RequestEntityTooLarge:
        body = None
    if body is None or len(body) > limit:
        abort(413, f"The request body is larger than {what}.")
    return body


def verify_signed_request() -> None:
    """before_request hook: authenticate every /api/v1/ call but the OpenAPI document."""
    if not request.path.startswith("/api/v1/") or request.path in UNSIGNED_PATHS:
        return
    refuse_oversized_body()
    # The request's own session: one pool checkout per request, not one for the signature
    # check and another for the view (teardown closes it, whatever happens here).
    session = uow().session
    # PostgreSQL: each statement of the check commits by itself (no BEGIN/COMMIT round
    # trips). The nonce insert is the only write and must be durable before the view runs
    # anyway; the view's own transaction starts afresh at the default isolation level
    # (a @reads_per_statement view reads on this autocommit connection instead).
    autocommit_read(session)
    marked = _view_marked()
    keep = marked is not None and is_postgresql(session)
    beside = marked.beside if keep else None
    try:
        try:
            proof, site, g.read_beside = _check(session, True, keep, beside)
        except _KeyChanged:  # revoked or re-sealed since its secret was kept: read it again
            proof, site, g.read_beside = _check(session, False, keep, beside)
    except (signing.SignatureError, _KeyChanged) as exc:
        session.rollback()
        abort(401, str(exc) if isinstance(exc, signing.SignatureError) else signing.UNKNOWN_KEY)
    g.signed_site = site  # current_site(): no second query for it
    g.principal = Principal(site.id, proof.key_id, proof.user_id, proof.caps)


class _KeyChanged(Exception):
    """The key was revoked, removed or re-sealed between reading its secret and the nonce."""


@dataclass(frozen=True)
class _Marked:
    beside: object  # now -> (a scalar column correlated to Site, its parameters), or None


def reads_per_statement(*, beside=None):
    """View decorator for a GET that only reads, each statement on its own (no snapshot
    or lock shared between them): on PostgreSQL it runs on the signature check's
    autocommit connection, where other views get a transaction of their own. One pool
    checkout, isolation switch and commit fewer (GET /site: ~8 % of its time).

    `beside(now)`: (a scalar correlated to the site, its parameters) the view needs; on
    PostgreSQL the check's own statement reads it (one round trip fewer), and the view
    finds it with read_beside(); None there means the view reads it itself (SQLite).
    """

    def mark(method):
        method.reads_per_statement = _Marked(beside)
        return method

    return mark


def read_beside():
    """What the signature check read beside the site for this view (None: read it)."""
    return g.get("read_beside")


def _view_marked() -> _Marked | None:
    """How the GET this request goes to is marked with @reads_per_statement (None: not)."""
    if request.method != "GET":
        return None
    view = current_app.view_functions.get(request.endpoint)
    method = getattr(getattr(view, "view_class", None), "get", view)
    return getattr(method, "reads_per_statement", None)


def _check(
    session, kept_secrets: bool, keep_connection: bool, beside=None
) -> tuple[signing.SignedRequest, Site, object]:
    """signing.verify with the key's secret (kept, or read and opened), then the nonce
    recorded while the key is still active: what the request proves, its site, and what
    `beside(now)` reads beside it (None without). The nonce is committed (on PostgreSQL's
    autocommit connection it is already on record when its statement ends:
    `keep_connection` keeps that connection for the view)."""
    rt = runtime()
    secrets, used, found = rt.key_secrets, {}, {}

    def secret_for(key_id: str) -> str | None:
        kept = secrets.get(key_id) if kept_secrets else None
        if kept is None:
            stored = active_secret(session, key_id)
            secret = rt.secret_box.open(stored) if stored is not None else None
            if secret is None:
                return None
            kept = (stored, secret)
            secrets.put(key_id, stored, secret)
        used[key_id] = kept[0]
        return kept[1]

    def remember(key_id: str, nonce: str) -> bool:
        ttl = timedelta(seconds=current_app.config["NONCE_TTL"])
        also = None if beside is None else beside(now)
        outcome = remember_nonce_for_key(session, key_id, used[key_id], nonce, now, ttl, also)
        if outcome is None:
            secrets.drop(key_id)
            raise _KeyChanged(key_id)
        stored, found["site"], found["beside"] = outcome
        if not keep_connection:
            uow().commit()
        return stored

    body, now = read_body(), rt.clock.now()
    proof = signing.verify(
        request.headers,
        request.method,
        raw_path(),
        request.query_string.decode("latin-1"),
        body,
        secret_for=secret_for,
        now=now.timestamp(),
        remember_nonce=remember,
        tolerance=current_app.config["SIGNATURE_TOLERANCE"],
    )
    return proof, found["site"], found["beside"]


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
