"""Every field of a card, declared once: kind, limits, label, default, whether a person sets it.

Derived from this table: the API's card schemas and so the card's limits in
schemas/openapi.json (service/api/card_schemas.py; the bridge's REST arguments and form
limits are generated from that file), the board's card payload (CARD_FIELDS), what create,
PATCH and CSV import may set (EDITABLE), a new card's values (new_card), the importer's
row checks (transfer/rows.py) and the export's columns (CSV_COLUMNS). The column itself is
in service/models/opportunity.py; docs/architecture.md lists the steps of adding a field.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.domain.cards.duplicates import dedupe_key, domain_of, source_key
from service.models.opportunity import METRIC_KEYS


@dataclass(frozen=True)
class CardField:
    """One field of the card payload."""

    name: str
    kind: str = "text"  # text | url | email | status | bool | int | datetime | metrics
    label: str = ""  # what a person calls it, in plain error sentences
    max_length: int | None = None
    editable: bool = False  # a person sets it (create, PATCH, import)
    required: bool = False  # on create
    nullable: bool = False  # may be null (for an editable field: may be cleared)
    default: object = None  # on a new card (and create's value when it is left out)
    one_line: bool = False  # it can reach a mail header: no line breaks
    description: str | None = None  # for the OpenAPI document


FIELDS = (
    CardField("id", "int"),
    CardField("status", "status", "Status", default="new"),
    CardField("source_url", "url", "Source URL", 2000, editable=True, required=True),
    CardField("domain"),
    CardField("target_url", "url", "Target URL", 2000, editable=True, nullable=True),
    CardField("anchor_text", "text", "Anchor text", 500, editable=True, nullable=True),
    CardField("contact_email", "email", "Contact email", 320, editable=True, nullable=True),
    CardField(
        "contact_name", "text", "Contact name", 200, editable=True, nullable=True, one_line=True
    ),
    CardField("lost_link", "bool", "Lost link", editable=True, default=False),
    CardField(
        "metrics",
        "metrics",
        "SEO metrics",
        editable=True,
        nullable=True,
        description="SEO metrics (docs/api.md §20): numbers or null, `source` the tool they "
        "came from. PATCH changes the keys it gives (null clears one); null clears all.",
    ),
    CardField("notes", "text", "Notes", 20000, editable=True, nullable=True, default=""),
    CardField(
        "project_id",
        "int",
        "Project",
        editable=True,
        nullable=True,
        description="The project (docs/api.md §19) it belongs to: null, or a project of its site "
        "(another id is a 422).",
    ),
    CardField(
        "position",
        "int",
        description="Order inside its column, ascending. A send that moves a card to Reached "
        "leaves a gap in its old column (the next move or delete there renumbers it 0..n-1).",
    ),
    CardField("email_status", nullable=True),
    CardField("emails_sent", "int", default=0),
    CardField("last_emailed_at", "datetime", nullable=True),
    CardField("unread_replies", "int"),
    CardField(
        "next_send_at",
        "datetime",
        nullable=True,
        description="When its earliest scheduled email goes (null: none).",
    ),
    CardField("link_status", description="unchecked, live, nofollow, missing or unreachable."),
    CardField("link_checked_at", "datetime", nullable=True),
    CardField(
        "link_last_live_at",
        "datetime",
        nullable=True,
        description="The last check that found the link (live or nofollow).",
    ),
    CardField("origin", description="manual, import, or link_check (a Lost Link card)."),
    CardField("created_at", "datetime"),
    CardField("updated_at", "datetime"),
    CardField("status_changed_at", "datetime"),
)
BY_NAME = {f.name: f for f in FIELDS}


@dataclass(frozen=True)
class Metric:
    """One number of the `metrics` object: its column, label and upper bound."""

    name: str
    label: str
    maximum: int


METRICS = (
    Metric("dr", "Domain rating", 100),
    Metric("traffic", "Organic traffic", 10**15),
    Metric("referring_domains", "Referring domains", 10**15),
    Metric("url_rating", "URL rating", 100),
    Metric("spam_score", "Spam score", 100),
)
METRIC_SOURCE_LENGTH = 32
# The columns behind `metrics`, as import, export and the board's SELECT name them.
METRIC_COLUMNS = tuple(METRIC_KEYS.values())
CARD_FIELDS = tuple(f.name for f in FIELDS)  # the board's card payload, in this order
EDITABLE = tuple(f.name for f in FIELDS if f.editable)
# The export's columns: what a person fills in first, then what the service keeps.
CSV_COLUMNS = (
    "source_url",
    "target_url",
    "anchor_text",
    "contact_email",
    "contact_name",
    "notes",
    "status",
    "lost_link",
    *METRIC_COLUMNS,
    "origin",
    "link_status",
    "link_checked_at",
    "domain",
    "email_status",
    "emails_sent",
    "last_emailed_at",
    "created_at",
    "updated_at",
    "id",
)
# a renamed field must be renamed here too
assert set(CSV_COLUMNS) <= BY_NAME.keys() | set(METRIC_COLUMNS)
# What a new card takes from its values: `metrics` (an object) or its columns (an import).
SETTABLE = frozenset(("status", *EDITABLE, *METRIC_COLUMNS))
NEW_CARD = {f.name: f.default for f in FIELDS if f.name in SETTABLE and f.kind != "metrics"}
NEW_CARD.update(dict.fromkeys(METRIC_COLUMNS))  # every INSERT row of an import has them all


def metric_values(metrics: dict | None, current: dict | None = None) -> dict:
    """{column: value} of a `metrics` object given to create or PATCH: the keys it gives
    over `current` (the card's metrics now); None clears them all."""
    merged = dict.fromkeys(METRIC_KEYS) if metrics is None else {**(current or {}), **metrics}
    return {column: merged.get(key) for key, column in METRIC_KEYS.items()}


def new_card(site_id: int, values: dict, *, position: int, now, origin: str = "manual") -> dict:
    """The column values of a new card: the given fields (status and the editable ones),
    each field's default for the rest, and what is derived from its URLs. `values` may
    carry `domain` and `source_key` computed already (an import's rows)."""
    card = NEW_CARD.copy()
    card.update((k, v) for k, v in values.items() if v is not None and k in SETTABLE)
    if "metrics" in card:  # an object (create); an import gives the columns themselves
        card.update(metric_values(card.pop("metrics")))
    source = card["source_url"]
    card.update(
        site_id=site_id,
        origin=origin,
        position=position,
        emails_sent=0,
        domain=values.get("domain") or domain_of(source),
        dedupe_key=dedupe_key(source, card["target_url"]),
        source_key=values.get("source_key") or source_key(source),
        created_at=now,
        updated_at=now,
        status_changed_at=now,
    )
    return card
