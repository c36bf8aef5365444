"""The audit trail (docs/api.md, insights): who did what and when, newest first."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from service.api.auth import requires
from service.api.blueprint import Blueprint
from service.api.context import current_site, uow
from service.api.pages import page_of
from service.domain import audit
from service.models import ID_MAX

blp = Blueprint(
    "audit",
    __name__,
    url_prefix="/api/v1/audit",
    description="Every write, who made it (WordPress user id) and what it changed.",
)


class AuditQuerySchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    opportunity_id = fields.Integer(
        validate=validate.Range(1, ID_MAX),
        metadata={"description": "Only this card's activity: its own, its emails' and its "
                  "sequence enrollments' entries."},
    )  # fmt: skip


class AuditItemSchema(Schema):
    id = fields.Integer()
    at = fields.DateTime(attribute="created_at")
    user = fields.Integer(
        attribute="user_id", metadata={"description": "WordPress user id; 0 for the system."}
    )
    action = fields.String(metadata={"description": "e.g. opportunity.move, email.reserve."})
    object_type = fields.String(attribute="resource_type")
    object_id = fields.String(attribute="resource_id", allow_none=True)
    changes = fields.Raw(
        allow_none=True,
        metadata={"description": "{field: [old, new]} for edits, the values for creations."},
    )


class AuditPageSchema(Schema):
    items = fields.List(fields.Nested(AuditItemSchema))
    total = fields.Integer()
    page = fields.Integer()
    page_size = fields.Integer()


@blp.route("")
class AuditTrail(MethodView):
    @requires("outreach.settings")
    @blp.arguments(AuditQuerySchema, location="query")
    @blp.response(200, AuditPageSchema)
    def get(self, args):
        """One page of the site's audit trail, newest first (of one card if asked)."""
        items, total = audit.page(
            uow(), current_site(), args["page"], args["page_size"], args.get("opportunity_id")
        )
        return page_of(items, total, args)
