"""The activity feed (docs/api.md §21): structured entries a screen words as sentences."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from service.api.auth import requires
from service.api.blueprint import Blueprint
from service.api.context import current_site, uow
from service.domain.activity import usecases
from service.domain.activity.kinds import KINDS
from service.domain.activity.sources import Filters
from service.models import ID_MAX

blp = Blueprint(
    "activity",
    __name__,
    url_prefix="/api/v1/activity",
    description="What happened: the audit trail grouped per action, replies, unsubscribes, "
    "sequence stops.",
)


class ActivityQuerySchema(Schema):
    before = fields.AwareDateTime(
        metadata={"description": "Entries strictly older than this (the last page's "
                  "`next_before`)."},
    )  # fmt: skip
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    user = fields.Integer(
        validate=validate.Range(0, ID_MAX),
        metadata={"description": "Only this person's entries (0: the system)."},
    )
    opportunity_id = fields.Integer(validate=validate.Range(1, ID_MAX))
    kind = fields.String(validate=validate.OneOf(KINDS))


class ActivityCardSchema(Schema):
    id = fields.Integer()
    domain = fields.String(allow_none=True)


class ActivityItemSchema(Schema):
    at = fields.DateTime()
    kind = fields.String(metadata={"description": "One of " + ", ".join(KINDS) + "."})
    action = fields.String(metadata={"description": "e.g. opportunity.move, reply.received."})
    user = fields.Integer(
        allow_none=True,
        metadata={"description": "WordPress user id; 0 the system; null the prospect."},
    )
    count = fields.Integer(metadata={"description": "How many objects one action touched."})
    card = fields.Method("card_of", allow_none=True)
    detail = fields.Raw(metadata={"description": "What the sentence needs (docs/api.md §21)."})

    def card_of(self, entry):
        return None if entry.card_id is None else {"id": entry.card_id, "domain": entry.domain}


class ActivityPageSchema(Schema):
    items = fields.List(fields.Nested(ActivityItemSchema))
    next_before = fields.DateTime(allow_none=True)
    people = fields.Method("people_of")

    def people_of(self, feed):
        return [{"user": user} for user in feed.people]


@blp.route("")
class Activity(MethodView):
    @requires("outreach.settings")
    @blp.arguments(ActivityQuerySchema, location="query")
    @blp.response(200, ActivityPageSchema)
    def get(self, args):
        """One page of the site's activity, newest first (filtered by person, card, kind)."""
        filters = Filters(
            limit=args["page_size"],
            before=args.get("before"),
            user=args.get("user"),
            card=args.get("opportunity_id"),
            kind=args.get("kind"),
        )
        return usecases.feed(uow(), current_site(), filters)
