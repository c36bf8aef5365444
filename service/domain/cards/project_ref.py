"""A card's `project_id` names a project of its own site (docs/api.md §19), or nothing."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain.errors import Invalid
from service.models import Project, Site


def check(session: Session, site: Site, project_id: int | None) -> None:
    """Invalid (422) unless `project_id` is None or one of this site's projects (another
    site's project looks exactly like a missing one)."""
    if project_id is None:
        return
    found = session.scalar(
        select(Project.id).where(Project.id == project_id, Project.site_id == site.id)
    )
    if found is None:
        raise Invalid(
            "The project does not exist in this site.",
            {"project_id": ["No project of this site has this id."]},
        )
