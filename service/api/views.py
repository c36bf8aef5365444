"""Saved board views, each WordPress user's own (docs/api.md §20)."""

from __future__ import annotations

from flask.views import MethodView

from service.api.auth import requires
from service.api.blueprint import Blueprint
from service.api.context import actor, current_site, now, uow
from service.api.view_schemas import SavedViewSchema
from service.domain.cards import usecases as cards

blp = Blueprint(
    "views",
    __name__,
    url_prefix="/api/v1/views",
    description="Named board views (search, filters, sort) of the signed-in WordPress user.",
)


@blp.route("")
class Views(MethodView):
    @requires("outreach.view")
    @blp.response(200, SavedViewSchema(many=True))
    def get(self):
        """The calling user's saved views, by name."""
        return cards.list_views(uow(), current_site(), actor())

    @requires("outreach.view")
    @blp.arguments(SavedViewSchema)
    @blp.response(201, SavedViewSchema)
    def post(self, data):
        """Save a view for the calling user (409 when the name is taken or 50 are saved)."""
        site, name = current_site(), data["name"].strip()
        return cards.save_view(uow(), site, actor(), name, data["query"], now())


@blp.route("/<int:view_id>")
class ViewById(MethodView):
    @requires("outreach.view")
    @blp.response(204)
    def delete(self, view_id):
        """Delete one of the calling user's views (another user's is a 404)."""
        cards.delete_view(uow(), current_site(), actor(), view_id)
