"""Outreach metrics (contract section 8)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow.exceptions import ValidationError

from service.api.auth import requires
from service.api.context import current_site, db
from service.api.metrics_schemas import MetricsQuerySchema, MetricsSchema, as_bounds
from service.domain import conversations, metrics
from service.domain.errors import Invalid

blp = Blueprint(
    "metrics",
    __name__,
    url_prefix="/api/v1/metrics",
    description="Sent, delivered, open/click/reply rates, bounces, wins.",
)


@blp.route("")
class Metrics(MethodView):
    @requires("outreach.view")
    @blp.arguments(MetricsQuerySchema, location="query")
    @blp.response(200, MetricsSchema)
    def get(self, args):
        """Metrics over the emails sent between `from` and `to` (both optional, inclusive)."""
        site = current_site()
        try:
            start, end = as_bounds(args.get("start"), args.get("end"), site.timezone)
        except ValidationError as exc:
            raise Invalid("The period is not valid.", exc.messages) from None
        found = metrics.compute(db(), site, start, end)
        return {**found, "unread_replies": conversations.unread_count(db(), site)}
