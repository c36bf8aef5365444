"""GET /opportunities/export: the cards as CSV, streamed in constant memory.

Cards are read in keyset pages of BATCH and sent page by page, so 50,000 cards never
sit in memory at once. The header uses the import's own column names, so a file
exported here imports again unchanged. A cell a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) gets a leading apostrophe, and so
does such a trigger after a `,` or `;` inside a cell; a cell holding a `;` is quoted as
well as one holding a `,`, so Excel in a `;` locale keeps it one cell. The import takes
the apostrophes off again (rows.cell).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from service.domain.cards import queries
from service.domain.cards.board_filters import BoardQuery
from service.domain.cards.fields import CSV_COLUMNS
from service.domain.transfer.rows import FORMULA_AT
from service.models import Opportunity, Site

BATCH = 1000  # cards per read and per chunk sent


def safe(value) -> str:
    """One cell as text a spreadsheet shows rather than evaluates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return FORMULA_AT.sub(r"\1'\2", str(value))


def header() -> str:
    """The CSV header line."""
    return text([CSV_COLUMNS])


def text(rows) -> str:
    """CSV text of some rows (cells made safe), CRLF line ends (RFC 4180)."""
    return "".join(",".join(_quoted(safe(v)) for v in row) + "\r\n" for row in rows)


def _quoted(cell: str) -> str:
    """The cell, in double quotes when it holds a separator (`,` or `;`), a quote or a
    line break (csv's QUOTE_MINIMAL would leave `;` bare)."""
    if any(c in cell for c in ',;"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def batch(session: Session, site: Site, filters: dict, after_id: int):
    """The next BATCH live cards (`filters`: of one column, matching `q`, of one project)
    with an id above `after_id`.

    Keyset pages, oldest card first: each page is a short read transaction of its own, so
    a long download holds no lock (SQLite's only writer slot) and no cursor open between
    chunks, and a card created or moved meanwhile is neither doubled nor lost.
    """
    query = (
        queries.live(
            site,
            filters.get("status"),
            filters.get("q"),
            BoardQuery(project_id=filters.get("project_id")),
        )
        .with_only_columns(*(getattr(Opportunity, c) for c in CSV_COLUMNS))
        .where(Opportunity.id > after_id)
        .order_by(Opportunity.id)
        .limit(BATCH)
    )
    return session.execute(query).all()
