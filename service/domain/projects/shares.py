"""Share links of a project's report (docs/api.md §19): read-only, revocable, optional
expiry.

A link carries a random 256-bit token; only its SHA-256 is stored, so the database (a
backup, a read-only replica) opens no report. Unknown, revoked and expired tokens are
refused alike.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain import audit
from service.domain.errors import Conflict, Invalid, require
from service.domain.projects.records import get
from service.models import Project, ProjectShare, Site

MAX_OPEN = 50  # links not revoked per project: a handful of clients, not a registry


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def listed(session: Session, site: Site, project_id: int) -> list[ProjectShare]:
    """The project's links not revoked, newest first (their tokens are not kept)."""
    get(session, site, project_id)
    return list(
        session.scalars(
            select(ProjectShare)
            .where(ProjectShare.project_id == project_id, ProjectShare.revoked_at.is_(None))
            .order_by(ProjectShare.id.desc())
        )
    )


def create(session: Session, site: Site, project_id: int, expires_at, actor: int, now: datetime):
    """(the new link, its token): the token exists only in this answer."""
    project = get(session, site, project_id)
    if expires_at is not None and expires_at <= now:
        raise Invalid(
            "The expiry must be in the future.", {"expires_at": ["Must be in the future."]}
        )
    if len(listed(session, site, project.id)) >= MAX_OPEN:
        raise Conflict(f"A project has at most {MAX_OPEN} share links: revoke one first.")
    token = secrets.token_urlsafe(32)
    share = ProjectShare(
        site_id=site.id,
        project_id=project.id,
        token_hash=digest(token),
        created_by=actor,
        created_at=now,
        expires_at=expires_at,
    )
    session.add(share)
    session.flush()
    changes = {"project_id": project.id, "expires_at": expires_at}
    audit.log(session, site, actor, "project_share.create", "project_share", share.id, changes, now)
    return share, token


def revoke(session: Session, site: Site, project_id: int, share_id: int, actor: int, now):
    """Revoke a link: it opens nothing from now on (404 when it is not this project's)."""
    share = session.scalar(
        select(ProjectShare).where(
            ProjectShare.id == share_id,
            ProjectShare.project_id == project_id,
            ProjectShare.site_id == site.id,
            ProjectShare.revoked_at.is_(None),
        )
    )
    require(share, "Share link").revoked_at = now
    audit.log(session, site, actor, "project_share.revoke", "project_share", share_id, {}, now)
    session.flush()


def opened(session: Session, token: str, now: datetime) -> tuple[Site, Project] | None:
    """The site and project a token opens now; None when it opens nothing."""
    if not token or len(token) > 128:
        return None
    row = session.execute(
        select(ProjectShare, Project, Site)
        .join(Project, Project.id == ProjectShare.project_id)
        .join(Site, Site.id == ProjectShare.site_id)
        .where(ProjectShare.token_hash == digest(token), ProjectShare.revoked_at.is_(None))
    ).first()
    if row is None or (row[0].expires_at is not None and row[0].expires_at <= now):
        return None
    return row[2], row[1]
