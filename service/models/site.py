"""Sites (tenants), their API keys and the shared nonce replay store."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime

# The default of docs/api.md (deliverability); deliverability/windows.py reads it.
DEFAULT_SEND_WINDOW = {"enabled": False, "days": [1, 2, 3, 4, 5], "start": "09:00", "end": "17:00"}


class Site(Base):
    """One WordPress install; every resource belongs to exactly one site."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    url: Mapped[str] = mapped_column(sa.String(2000))
    daily_limit: Mapped[int] = mapped_column(sa.Integer, default=100)
    cooldown_hours: Mapped[float] = mapped_column(sa.Float, default=24.0)
    from_email: Mapped[str | None] = mapped_column(sa.String(320))
    from_name: Mapped[str | None] = mapped_column(sa.String(200))
    reply_to: Mapped[str | None] = mapped_column(sa.String(320))
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    reply_forward_to: Mapped[str | None] = mapped_column(sa.String(320))
    # "sendgrid" | "mailboxes" (docs/api.md §15); None: SendGrid when it is configured,
    # else the site's mailboxes when it has one.
    sending_channel: Mapped[str | None] = mapped_column(sa.String(16))
    # Forwards of replies per hour (an outsider's mail must not make us send without bound).
    reply_forward_hourly_limit: Mapped[int] = mapped_column(
        sa.Integer, default=20, server_default="20"
    )
    # Link monitoring intervals (hours, 0 = off) and the lost-link rule.
    link_check_reached_hours: Mapped[float] = mapped_column(sa.Float, default=24.0)
    link_check_won_hours: Mapped[float] = mapped_column(sa.Float, default=168.0)
    link_lost_after: Mapped[int] = mapped_column(sa.Integer, default=2)
    link_retry_hours: Mapped[float] = mapped_column(sa.Float, default=1.0)
    # Deliverability (domain/deliverability): footer, window, brake, recipient-domain cap.
    unsubscribe_footer: Mapped[bool] = mapped_column(
        sa.Boolean, default=True, server_default=sa.true()
    )
    send_window: Mapped[dict | None] = mapped_column(
        sa.JSON, default=lambda: dict(DEFAULT_SEND_WINDOW)
    )
    bounce_brake_percent: Mapped[int] = mapped_column(sa.Integer, default=5, server_default="5")
    domain_daily_limit: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    # Replies understood (docs/api.md §16): how long an auto-reply pauses an enrollment
    # without a readable return date, whether "remove me" lists the address, whether a
    # reply stops the other enrollments at the same company domain.
    auto_reply_pause_days: Mapped[int] = mapped_column(sa.Integer, default=7, server_default="7")
    honour_unsubscribe_replies: Mapped[bool] = mapped_column(
        sa.Boolean, default=True, server_default=sa.true()
    )
    stop_domain_on_reply: Mapped[bool] = mapped_column(
        sa.Boolean, default=True, server_default=sa.true()
    )
    # The sending queue (domain/sending/queue.py): sends per rolling hour (0 = off) and the
    # least time between two sends of the site's sender.
    hourly_limit: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    min_spacing_seconds: Mapped[int] = mapped_column(sa.Integer, default=60, server_default="60")
    paused: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    paused_reason: Mapped[str | None] = mapped_column(sa.Text)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Only emails sent after this count towards the brake (set on resume: a fresh window).
    brake_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bumped by UPDATE to take the site's write lock (limits are reserved under it).
    lock_version: Mapped[int] = mapped_column(sa.Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ApiKey(Base):
    """A signing key of a site; several may be active at once for rotation."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    secret_stored: Mapped[str] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Nonce(Base):
    """A nonce seen with a key; the unique constraint makes replay detection atomic."""

    __tablename__ = "nonces"
    __table_args__ = (sa.UniqueConstraint("key_id", "nonce"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[str] = mapped_column(sa.String(64))
    nonce: Mapped[str] = mapped_column(sa.String(64))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class KeyCheck(Base):
    """One value sealed under the key of this database's secrets, and where that key came
    from (a key file's path, or OUTREACH_SECRET_KEY): domain/key_check.py."""

    __tablename__ = "key_checks"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    sealed: Mapped[str] = mapped_column(sa.String(500))
    key_source: Mapped[str] = mapped_column(sa.String(1000))
