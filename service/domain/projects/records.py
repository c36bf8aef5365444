"""A site's projects: list (with card counts), add, edit, archive, delete when empty."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.domain import audit
from service.domain.errors import Conflict, require
from service.models import Opportunity, Project, ProjectShare, Site
from service.models.opportunity import STATUSES

MAX_PER_SITE = 500  # a picker in a toolbar, not a registry: bounds what one key can add
EDITABLE = ("name", "client", "target_domain", "color", "archived")


def get(session: Session, site: Site, project_id: int) -> Project:
    """A project of this site, or NotFound (another site's id looks the same)."""
    found = session.scalar(
        select(Project).where(Project.id == project_id, Project.site_id == site.id)
    )
    return require(found, "Project")


def counts(session: Session, site: Site, project_ids=None) -> dict[int, dict]:
    """{project id: {status: live cards}} in one GROUP BY (the Projects screen's counts)."""
    query = (
        select(Opportunity.project_id, Opportunity.status, func.count())
        .where(
            Opportunity.site_id == site.id,
            Opportunity.deleted_at.is_(None),
            Opportunity.project_id.is_not(None),
        )
        .group_by(Opportunity.project_id, Opportunity.status)
    )
    if project_ids is not None:
        query = query.where(Opportunity.project_id.in_(list(project_ids)))
    found: dict[int, dict] = {}
    for project_id, status, n in session.execute(query):
        found.setdefault(project_id, dict.fromkeys(STATUSES, 0))[status] = n
    return found


def with_counts(session: Session, site: Site, projects: list[Project]) -> list[Project]:
    """The projects, each with `counts` of its live cards by column."""
    found = counts(session, site, [p.id for p in projects]) if projects else {}
    for project in projects:
        project.counts = found.get(project.id, dict.fromkeys(STATUSES, 0))
    return projects


def listed(session: Session, site: Site) -> list[Project]:
    query = select(Project).where(Project.site_id == site.id).order_by(Project.name, Project.id)
    return with_counts(session, site, list(session.scalars(query)))


def add(session: Session, site: Site, values: dict, actor: int, now: datetime) -> Project:
    """A new project; Conflict when the site has one of that name (or too many)."""
    total = session.scalar(select(func.count()).where(Project.site_id == site.id))
    if total >= MAX_PER_SITE:
        raise Conflict(f"A site has at most {MAX_PER_SITE} projects.")
    fields = {k: values[k] for k in EDITABLE if k in values}
    project = Project(site_id=site.id, created_at=now, updated_at=now, **fields)
    _flush_named(session, project, lambda: session.add(project))
    audit.log(session, site, actor, "project.create", "project", project.id, fields, now)
    return with_counts(session, site, [project])[0]


def edit(session: Session, site: Site, project_id: int, values: dict, actor: int, now):
    """Change some fields (archive with `archived`); Conflict on a name in use."""
    project = get(session, site, project_id)
    fields = {k: values[k] for k in EDITABLE if k in values}
    changed = {}
    _flush_named(session, project, lambda: changed.update(audit.apply_changes(project, fields)))
    if changed:
        project.updated_at = now
        audit.log(session, site, actor, "project.update", "project", project.id, changed, now)
    return with_counts(session, site, [project])[0]


def remove(session: Session, site: Site, project_id: int, actor: int, now: datetime) -> None:
    """Delete a project with no live card (409 otherwise); its deleted cards forget it,
    its share links go with it."""
    project = get(session, site, project_id)
    live = sum(counts(session, site, [project.id]).get(project.id, {}).values())
    if live:
        raise Conflict(
            f"The project still has {live} card(s): move them out or archive it instead.",
            cards=live,
        )
    session.execute(
        update(Opportunity).where(Opportunity.project_id == project.id).values(project_id=None)
    )
    session.execute(delete(ProjectShare).where(ProjectShare.project_id == project.id))
    audit.log(session, site, actor, "project.delete", "project", project.id, {}, now)
    session.delete(project)
    session.flush()


def _flush_named(session: Session, project: Project, change) -> None:
    """Apply `change` and flush; Conflict when another project of the site has the name."""
    try:
        with session.begin_nested():
            change()
            session.flush()
    except IntegrityError:
        raise Conflict(f"A project named {project.name!r} exists already.") from None
