"""Link opportunities: the cards of the board."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from service.db import ROOM_FOR_UPDATES, Base, UTCDateTime

STATUSES = ("new", "queued", "reached", "won")
# The `metrics` object's keys and the column holding each (docs/api.md §20).
METRIC_KEYS = {
    "dr": "dr",
    "traffic": "traffic",
    "referring_domains": "referring_domains",
    "url_rating": "url_rating",
    "spam_score": "spam_score",
    "source": "metrics_source",
}


class Opportunity(Base):
    """A page that could link to the site."""

    __tablename__ = "opportunities"
    __table_args__ = (
        # dedupe_key is NULL once deleted, so a deleted card never blocks a new one.
        sa.UniqueConstraint("site_id", "dedupe_key"),
        sa.Index("ix_opportunities_board", "site_id", "status", "position"),
        sa.Index("ix_opportunities_source_key", "site_id", "source_key"),
        # Column counts of live cards by an index-only scan (board deltas count every poll).
        sa.Index(
            "ix_opportunities_live_status",
            "site_id",
            "status",
            postgresql_where=sa.text("deleted_at IS NULL"),
            sqlite_where=sa.text("deleted_at IS NULL"),
        ),
        sa.Index("ix_opportunities_link_due", "status", "link_checked_at"),
        # A project's column counts (the board filtered by project, docs/api.md §19).
        sa.Index(
            "ix_opportunities_project",
            "site_id",
            "project_id",
            "status",
            postgresql_where=sa.text("deleted_at IS NULL"),
            sqlite_where=sa.text("deleted_at IS NULL"),
        ),
        ROOM_FOR_UPDATES,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(sa.String(16), default="new")
    source_url: Mapped[str] = mapped_column(sa.String(2000))
    domain: Mapped[str] = mapped_column(sa.String(255))
    target_url: Mapped[str | None] = mapped_column(sa.String(2000))
    anchor_text: Mapped[str | None] = mapped_column(sa.String(500))
    contact_email: Mapped[str | None] = mapped_column(sa.String(320))
    contact_name: Mapped[str | None] = mapped_column(sa.String(200))
    lost_link: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(64))
    # Hash of the normalised source URL: "the same page" for a person
    # (domain/opportunities/duplicates.py).
    source_key: Mapped[str | None] = mapped_column(sa.String(64))
    # Card fields kept current by sending and event ingestion (no per-card query).
    email_status: Mapped[str | None] = mapped_column(sa.String(16))
    emails_sent: Mapped[int] = mapped_column(sa.Integer, default=0)
    last_emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    unread_replies: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    # When its earliest scheduled email goes (null: none waiting); the card shows it.
    next_send_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Link monitoring (domain/links): the last check's verdict and the scheduler's lease.
    origin: Mapped[str] = mapped_column(sa.String(16), default="manual")
    link_status: Mapped[str] = mapped_column(sa.String(16), default="unchecked")
    link_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    link_last_live_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    link_misses: Mapped[int] = mapped_column(sa.Integer, default=0)  # missing/unreachable in a row
    # When the last of those misses was counted: one miss per retry interval (domain/links).
    link_missed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    link_lease_owner: Mapped[str | None] = mapped_column(sa.String(64))
    link_lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The client campaign it belongs to (docs/api.md §19); a project of the same site. No
    # ON DELETE rule: SQLite adds a column's reference only inline, where reflection cannot
    # read one back; deleting a project clears its deleted cards' project_id itself.
    project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("projects.id"))
    # SEO metrics (docs/api.md §20), one column each so the board sorts and filters in SQL;
    # the API shows them as one `metrics` object (METRIC_KEYS).
    dr: Mapped[int | None] = mapped_column(sa.Integer)
    traffic: Mapped[int | None] = mapped_column(sa.BigInteger)
    referring_domains: Mapped[int | None] = mapped_column(sa.BigInteger)
    url_rating: Mapped[int | None] = mapped_column(sa.Integer)
    spam_score: Mapped[int | None] = mapped_column(sa.Integer)
    metrics_source: Mapped[str | None] = mapped_column(sa.String(32))

    @property
    def metrics(self) -> dict:
        """The card's `metrics` object: {dr, traffic, …, source}."""
        return {key: getattr(self, column) for key, column in METRIC_KEYS.items()}
