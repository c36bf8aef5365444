"""Cards in and out as CSV: import a file (or a slice of one), export the board."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from datetime import datetime

from sqlalchemy.orm import sessionmaker

from service.db.unit_of_work import UnitOfWork
from service.domain.transfer import exporter, importer
from service.models import Site


def import_csv(
    uow: UnitOfWork,
    site: Site,
    body: bytes,
    options: importer.Options,
    actor: int,
    now: datetime,
) -> importer.Report:
    """Create (or update) cards from CSV rows; a dry run changes nothing (same answer)."""
    with uow:
        report = importer.run(uow.session, site, body, options, actor, now)
        if not options.dry_run:
            uow.commit()
    return report


def export_csv(uow: UnitOfWork, sessions: sessionmaker, site: Site, filters: dict) -> Iterator[str]:
    """The live cards (`filters`: of one column, matching `q`, of one project), oldest
    first, as CSV text chunks.

    The first page is read now, in the caller's unit of work (a database failure is then
    an error answer, not a broken download); each later page is read as the download
    goes, in a unit of work of its own (exporter.batch says why), none left open if the
    client goes away.
    """
    first = exporter.batch(uow.session, site, filters, 0)
    site_id = site.id

    def chunks() -> Iterator[str]:
        yield exporter.header()
        rows = first
        while rows:
            yield exporter.text(rows)
            with closing(UnitOfWork.open(sessions)) as unit:
                owner = unit.session.get(Site, site_id)
                rows = exporter.batch(unit.session, owner, filters, rows[-1].id)

    return chunks()
