"""Watched backlinks: add (bulk), list, stop watching."""

from __future__ import annotations

from flask.views import MethodView

from service.api.auth import requires
from service.api.blueprint import Blueprint
from service.api.context import current_site, now, uow
from service.api.link_schemas import (
    BacklinkPageSchema,
    BacklinkQuerySchema,
    BacklinksAddedSchema,
    BacklinksInSchema,
)
from service.api.pages import page_of
from service.domain.links import usecases as links

blp = Blueprint(
    "backlinks",
    __name__,
    url_prefix="/api/v1/backlinks",
    description="The site's existing backlinks, re-checked; a lost one becomes a Lost Link card.",
)


@blp.route("")
class Backlinks(MethodView):
    @requires("outreach.view")
    @blp.arguments(BacklinkQuerySchema, location="query")
    @blp.response(200, BacklinkPageSchema)
    def get(self, args):
        """Watched backlinks, newest first, with their last check."""
        items, total = links.watched(
            uow(), current_site(), args.get("status"), args["page"], args["page_size"]
        )
        return page_of(items, total, args)

    @requires("outreach.edit")
    @blp.arguments(BacklinksInSchema)
    @blp.response(200, BacklinksAddedSchema)
    def post(self, data):
        """Watch up to 1,000 backlinks (the same source and target twice counts once)."""
        created, existing = links.watch(uow(), current_site(), data["backlinks"], now())
        return {"created": created, "existing": existing}


@blp.route("/<int:backlink_id>")
class BacklinkById(MethodView):
    @requires("outreach.edit")
    @blp.response(204)
    def delete(self, backlink_id):
        """Stop watching a backlink."""
        links.unwatch(uow(), current_site(), backlink_id)
