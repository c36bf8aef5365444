"""The board's change log: what a `?since=` delta and the ETag of `GET /board` read."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime


class BoardClock(Base):
    """A site's board version: bumped once by every transaction that changes a card."""

    __tablename__ = "board_clocks"

    site_id: Mapped[int] = mapped_column(
        sa.ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    seq: Mapped[int] = mapped_column(sa.Integer, default=0)
    # Changes up to here were pruned: a cursor older than this gets the whole board.
    pruned_seq: Mapped[int] = mapped_column(sa.Integer, default=0)


class BoardChange(Base):
    """One card (or one column's order) changed by the transaction that took `seq`."""

    __tablename__ = "board_changes"
    __table_args__ = (sa.Index("ix_board_changes_site_seq", "site_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(sa.Integer)
    # A card whose payload changed, or NULL with `status`: that column's order changed.
    opportunity_id: Mapped[int | None] = mapped_column(sa.Integer)
    status: Mapped[str | None] = mapped_column(sa.String(16))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
