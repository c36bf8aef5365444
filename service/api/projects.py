"""Projects: one client's cards inside a site (docs/api.md §19)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import requires
from service.api.context import actor, current_site, now, uow
from service.api.project_schemas import ProjectPatchSchema, ProjectSchema
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
