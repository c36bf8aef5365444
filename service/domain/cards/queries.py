"""Reading cards: one card, search, the opportunity list, the kanban itself, and the
summary of its sequence each card shows."""

from __future__ import annotations

from sqlalchemy import DateTime, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from service.db import UTCDateTime
from service.domain.cards.board_filters import PLAIN, BoardQuery, conditions, sort_columns
from service.domain.cards.duplicates import same_page
from service.domain.cards.fields import CARD_FIELDS, METRIC_COLUMNS, METRIC_KEYS
from service.domain.errors import require
from service.models import Enrollment, Opportunity, Sequence, SequenceStep, Site
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


def live(site: Site, status: str | None = None, q: str | None = None, view: BoardQuery = PLAIN):
    """The site's cards still on the board, optionally of one column, matching `q` and
    the filters of `view`."""
    query = select(Opportunity).where(
        Opportunity.site_id == site.id, Opportunity.deleted_at.is_(None)
    )
    if status:
        query = query.where(Opportunity.status == status)
    condition = _search(q)
    query = query if condition is None else query.where(condition)
    filters = conditions(Opportunity.__table__, view.shape())
    return query.where(*filters).params(view.params()) if filters else query


def newest_page(session: Session, query, page: int, page_size: int) -> tuple[list, int]:
    """One page of the cards `query` selects, newest first, and the total count."""
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    items = session.scalars(
        query.order_by(Opportunity.created_at.desc(), Opportunity.id.desc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    return list(items), total or 0


# The columns of a card row: CARD_FIELDS but `metrics`, then the metric columns (card_of
# folds them into `metrics`, the payload's last key as it always was).
PLAIN_NAMES = tuple(name for name in CARD_FIELDS if name != "metrics")
ROW_NAMES = (*PLAIN_NAMES, *METRIC_COLUMNS)
_METRICS = (len(PLAIN_NAMES), len(ROW_NAMES))  # where a row's metric columns are
_METRIC_KEYS = tuple(METRIC_KEYS)  # in METRIC_COLUMNS' order


def card_columns(table=None):
    """ROW_NAMES as columns (datetimes naive UTC: see board_cards); table columns when a
    table is given (a Core statement), else the ORM attributes."""
    source = Opportunity if table is None else table.c
    return [
        type_coerce(column, DateTime()) if isinstance(column.type, UTCDateTime) else column
        for column in (getattr(source, name) for name in ROW_NAMES)
    ]


def _card_builder():
    """card_of: one dict display over the row's positions, generated from the names once.

    5,000 cards are a third of the board's CPU: two dict(zip()) calls took ~15 ms for them
    (an iterator step and a dict resize per few keys), the display ~10 ms.
    """
    plain = ", ".join(f"{name!r}: row[{i}]" for i, name in enumerate(PLAIN_NAMES))
    metrics = ", ".join(f"{key!r}: row[{_METRICS[0] + i}]" for i, key in enumerate(_METRIC_KEYS))
    # Our own field names (CARD_FIELDS, METRIC_KEYS), as namedtuple builds its classes.
    build = eval(f"lambda row: {{{plain}, 'metrics': {{{metrics}}}}}")  # noqa: S307
    build.__doc__ = "The card payload of a row of card_columns() (its first ROW_NAMES)."
    return build


card_of = _card_builder()


def card_query(site: Site, view: BoardQuery):
    """SELECT of CARD_FIELDS of the live cards the view shows."""
    return live(site, None, view.q, view).with_only_columns(*card_columns())


def board_cards(session: Session, site: Site, view: BoardQuery, sequences: dict) -> dict:
    """The kanban as plain dicts of card fields, each with its sequence summary from
    `sequences` (by card id): the hot path for sites with many cards.

    Datetimes come back naive UTC, straight from the driver: converting 20,000 of them to
    aware values one Python call at a time was a quarter of the board's time; the caller
    serialises them as UTC (orjson OPT_NAIVE_UTC).
    """
    query = card_query(site, view)
    columns: dict[str, list] = {s: [] for s in STATUSES}
    # Through the connection, fetched at once: plain rows, without the ORM's per-row
    # processing or a fetch call per row.
    rows = session.connection().execute(
        query.order_by(Opportunity.status, Opportunity.position, Opportunity.id)
    )
    for row in rows.all():
        card = card_of(row)
        card["sequence"] = sequences.get(card["id"])  # here: no second pass over 5,000
        columns[card["status"]].append(card)
    return {"columns": columns, "counts": {s: len(c) for s, c in columns.items()}}


def summary_columns():
    """The columns of a card's sequence summary, labelled, for a SELECT joined to
    `enrollments` and `sequences` (summaries() and the board delta's one card query)."""
    # Table columns, not ORM attributes: the statements stay Core (no ORM compile step).
    enrollment, sequence = Enrollment.__table__.c, Sequence.__table__.c
    steps = SequenceStep.__table__
    total_steps = (
        select(func.count())
        .where(steps.c.sequence_id == enrollment.sequence_id)
        .correlate(Enrollment.__table__)
        .scalar_subquery()
    )
    return (
        enrollment.id.label("seq_id"),
        enrollment.sequence_id.label("seq_sequence_id"),
        sequence.name.label("seq_name"),
        enrollment.status.label("seq_status"),
        enrollment.stop_reason.label("seq_stop_reason"),
        enrollment.current_step.label("seq_current_step"),
        total_steps.label("seq_total_steps"),
        enrollment.next_step_at.label("seq_next_step_at"),
        enrollment.last_error.label("seq_last_error"),
    )


SUMMARY_KEYS = (
    "id",
    "sequence_id",
    "name",
    "status",
    "stop_reason",
    "current_step",
    "total_steps",
    "next_step_at",
    "last_error",
)


def summary(values) -> dict | None:
    """A card summary from summary_columns()' values in order (None: no enrollment)."""
    return None if values[0] is None else dict(zip(SUMMARY_KEYS, values, strict=True))


def summaries(session: Session, site: Site, opportunity_ids=None) -> dict[int, dict]:
    """{opportunity_id: card summary of its active or latest enrollment} in one query."""
    latest = select(func.max(Enrollment.id)).where(Enrollment.site_id == site.id)
    if opportunity_ids is not None:
        latest = latest.where(Enrollment.opportunity_id.in_(list(opportunity_ids)))
    latest = latest.group_by(Enrollment.opportunity_id)
    # Columns, not entities: a board with thousands of enrollments pays no ORM identity map.
    rows = session.execute(
        select(Enrollment.opportunity_id, *summary_columns())
        .join(Sequence, Sequence.id == Enrollment.sequence_id)
        .where(Enrollment.id.in_(latest))
    )
    return {row[0]: summary(row[1:]) for row in rows}


def with_sequences(session: Session, site: Site, cards) -> list[Opportunity]:
    """The cards, each with its active or latest enrollment summary (one query for all)."""
    cards = list(cards)
    found = summaries(session, site, [c.id for c in cards]) if cards else {}
    for card in cards:
        card.sequence = found.get(card.id)
    return cards


def full_board(session: Session, site: Site, view: BoardQuery) -> dict:
    """Every live card the view shows by column, in its sort, with its sequence, and the
    counts."""
    board = board_cards(session, site, view, summaries(session, site))
    sort_columns(board["columns"], view.sort)
    return board


def page_of_cards(
    session: Session,
    site: Site,
    status: str | None,
    q: str | None,
    page: int,
    page_size: int,
    source_url: str | None = None,
    project_id: int | None = None,
) -> tuple[list[Opportunity], int]:
    """GET /opportunities: one page of cards with their sequences, and the total; with
    `source_url` the cards for the same page instead (a handful, one page)."""
    if source_url:  # the duplicate check
        items = same_page(session, site, source_url)
        total = len(items)
    else:
        query = live(site, status, q, BoardQuery(project_id=project_id))
        items, total = newest_page(session, query, page, page_size)
    return with_sequences(session, site, items), total
