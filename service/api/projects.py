"""Projects: one client's cards inside a site (docs/api.md §19)."""

from __future__ import annotations

from flask import current_app, request
from flask.views import MethodView

from service.api.auth import requires
from service.api.blueprint import Blueprint
from service.api.context import actor, current_site, now, uow
from service.api.insights import days
from service.api.project_schemas import (
    ProjectPatchSchema,
    ProjectSchema,
    ReportQuerySchema,
    ReportSchema,
    ShareRequestSchema,
    ShareSchema,
)
from service.domain.projects import usecases as projects

blp = Blueprint(
    "projects",
    __name__,
    url_prefix="/api/v1/projects",
    description="Projects: a client's campaign inside a site, a filter everywhere.",
)


@blp.route("")
class Projects(MethodView):
    @requires("outreach.view")  # the board's project picker: every reader needs the list
    @blp.response(200, ProjectSchema(many=True))
    def get(self):
        """The site's projects by name, archived ones too, each with its cards by column."""
        return projects.list_projects(uow(), current_site())

    @requires("outreach.edit")
    @blp.arguments(ProjectSchema)
    @blp.response(201, ProjectSchema)
    def post(self, data):
        """Add a project (409 when the site has one of that name)."""
        return projects.add_project(uow(), current_site(), data, actor(), now())


@blp.route("/<int:project_id>")
class ProjectById(MethodView):
    @requires("outreach.view")
    @blp.response(200, ProjectSchema)
    def get(self, project_id):
        """One project with its cards by column."""
        return projects.get_project(uow(), current_site(), project_id)

    @requires("outreach.edit")
    @blp.arguments(ProjectPatchSchema)
    @blp.response(200, ProjectSchema)
    def patch(self, data, project_id):
        """Change some fields; `archived: true` archives it."""
        return projects.edit_project(uow(), current_site(), project_id, data, actor(), now())

    @requires("outreach.edit")
    @blp.response(204)
    def delete(self, project_id):
        """Delete an empty project: 409 while live cards are in it (move them or archive)."""
        projects.delete_project(uow(), current_site(), project_id, actor(), now())


@blp.route("/<int:project_id>/report")
class ProjectReport(MethodView):
    @requires("outreach.view")
    @blp.arguments(ReportQuerySchema, location="query")
    @blp.response(200, ReportSchema)
    def get(self, args, project_id):
        """What the project won in the period (days of the site's time zone, the last 30 by
        default, at most 366): its won links, its cards by stage, its emails, its days."""
        site = current_site()
        first, last = days(args, site)
        report = projects.project_report(uow(), site, project_id, first, last)
        return {**report, "start": report["from"], "end": report["to"]}


def share_url(token: str) -> str:
    """Where the link opens: OUTREACH_PUBLIC_URL, else the address this request came to."""
    base = current_app.config.get("PUBLIC_URL") or request.url_root.rstrip("/")
    return f"{base}/r/{token}"


@blp.route("/<int:project_id>/shares")
class ProjectShares(MethodView):
    @requires("outreach.view")
    @blp.response(200, ShareSchema(many=True))
    def get(self, project_id):
        """The project's links not revoked, newest first (without their URL: the token is
        not kept)."""
        return projects.list_shares(uow(), current_site(), project_id)

    @requires("outreach.edit")
    @blp.arguments(ShareRequestSchema)
    @blp.response(201, ShareSchema)
    def post(self, data, project_id):
        """A read-only link to the report that opens without a login; its `url` is shown
        only in this answer."""
        site, expires_at = current_site(), data["expires_at"]
        share, token = projects.share_project(uow(), site, project_id, expires_at, actor(), now())
        return {
            "id": share.id,
            "url": share_url(token),
            "expires_at": share.expires_at,
            "created_at": share.created_at,
        }


@blp.route("/<int:project_id>/shares/<int:share_id>")
class ProjectShareById(MethodView):
    @requires("outreach.edit")
    @blp.response(204)
    def delete(self, project_id, share_id):
        """Revoke the link: it opens nothing from now on."""
        projects.revoke_share(uow(), current_site(), project_id, share_id, actor(), now())
