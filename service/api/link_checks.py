"""Link checks of a card: check now, and the history."""

from __future__ import annotations

from flask.views import MethodView

from service.api.auth import requires
from service.api.blueprint import Blueprint
from service.api.context import actor, current_site, fetchers, now, uow
from service.api.link_schemas import LinkCheckSchema
from service.domain.links import usecases as links

blp = Blueprint(
    "link_checks",
    __name__,
    url_prefix="/api/v1/opportunities",
    description="Link checks: is the card's page linking to the site?",
)


@blp.route("/<int:opportunity_id>/link-check")
class LinkCheckNow(MethodView):
    @requires("outreach.edit")
    @blp.response(200, LinkCheckSchema)
    def post(self, opportunity_id):
        """Check the card's page now (at most 20 s) and apply the result to the card."""
        site = current_site()
        return links.check_now(uow(), fetchers(), site, opportunity_id, actor(), now())


@blp.route("/<int:opportunity_id>/link-checks")
class LinkCheckHistory(MethodView):
    @requires("outreach.view")
    @blp.response(200, LinkCheckSchema(many=True))
    def get(self, opportunity_id):
        """The card's link checks, newest first (the last 100)."""
        return links.check_history(uow(), current_site(), opportunity_id)
