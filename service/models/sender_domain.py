"""Domains a site has proved it may send from (docs/api.md §20, sender domains)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime


class SenderDomain(Base):
    """A domain and the TXT token that proves it; `verified_at` set once the record was seen."""

    __tablename__ = "sender_domains"
    __table_args__ = (
        sa.UniqueConstraint("site_id", "domain", name="uq_sender_domains_site_domain"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    domain: Mapped[str] = mapped_column(sa.String(253))  # IDNA (ASCII) form
    token: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
