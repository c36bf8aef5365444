"""The audit trail: who (WordPress user) did what, when."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime


class AuditEntry(Base):
    """One write by one actor, with the fields it changed."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        sa.Index("ix_audit_site_created", "site_id", "created_at"),
        # A card's activity (GET /audit?opportunity_id=) is one index range per kind.
        sa.Index("ix_audit_site_resource", "site_id", "resource_type", "resource_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.BigInteger)  # WordPress ids are BIGINT UNSIGNED
    action: Mapped[str] = mapped_column(sa.String(64))
    resource_type: Mapped[str] = mapped_column(sa.String(32))
    resource_id: Mapped[str | None] = mapped_column(sa.String(64))
    changes: Mapped[dict | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
