"""Watched backlinks: the site's existing links (AlmaSEO's data or an import), re-checked."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from service.db.bulk import insert_ignore
from service.domain.cards.duplicates import dedupe_key
from service.domain.errors import require
from service.models import Backlink, LinkCheck, Site

MAX_BATCH = 1000


def add_many(session: Session, site: Site, items: list[dict], now: datetime) -> tuple[int, int]:
    """Watch these backlinks (first check at once); (created, already watched)."""
    rows = {}
    for item in items:
        key = dedupe_key(item["source_url"], item.get("target_url"))
        rows.setdefault(
            key,
            {
                "site_id": site.id,
                "source_url": item["source_url"],
                "target_url": item.get("target_url"),
                "anchor_text": item.get("anchor_text"),
                "dedupe_key": key,
                "status": "unchecked",
                "misses": 0,
                "created_at": now,
            },
        )
    created = insert_ignore(session, Backlink, list(rows.values()), returning=(Backlink.id,))
    return len(created), len(items) - len(created)


def list_page(
    session: Session, site: Site, status: str | None, page: int, page_size: int
) -> tuple[list[Backlink], int]:
    """The site's watched backlinks, newest first."""
    where = [Backlink.site_id == site.id]
    if status:
        where.append(Backlink.status == status)
    total = session.scalar(select(func.count()).select_from(Backlink).where(*where))
    items = session.scalars(
        select(Backlink)
        .where(*where)
        .order_by(Backlink.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return list(items), total


def remove(session: Session, site: Site, backlink_id: int) -> None:
    """Stop watching a backlink (its check history goes with it)."""
    link = require(
        session.scalar(
            select(Backlink).where(Backlink.id == backlink_id, Backlink.site_id == site.id)
        ),
        "Backlink",
    )
    session.execute(delete(LinkCheck).where(LinkCheck.backlink_id == link.id))
    session.delete(link)
    session.flush()
