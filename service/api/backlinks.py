"""Watched backlinks: add (bulk), list, stop watching."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import requires
from service.api.context import commit, current_site, db, now
from service.api.link_schemas import (
    BacklinkPageSchema,
    BacklinkQuerySchema,
    BacklinksAddedSchema,
    BacklinksInSchema,
)
from service.domain.links import backlinks

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
        items, total = backlinks.list_page(
            db(), current_site(), args.get("status"), args["page"], args["page_size"]
        )
        return {
            "items": items,
            "total": total,
            "page": args["page"],
            "page_size": args["page_size"],
        }

    @requires("outreach.edit")
    @blp.arguments(BacklinksInSchema)
    @blp.response(200, BacklinksAddedSchema)
    def post(self, data):
        """Watch up to 1,000 backlinks (the same source and target twice counts once)."""
        created, existing = backlinks.add_many(db(), current_site(), data["backlinks"], now())
        commit()
        return {"created": created, "existing": existing}


@blp.route("/<int:backlink_id>")
class BacklinkById(MethodView):
    @requires("outreach.edit")
    @blp.response(204)
    def delete(self, backlink_id):
        """Stop watching a backlink."""
        backlinks.remove(db(), current_site(), backlink_id)
        commit()
