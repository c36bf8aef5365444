"""GET /opportunities/export: the cards as CSV, streamed in constant memory.

Rows come from a server-side cursor (yield_per) and leave in chunks, so 50,000 cards
never sit in memory at once. The header uses the import's own column names, so a file
exported here imports again unchanged. A cell a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) gets a leading apostrophe; the
import takes it off again (rows.cell).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy.orm import Session

from service.domain.opportunities import queries
from service.domain.transfer.rows import FORMULA_STARTS
from service.models import Opportunity, Site

COLUMNS = tuple(
    name
    for name in (
        "source_url",
        "target_url",
        "anchor_text",
        "contact_email",
        "contact_name",
        "notes",
        "status",
        "lost_link",
        "domain",
        "email_status",
        "emails_sent",
        "last_emailed_at",
        "created_at",
        "updated_at",
        "id",
    )
    if hasattr(Opportunity, name)
)
BATCH = 1000  # rows per fetch and per chunk sent


def safe(value) -> str:
    """One cell as text a spreadsheet shows rather than evaluates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def lines(session: Session, site: Site, status: str | None, q: str | None) -> Iterator[str]:
    """The CSV text in chunks: a header, then the live cards in board order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    query = (
        queries.live(site, status, q)
        .with_only_columns(*(getattr(Opportunity, c) for c in COLUMNS))
        .order_by(Opportunity.status, Opportunity.position, Opportunity.id)
        .execution_options(yield_per=BATCH)
    )
    for partition in session.execute(query).partitions():
        writer.writerows([safe(v) for v in row] for row in partition)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
