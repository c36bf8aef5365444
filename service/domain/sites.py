"""Sites, their keys (rotation, revocation) and settings."""

from __future__ import annotations

import functools
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from service.db.bulk import dialect_insert, is_postgresql
from service.domain import audit, key_check
from service.domain.errors import NotFound, require
from service.domain.secret_box import SecretBox
from service.models import ApiKey, Mailbox, Nonce, Site, WebhookEndpoint

SETTINGS_FIELDS = (
    "name",
    "daily_limit",
    "cooldown_hours",
    "from_email",
    "from_name",
    "reply_to",
    "reply_forward_to",
    "reply_forward_hourly_limit",
    "timezone",
    "link_check_reached_hours",
    "link_check_won_hours",
    "link_lost_after",
    "link_retry_hours",
    "unsubscribe_footer",
    "send_window",
    "bounce_brake_percent",
    "domain_daily_limit",
    "auto_reply_pause_days",
    "honour_unsubscribe_replies",
    "stop_domain_on_reply",
    "hourly_limit",
    "min_spacing_seconds",
    "sending_channel",
)


def create_site(
    session: Session,
    box: SecretBox,
    name: str,
    url: str,
    now: datetime,
    daily_limit: int = 100,
    **settings,
) -> tuple[Site, str, str]:
    """Register a site with its first key; return (site, key_id, secret)."""
    site = Site(
        name=name,
        url=url,
        daily_limit=daily_limit,
        **settings,
        cooldown_hours=24.0,
        timezone="UTC",
        lock_version=0,
        created_at=now,
        updated_at=now,
    )
    session.add(site)
    session.flush()
    key_id, secret = add_key(session, box, site, now)
    return site, key_id, secret


def add_key(session: Session, box: SecretBox, site: Site, now: datetime) -> tuple[str, str]:
    """Create another active key for a site (rotation keeps the old one working)."""
    key_check.verify(session, box)  # never seal a secret the server cannot open
    key_id = "ok_" + secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    session.add(ApiKey(id=key_id, site_id=site.id, secret_stored=box.seal(secret), created_at=now))
    session.flush()
    return key_id, secret


def revoke_key(session: Session, key_id: str, now: datetime) -> ApiKey:
    """Revoke a key at once."""
    key = session.get(ApiKey, key_id)
    if key is None:
        raise NotFound(f"Key {key_id} not found.")
    if key.revoked_at is None:
        key.revoked_at = now
    session.flush()
    return key


def get_site(session: Session, site_id: int) -> Site:
    """Load a site by id or raise NotFound."""
    return require(session.get(Site, site_id), "Site")


def list_sites(session: Session) -> list[tuple[Site, list[ApiKey]]]:
    """Every site with its keys, for the operator's CLI."""
    sites = session.scalars(select(Site).order_by(Site.id)).all()
    keys = session.scalars(select(ApiKey).order_by(ApiKey.created_at)).all()
    return [(s, [k for k in keys if k.site_id == s.id]) for s in sites]


# Built once: compiling these per request cost more CPU than running them.
_ACTIVE_SECRET = select(ApiKey.secret_stored).where(
    ApiKey.id == bindparam("key_id"), ApiKey.revoked_at.is_(None)
)
_NONCE_INSERTS: dict[str, object] = {}
_KEY_STILL_HOLDS = (
    ApiKey.id == bindparam("key_id"),
    ApiKey.revoked_at.is_(None),
    ApiKey.secret_stored == bindparam("stored"),
)
_SITE_OF_ACTIVE_KEY = select(Site).join(ApiKey, ApiKey.site_id == Site.id).where(*_KEY_STILL_HOLDS)


def active_secret(session: Session, key_id: str) -> str | None:
    """The stored (sealed) secret of a key that exists and is not revoked."""
    return session.scalar(_ACTIVE_SECRET, {"key_id": key_id})


def remember_nonce_for_key(
    session: Session,
    key_id: str,
    stored: str,
    nonce: str,
    now: datetime,
    ttl: timedelta,
    beside: tuple | None = None,
) -> tuple[bool, Site, object] | None:
    """Record a signed request's nonce while its key is still active, and load the key's
    site: None when the key was revoked, removed or re-sealed since `stored` was read (a
    caller that kept the opened secret must read it again); else (False for a replay,
    the site, the value of `beside`).

    PostgreSQL: one statement (key check, nonce insert and site in one round trip, so
    a revocation committed before it is always seen), which also reads `beside` (a scalar
    correlated to the site, and its parameters) when given; SQLite: the caller's BEGIN
    IMMEDIATE transaction holds the key check and the insert together, and `beside` is
    not read (None: the caller reads it itself). The caller commits.
    """
    params = {"key_id": key_id, "stored": stored}
    if not is_postgresql(session):
        site = session.scalar(_SITE_OF_ACTIVE_KEY, params)
        if site is None:
            return None
        return remember_nonce(session, key_id, nonce, now, ttl), site, None
    if secrets.randbelow(100) == 0:  # as remember_nonce: keep the table to ~`ttl` of rows
        purge_nonces(session, now - ttl)
    column, extra = beside or (None, {})
    params.update(extra, nonce=nonce, seen_at=now, cutoff=now - ttl)
    row = session.execute(_remember_with_site(column), params).first()
    if row is None:
        return None
    return bool(row[0]), row[1], None if column is None else row[2]


