"""Saved board views (docs/api.md §20): a name and a board query, per WordPress user."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime


class SavedView(Base):
    """One person's named board view: the search, filters and sort to apply."""

    __tablename__ = "saved_views"
    __table_args__ = (
        sa.UniqueConstraint("site_id", "user_id", "name", name="uq_saved_views_site_user_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    # The WordPress user the bridge signs for (ids are BIGINT UNSIGNED there).
    user_id: Mapped[int] = mapped_column(sa.BigInteger)
    name: Mapped[str] = mapped_column(sa.String(100))
    query: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
