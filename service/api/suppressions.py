"""The do-not-contact list: addresses and domains the site never emails."""

from __future__ import annotations

from flask.views import MethodView

from service.api.auth import requires
from service.api.blueprint import Blueprint
from service.api.context import actor, current_site, now, uow
from service.api.pages import page_of
from service.api.suppression_schemas import (
    SuppressionPageSchema,
    SuppressionQuerySchema,
    SuppressionSchema,
)
from service.domain.deliverability import usecases as deliverability

blp = Blueprint(
    "suppressions",
    __name__,
    url_prefix="/api/v1/suppressions",
    description="The do-not-contact list: bounces, spam reports, unsubscribes, manual entries.",
)
# The API's reason words; the webhook stores SendGrid's detail (listing.PUBLIC_REASON).
STORED_REASON = {"bounce": "bounced", "unsubscribe": "unsubscribed"}


@blp.route("")
class Suppressions(MethodView):
    @requires("outreach.settings")
    @blp.arguments(SuppressionQuerySchema, location="query")
    @blp.response(200, SuppressionPageSchema)
    def get(self, args):
        """The list, newest first; `q` searches the values."""
        items, total = deliverability.list_entries(
            uow(), current_site(), args.get("q"), args["page"], args["page_size"]
        )
        return page_of(items, total, args)

    @requires("outreach.settings")
    @blp.arguments(SuppressionSchema)
    @blp.response(201, SuppressionSchema)
    def post(self, data):
        """List an address or a domain (409 if listed already); its enrollments stop."""
        reason = STORED_REASON.get(data["reason"], data["reason"])
        return deliverability.add_entry(uow(), current_site(), data, reason, actor(), now())


@blp.route("/<int:suppression_id>")
class Suppression(MethodView):
    @requires("outreach.settings")
    @blp.response(204)
    def delete(self, suppression_id):
        """Take an entry off the list (audited)."""
        deliverability.remove_entry(uow(), current_site(), suppression_id, actor(), now())