@functools.cache
def _remember_with_site(beside=None):
    """WITH key AS (the active key holding `stored`), nonce AS (INSERT ... ON CONFLICT
    ... RETURNING) SELECT count(nonce), site[, beside]: no row when the key does not hold
    (one statement built per `beside`: a module constant, so a handful at most)."""
    key = select(ApiKey.id, ApiKey.site_id).where(*_KEY_STILL_HOLDS).cte("signing_key")
    table = Nonce.__table__
    row = select(
        key.c.id,
        bindparam("nonce", type_=table.c.nonce.type),
        bindparam("seen_at", type_=table.c.seen_at.type),
    )
    insert = postgresql.insert(table).from_select(["key_id", "nonce", "seen_at"], row)
    stored = _on_replay_keep(insert).cte("stored_nonce")
    was_stored = select(func.count()).select_from(stored).scalar_subquery()
    columns = (was_stored, Site) if beside is None else (was_stored, Site, beside)
    return select(*columns).join_from(key, Site, Site.id == key.c.site_id)


def remember_nonce(
    session: Session, key_id: str, nonce: str, now: datetime, ttl: timedelta
) -> bool:
    """Record a nonce; False if it is already on record within the replay window.

    One statement decides atomically (one round trip): insert, or take over a row older
    than the window; a live row means replay (nothing is returned). Inclusive: a nonce
    seen exactly `ttl` ago may still carry a timestamp inside the window (signed +300 s
    ahead, replayed 600 s later). The caller commits.
    """
    if secrets.randbelow(100) == 0:  # amortised purge keeps the table to ~`ttl` of rows
        purge_nonces(session, now - ttl)
    statement = _nonce_insert(session)
    row = session.execute(
        statement, {"key_id": key_id, "nonce": nonce, "seen_at": now, "cutoff": now - ttl}
    ).first()
    return row is not None


def _nonce_insert(session: Session):
    dialect = "postgresql" if is_postgresql(session) else "sqlite"
    if dialect not in _NONCE_INSERTS:
        table = Nonce.__table__  # Core, not the ORM's bulk-insert path: half the CPU
        stmt = dialect_insert(session, table).values(
            key_id=bindparam("key_id"), nonce=bindparam("nonce"), seen_at=bindparam("seen_at")
        )
        _NONCE_INSERTS[dialect] = _on_replay_keep(stmt)
    return _NONCE_INSERTS[dialect]


def _on_replay_keep(insert):
    """The nonce insert's conflict rule: take over a row older than the window (`cutoff`),
    keep a live one (a replay: nothing returned)."""
    table = Nonce.__table__
    return insert.on_conflict_do_update(
        index_elements=[table.c.key_id, table.c.nonce],
        set_={"seen_at": insert.excluded.seen_at},
        where=table.c.seen_at < bindparam("cutoff"),
    ).returning(table.c.id)


def update_settings(session: Session, site: Site, values: dict, actor: int, now: datetime) -> Site:
    """Change a site's settings and audit what changed."""
    changed = audit.apply_changes(site, {k: v for k, v in values.items() if k in SETTINGS_FIELDS})
    if changed:
        site.updated_at = now
        audit.log(session, site, actor, "site.update", "site", site.id, changed, now)
    session.flush()
    return site


def reencrypt_keys(
    session: Session, box: SecretBox, old_box: SecretBox | None = None
) -> tuple[int, list[str]]:
    """Rewrite every stored secret that is not sealed under `box` in its current format.

    `old_box` reads rows sealed under a previous key (rotation). Every sealed secret moves:
    signing keys, outbound webhook secrets and mailbox secrets (the key check follows them,
    so a secret left behind would be unreadable). Returns how many rows were rewritten and
    the ids of those neither box can read (left as they are; webhooks as `webhook <id>`,
    mailboxes as `mailbox <id> <field>`).
    """
    rewritten, unreadable = 0, []
    for name, row, column in _sealed(session):
        stored = getattr(row, column)
        secret = box.open(stored)
        if secret is not None and box.is_current(stored):
            continue
        if secret is None and old_box is not None:
            secret = old_box.open(stored)
        if secret is None:
            unreadable.append(name)
            continue
        setattr(row, column, box.seal(secret))
        rewritten += 1
    if not unreadable:  # every secret is under `box` now: its key is the database's
        key_check.record(session, box)
    session.flush()
    return rewritten, unreadable


def _sealed(session: Session):
    """(name, row, column) of every sealed secret: keys, webhooks, mailboxes."""
    for key in session.scalars(select(ApiKey).order_by(ApiKey.id)):
        yield key.id, key, "secret_stored"
    for hook in session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)):
        yield f"webhook {hook.id}", hook, "secret_stored"
    for mailbox in session.scalars(select(Mailbox).order_by(Mailbox.id)):
        for column in ("password_stored", "imap_password_stored", "refresh_token_stored"):
            if getattr(mailbox, column):
                yield f"mailbox {mailbox.id} {column.removesuffix('_stored')}", mailbox, column


def purge_nonces(session: Session, older_than: datetime) -> int:
    """Delete nonces past the replay window; returns how many went."""
    result = session.execute(delete(Nonce).where(Nonce.seen_at < older_than))
    return result.rowcount or 0
