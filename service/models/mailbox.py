"""Mailboxes (docs/api.md §15): a site's own SMTP/IMAP accounts, the second channel
beside SendGrid. Secrets are stored sealed (domain/secret_box.py), never in clear."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime

PROVIDERS = ("smtp", "google", "microsoft")
SECURITIES = ("starttls", "tls", "none")  # "none": OUTREACH_ALLOW_INSECURE_MAIL only
MAILBOX_STATUSES = ("active", "paused", "error")


class Mailbox(Base):
    """One account a site sends from (SMTP) and reads replies of (IMAP)."""

    __tablename__ = "mailboxes"
    __table_args__ = (sa.UniqueConstraint("site_id", "email", name="uq_mailboxes_site_email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(sa.String(320))
    from_name: Mapped[str | None] = mapped_column(sa.String(200))
    provider: Mapped[str] = mapped_column(sa.String(16), default="smtp")
    smtp_host: Mapped[str] = mapped_column(sa.String(255))
    smtp_port: Mapped[int] = mapped_column(sa.Integer)
    smtp_security: Mapped[str] = mapped_column(sa.String(16))
    smtp_username: Mapped[str] = mapped_column(sa.String(320))
    imap_host: Mapped[str] = mapped_column(sa.String(255))
    imap_port: Mapped[int] = mapped_column(sa.Integer)
    imap_security: Mapped[str] = mapped_column(sa.String(16))
    imap_username: Mapped[str] = mapped_column(sa.String(320))
    imap_folder: Mapped[str] = mapped_column(sa.String(255), default="INBOX")
    # secret_box.seal(...) of the write-only fields; None: not given.
    password_stored: Mapped[str | None] = mapped_column(sa.String(1000))
    imap_password_stored: Mapped[str | None] = mapped_column(sa.String(1000))
    refresh_token_stored: Mapped[str | None] = mapped_column(sa.String(4000))
    # Bumped whenever a secret or a server changes: pooled connections made with the old
    # ones are closed (service/mail/endpoints.py Login.version).
    credentials_version: Mapped[int] = mapped_column(sa.Integer, default=1)
    daily_limit: Mapped[int] = mapped_column(sa.Integer, default=30)
    ramp_start: Mapped[int] = mapped_column(sa.Integer, default=10)
    ramp_step: Mapped[int] = mapped_column(sa.Integer, default=2)
    # The UTC day of the first send: day 0 of the warm-up ramp (None: never sent).
    first_send_on: Mapped[date | None] = mapped_column(sa.Date)
    save_to_sent: Mapped[bool] = mapped_column(sa.Boolean, default=True, server_default=sa.true())
    # Opens (a pixel) and clicks (links through the service): off unless the site asks.
    track_opens: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    track_clicks: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    status: Mapped[str] = mapped_column(sa.String(16), default="active")
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # IMAP reading: where the last sync stopped (UIDs only compare within one UIDVALIDITY)
    # and the lease of the scheduler process reading it now.
    imap_uidvalidity: Mapped[int | None] = mapped_column(sa.BigInteger)  # 32 bits unsigned
    imap_last_uid: Mapped[int | None] = mapped_column(sa.BigInteger)
    read_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_owner: Mapped[str | None] = mapped_column(sa.String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # IMAP IDLE: the scheduler process holding the one IDLE session on the folder
    # (service/domain/replies/mailbox_watch.py); "-": the server has no IDLE, until then.
    idle_owner: Mapped[str | None] = mapped_column(sa.String(64))
    idle_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
