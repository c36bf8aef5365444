"""Reading opportunities: one card, search, the opportunity list, and the kanban itself."""

from __future__ import annotations

from sqlalchemy import DateTime, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from service.db import UTCDateTime
from service.domain.errors import require
from service.models import Opportunity, Site
from service.models.opportunity import STATUSES


def get(session: Session, site: Site, opportunity_id: int) -> Opportunity:
    """A live opportunity of this site, or NotFound (deleted and foreign ids alike)."""
    opp = session.scalar(
        select(Opportunity).where(
            Opportunity.id == opportunity_id,
            Opportunity.site_id == site.id,
            Opportunity.deleted_at.is_(None),
        )
    )
    return require(opp, "Opportunity")


def search_pattern(q: str | None) -> str | None:
    """The LIKE pattern (lower case, wildcards escaped) of a search, None for no search."""
    if not q or not q.strip():
        return None
    escaped = q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def matches(pattern):
    """Cards whose URL, anchor or notes contain `pattern` (a string or a bound parameter)."""
    table = Opportunity.__table__
    return or_(
        *(
            func.lower(func.coalesce(col, "")).like(pattern, escape="\\")
            for col in (table.c.source_url, table.c.anchor_text, table.c.notes)
        )
    )


def _search(q: str | None):
    pattern = search_pattern(q)
    return None if pattern is None else matches(pattern)


def live(site: Site, status: str | None = None, q: str | None = None):
    """The site's cards still on the board, optionally of one column and matching `q`."""
    query = select(Opportunity).where(
        Opportunity.site_id == site.id, Opportunity.deleted_at.is_(None)
    )
    if status:
        query = query.where(Opportunity.status == status)
    condition = _search(q)
    return query if condition is None else query.where(condition)


def list_page(
    session: Session, site: Site, status: str | None, q: str | None, page: int, page_size: int
) -> tuple[list[Opportunity], int]:
    """One page of opportunities, newest first, and the total count."""
    query = live(site, status, q)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    items = session.scalars(
        query.order_by(Opportunity.created_at.desc(), Opportunity.id.desc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    return list(items), total or 0


CARD_FIELDS = (
    "id",
    "status",
    "source_url",
    "domain",
    "target_url",
    "anchor_text",
    "contact_email",
    "contact_name",
    "lost_link",
    "notes",
    "position",
    "email_status",
    "emails_sent",
    "last_emailed_at",
    "unread_replies",
    "next_send_at",
    "created_at",
    "updated_at",
    "status_changed_at",
    "origin",
    "link_status",
    "link_checked_at",
    "link_last_live_at",
)


def card_columns(table=None):
    """CARD_FIELDS as columns (datetimes naive UTC: see board_cards); table columns when a
    table is given (a Core statement), else the ORM attributes."""
    source = Opportunity if table is None else table.c
    return [
        type_coerce(column, DateTime()) if isinstance(column.type, UTCDateTime) else column
        for column in (getattr(source, name) for name in CARD_FIELDS)
    ]


def card_query(site: Site, q: str | None):
    """SELECT of CARD_FIELDS of the live cards."""
    return live(site, None, q).with_only_columns(*card_columns())


def board_cards(session: Session, site: Site, q: str | None) -> dict:
    """The kanban as plain dicts of card fields: the hot path for sites with many cards.

    Datetimes come back naive UTC, straight from the driver: converting 20,000 of them to
    aware values one Python call at a time was a quarter of the board's time; the caller
    serialises them as UTC (orjson OPT_NAIVE_UTC).
    """
    query = card_query(site, q)
    columns: dict[str, list] = {s: [] for s in STATUSES}
    for row in session.execute(
        query.order_by(Opportunity.status, Opportunity.position, Opportunity.id)
    ):
        card = dict(zip(CARD_FIELDS, row, strict=True))
        columns[card["status"]].append(card)
    return {"columns": columns, "counts": {s: len(c) for s, c in columns.items()}}
