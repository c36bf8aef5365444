"""What a person does with projects (docs/api.md §19): list, add, read, edit, delete."""

from __future__ import annotations

from datetime import datetime

from service.db.unit_of_work import UnitOfWork
from service.domain.projects import records, report, shares
from service.models import Project, Site


def list_projects(uow: UnitOfWork, site: Site) -> list[Project]:
    """Every project of the site by name, each with its live cards counted by column."""
    return records.listed(uow.session, site)


def get_project(uow: UnitOfWork, site: Site, project_id: int) -> Project:
    return records.with_counts(uow.session, site, [records.get(uow.session, site, project_id)])[0]


def add_project(uow: UnitOfWork, site: Site, values: dict, actor: int, now: datetime) -> Project:
    return uow.run(records.add, site, values, actor, now)


def edit_project(uow: UnitOfWork, site: Site, project_id: int, values: dict, actor: int, now):
    return uow.run(records.edit, site, project_id, values, actor, now)


def delete_project(uow: UnitOfWork, site: Site, project_id: int, actor: int, now) -> None:
    """Delete an empty project (409 while live cards are in it)."""
    uow.run(records.remove, site, project_id, actor, now)


def project_report(uow: UnitOfWork, site: Site, project_id: int, first, last) -> dict:
    """The report of one project over the days [first, last] (docs/api.md §19)."""
    session = uow.session
    project = records.with_counts(session, site, [records.get(session, site, project_id)])[0]
    return report.build(session, site, project, first, last)


def list_shares(uow: UnitOfWork, site: Site, project_id: int):
    return shares.listed(uow.session, site, project_id)


def share_project(uow: UnitOfWork, site: Site, project_id: int, expires_at, actor: int, now):
    """A new read-only link to the report: (the link, its token, shown only now)."""
    return uow.run(shares.create, site, project_id, expires_at, actor, now)


def revoke_share(uow: UnitOfWork, site: Site, project_id: int, share_id: int, actor: int, now):
    uow.run(shares.revoke, site, project_id, share_id, actor, now)


def shared_report(uow: UnitOfWork, token: str, now, days) -> tuple[Site, dict] | None:
    """(site, report) a share token opens, over the days `days(site, project)` gives
    ((first, last)); None for a token that opens nothing (unknown, revoked, expired)."""
    found = shares.opened(uow.session, token, now)
    if found is None:
        return None
    site, project = found
    first, last = days(site, project)
    return site, report.build(uow.session, site, project, first, last)
