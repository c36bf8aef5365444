"""Projects (one client's campaign inside a site) and their share links (docs/api.md §19)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime


class Project(Base):
    """A group of a site's cards: one client, one target domain, a colour on the board."""

    __tablename__ = "projects"
    __table_args__ = (sa.UniqueConstraint("site_id", "name", name="uq_projects_site_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    client: Mapped[str | None] = mapped_column(sa.String(200))
    target_domain: Mapped[str | None] = mapped_column(sa.String(253))
    color: Mapped[str] = mapped_column(sa.String(7), default="#2271b1")
    archived: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ProjectShare(Base):
    """A read-only report link: only the SHA-256 of its token is kept (a leaked database
    opens no report), revoked by setting `revoked_at`."""

    __tablename__ = "project_shares"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
