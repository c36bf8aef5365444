"""Email templates and previews."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import requires
from service.api.context import actor, commit, current_site, db, now
from service.api.schemas import (
    PreviewRequestSchema,
    PreviewSchema,
    TemplatePatchSchema,
    TemplateSchema,
)
from service.domain import templates
from service.domain.opportunities import queries

blp = Blueprint(
    "templates",
    __name__,
    url_prefix="/api/v1/templates",
    description="Reusable subject + body with {{placeholders}}.",
)


@blp.route("")
class Templates(MethodView):
    @requires("outreach.view")
    @blp.response(200, TemplateSchema(many=True))
    def get(self):
        """All templates of the site."""
        return templates.list_all(db(), current_site())

    @requires("outreach.templates")
    @blp.arguments(TemplateSchema)
    @blp.response(201, TemplateSchema)
    def post(self, data):
        """Create a template (422 on an unknown placeholder)."""
        template = templates.create(db(), current_site(), data, actor(), now())
        commit()
        return template


@blp.route("/<int:template_id>")
class TemplateById(MethodView):
    @requires("outreach.view")
    @blp.response(200, TemplateSchema)
    def get(self, template_id):
        """One template."""
        return templates.get(db(), current_site(), template_id)

    @requires("outreach.templates")
    @blp.arguments(TemplatePatchSchema)
    @blp.response(200, TemplateSchema)
    def patch(self, data, template_id):
        """Change a template."""
        site = current_site()
        template = templates.update(
            db(), site, templates.get(db(), site, template_id), data, actor(), now()
        )
        commit()
        return template

    @requires("outreach.templates")
    @blp.response(204)
    def delete(self, template_id):
        """Delete a template (409 while a sequence uses it)."""
        site = current_site()
        templates.delete(db(), site, templates.get(db(), site, template_id), actor(), now())
        commit()


@blp.route("/preview")
class TemplatePreview(MethodView):
    @requires("outreach.view")
    @blp.arguments(PreviewRequestSchema)
    @blp.response(200, PreviewSchema)
    def post(self, data):
        """Render exactly what would go out, naming placeholders with no value."""
        site = current_site()
        opp = None
        if data.get("opportunity_id") is not None:
            opp = queries.get(db(), site, data["opportunity_id"])
        return templates.preview(
            db(), site, data.get("template_id"), data.get("subject"), data.get("body"), opp
        )
