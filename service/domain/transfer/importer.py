"""POST /opportunities/import: validate every row, then write the slice set-based.

A slice (≤ 1 MiB) costs a constant number of statements whatever its row count: one
lookup of the cards already on the board for the same pages, one executemany INSERT of
the new cards, one executemany UPDATE of the cards to update, one INSERT of their audit
entries, and the board change log at commit. Duplicates follow the board's definition
(domain/cards/duplicates.py): the same page, however its URL is spelt; inside one
file the first row of a page wins and the later ones are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from service.db.bulk import insert_ignore_logged, one_of
from service.domain import audit, events
from service.domain.cards import changes, project_ref
from service.domain.cards.board import lock_board, next_position
from service.domain.cards.duplicates import dedupe_key, domain_of, source_key
from service.domain.cards.fields import EDITABLE, METRIC_COLUMNS, new_card
from service.domain.transfer import columns as column_names
from service.domain.transfer import csv_text, rows
from service.models import AuditEntry, Opportunity, Site

KEY_CHUNK = 5000  # source keys per lookup: one or two per slice, under every parameter limit
# Fields an import may set on an existing card: the editable ones but the page itself
# (the metrics as their columns).
UPDATABLE = (*(f for f in EDITABLE if f not in ("source_url", "metrics")), *METRIC_COLUMNS)


@dataclass
class Report:
    """The answer: counts, each failed row with its line, and the column mapping."""

    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[dict] = field(default_factory=list)
    columns: dict = field(default_factory=dict)


@dataclass
class Options:
    """The query options of one import request."""

    status: str = "new"
    on_duplicate: str = "skip"
    dry_run: bool = False
    line_offset: int = 0
    project_id: int | None = None  # every row's card goes into this project (§19)
    tool: str | None = None  # the SEO tool the header's metric columns name


def run(
    session: Session, site: Site, raw: bytes, options: Options, actor: int, now: datetime
) -> Report:
    """Import one file or slice; Invalid (nothing written) when the file itself is unusable."""
    project_ref.check(session, site, options.project_id)
    table = csv_text.read(raw)
    mapped = column_names.mapping(table.header)
    report = Report(columns=column_names.described(table.header, _shown(mapped)))
    options.tool = column_names.tool(table.header, mapped)
    fresh = _valid_rows(table, mapped, options, report)
    if not options.dry_run:
        lock_board(session, site)  # positions at the end of each column, no race
    existing = _existing(session, site, list(fresh))
    new, updates = [], []
    for key, (line, values) in fresh.items():
        cards = existing.get(key)
        if not cards:
            new.append((key, values))
        elif options.on_duplicate == "update":
            updates.append((line, values, _best(cards, values)))
        else:
            report.skipped += 1
    changed = _updates(updates, existing, report)
    if options.dry_run:
        report.created, report.updated = len(new), len(changed)
        return report
    created = _insert(session, site, new, actor, now)
    report.created, report.skipped = len(created), report.skipped + len(new) - len(created)
    report.updated = _write_updates(session, changed, now)
    audit.log_many(
        session, site, actor, "opportunity.update", "opportunity",
        [(card.id, diff) for card, _values, diff in changed], now,
    )  # fmt: skip
    changes.mark_cards(session, created + [c.id for c, _, _ in changed], site.id)
    if created:
        events.publish(
            session, events.CardsCreated, site_id=site.id, card_ids=tuple(created), origin="import"
        )
    return report


def _shown(mapped: dict[int, str]) -> dict[int, str]:
    """A domain column feeds source_url: the answer names the field it fills."""
    return {i: "source_url" if f == "source_domain" else f for i, f in mapped.items()}


def _valid_rows(table, mapped, options: Options, report: Report) -> dict[str, tuple]:
    """{source key: (line, values)} of the valid rows, first row of each page only."""
    fresh: dict[str, tuple] = {}
    width = len(table.header)
    for line, cells in table.rows:
        try:
            values = rows.parse(cells, mapped, width)
        except rows.RowError as exc:
            report.errors.append({"line": line + options.line_offset, "message": str(exc)})
            continue
        values.setdefault("status", options.status)
        if options.project_id is not None:
            values["project_id"] = options.project_id
        if options.tool and any(values.get(m) is not None for m in METRIC_COLUMNS):
            values.setdefault("metrics_source", options.tool)
        key = source_key(values["source_url"])
        # Now, while urlsplit's cache still holds this URL: it was just parsed for the key.
        values["domain"] = domain_of(values["source_url"])
        if key in fresh:
            report.skipped += 1
        else:
            fresh[key] = (line + options.line_offset, values)
    return fresh


def _existing(session: Session, site: Site, keys: list[str]) -> dict[str, list]:
    """Live cards of this site for these pages, by source key, oldest first."""
    found: dict[str, list] = {}
    wanted = [Opportunity.id, Opportunity.source_url, Opportunity.source_key]
    wanted += [getattr(Opportunity, f) for f in UPDATABLE]
    for start in range(0, len(keys), KEY_CHUNK):
        for row in session.execute(
            select(*wanted)
            .where(
                Opportunity.site_id == site.id,
                Opportunity.deleted_at.is_(None),
                one_of(session, Opportunity.source_key, keys[start : start + KEY_CHUNK]),
            )
            .order_by(Opportunity.id)
        ):
            found.setdefault(row.source_key, []).append(row)
    return found


def _best(cards: list, values: dict):
    """The card a row updates: the one with the same source URL exactly, else the oldest."""
    return next((c for c in cards if c.source_url == values["source_url"]), cards[0])


def _updates(updates: list, existing: dict, report: Report) -> list:
    """(card, new values, audit diff) of the rows that change a card; refusals reported."""
    changed = []
    for line, values, card in updates:
        target = values.get("target_url", card.target_url)
        twins = existing[source_key(card.source_url)]
        if any(
            c.id != card.id and c.source_url == card.source_url and c.target_url == target
            for c in twins
        ):
            message = "Another card already has this source URL and target URL."
            report.errors.append({"line": line, "message": message})
            continue
        diff = {
            f: [getattr(card, f), values[f]]
            for f in UPDATABLE
            if f in values and values[f] != getattr(card, f)
        }
        if diff:
            changed.append((card, values, diff))
        else:
            report.skipped += 1
    return changed


def _insert(session: Session, site: Site, new: list[tuple], actor: int, now: datetime) -> list[int]:
    """INSERT the new (source key, values) cards at the end of their columns, each with
    its audit entry; the ids of those inserted."""
    tops = {s: next_position(session, site, s) for s in {v["status"] for _, v in new}}
    records = []
    for key, values in new:
        status = values["status"]
        position, values["source_key"] = tops[status], key
        records.append(new_card(site.id, values, position=position, now=now, origin="import"))
        tops[status] += 1
    audit_row = audit.entry(site, actor, "opportunity.import", "opportunity", now)
    return insert_ignore_logged(
        session, Opportunity, records, AuditEntry, audit_row, ("status", "source_url", *UPDATABLE)
    )


def _write_updates(session: Session, changed: list, now: datetime) -> int:
    """One executemany UPDATE of every changed card (unchanged fields keep their value)."""
    if not changed:
        return 0
    table = Opportunity.__table__
    params = []
    for card, values, _diff in changed:
        row = {f"new_{f}": values.get(f, getattr(card, f)) for f in UPDATABLE}
        row["card_id"] = card.id
        row["new_dedupe_key"] = dedupe_key(card.source_url, row["new_target_url"])
        params.append(row)
    stmt = (
        update(table)
        .where(table.c.id == bindparam("card_id"))
        .values({f: bindparam(f"new_{f}") for f in (*UPDATABLE, "dedupe_key")})
        .values(updated_at=now)
    )
    session.execute(stmt, params)
    return len(changed)
