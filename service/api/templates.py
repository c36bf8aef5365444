"""Email templates and previews."""

from __future__ import annotations

from flask.views import MethodView

from service.api.auth import requires
from service.api.blueprint import Blueprint
from service.api.context import actor, current_site, mail, now, uow
from service.api.template_schemas import (
    PreviewRequestSchema,
    PreviewSchema,
    TemplatePatchSchema,
    TemplateSchema,
)
from service.domain.sending import usecases as sending
from service.domain.templates import usecases as templates

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
        return templates.list_templates(uow(), current_site())

    @requires("outreach.templates")
    @blp.arguments(TemplateSchema)
    @blp.response(201, TemplateSchema)
    def post(self, data):
        """Create a template (422 on an unknown placeholder)."""
        return templates.create_template(uow(), current_site(), data, actor(), now())


@blp.route("/<int:template_id>")
class TemplateById(MethodView):
    @requires("outreach.view")
    @blp.response(200, TemplateSchema)
    def get(self, template_id):
        """One template."""
        return templates.get_template(uow(), current_site(), template_id)

    @requires("outreach.templates")
    @blp.arguments(TemplatePatchSchema)
    @blp.response(200, TemplateSchema)
    def patch(self, data, template_id):
        """Change a template."""
        return templates.change_template(uow(), current_site(), template_id, data, actor(), now())

    @requires("outreach.templates")
    @blp.response(204)
    def delete(self, template_id):
        """Delete a template (409 while a sequence uses it)."""
        templates.delete_template(uow(), current_site(), template_id, actor(), now())


@blp.route("/preview")
class TemplatePreview(MethodView):
    @requires("outreach.view")
    @blp.arguments(PreviewRequestSchema)
    @blp.response(200, PreviewSchema)
    def post(self, data):
        """Render exactly what "Send" would send (the given subject/body over the
        template's, footer and unsubscribe headers), naming placeholders with no value."""
        return sending.preview(uow(), mail(), current_site(), data, now())
