"""Link monitoring: check history, watched backlinks and the fetch politeness state."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime

LINK_STATUSES = ("unchecked", "live", "nofollow", "missing", "unreachable")
ORIGINS = ("manual", "import", "link_check")


class LinkCheck(Base):
    """One fetch of a page looking for the link: of a card or of a watched backlink."""

    __tablename__ = "link_checks"
    __table_args__ = (
        sa.Index("ix_link_checks_opportunity", "opportunity_id", "id"),
        sa.Index("ix_link_checks_backlink", "backlink_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    opportunity_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("opportunities.id", ondelete="CASCADE")
    )
    backlink_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("backlinks.id", ondelete="CASCADE")
    )
    trigger: Mapped[str] = mapped_column(sa.String(16))  # manual | scheduled
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(sa.String(16))
    http_status: Mapped[int | None] = mapped_column(sa.Integer)
    final_url: Mapped[str | None] = mapped_column(sa.String(2000))
    href: Mapped[str | None] = mapped_column(sa.String(2000))
    anchor_text: Mapped[str | None] = mapped_column(sa.String(500))
    rel: Mapped[str | None] = mapped_column(sa.String(200))
    noindex: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    error: Mapped[str | None] = mapped_column(sa.String(500))
    duration_ms: Mapped[int] = mapped_column(sa.Integer, default=0)


class Backlink(Base):
    """An existing backlink of the site, re-checked so a lost one comes back as a card."""

    __tablename__ = "backlinks"
    __table_args__ = (
        sa.UniqueConstraint("site_id", "dedupe_key"),
        sa.Index("ix_backlinks_due", "checked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    source_url: Mapped[str] = mapped_column(sa.String(2000))
    target_url: Mapped[str | None] = mapped_column(sa.String(2000))
    anchor_text: Mapped[str | None] = mapped_column(sa.String(500))
    dedupe_key: Mapped[str] = mapped_column(sa.String(64))
    status: Mapped[str] = mapped_column(sa.String(16), default="unchecked")
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_live_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lost_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    misses: Mapped[int] = mapped_column(sa.Integer, default=0)  # missing/unreachable in a row
    opportunity_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("opportunities.id", ondelete="SET NULL")
    )
    lease_owner: Mapped[str | None] = mapped_column(sa.String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LinkHost(Base):
    """Politeness per host, shared by every process: when it may next be fetched."""

    __tablename__ = "link_hosts"

    host: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    next_at: Mapped[datetime] = mapped_column(UTCDateTime)
    failures: Mapped[int] = mapped_column(sa.Integer, default=0)  # failed fetches in a row
    backoff_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LinkSlot(Base):
    """One of the few fetches allowed at once across every process (a lease on a row)."""

    __tablename__ = "link_slots"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    holder: Mapped[str | None] = mapped_column(sa.String(64))
    held_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
