"""Opportunities: list, read, create, change, move, notes, delete."""

from __future__ import annotations

from flask.views import MethodView

from service.api.auth import requires
from service.api.blueprint import Blueprint
from service.api.card_schemas import (
    MoveSchema,
    NotesSchema,
    OpportunityPageSchema,
    OpportunityPatchSchema,
    OpportunityQuerySchema,
    OpportunitySchema,
)
from service.api.context import actor, current_site, now, uow
from service.api.pages import page_of
from service.domain.cards import usecases as cards

blp = Blueprint(
    "opportunities",
    __name__,
    url_prefix="/api/v1/opportunities",
    description="Link opportunities (the cards of the board).",
)


@blp.route("")
class Opportunities(MethodView):
    @requires("outreach.view")
    @blp.arguments(OpportunityQuerySchema, location="query")
    @blp.response(200, OpportunityPageSchema)
    def get(self, args):
        """List opportunities, newest first, with filters and pagination."""
        items, total = cards.list_cards(uow(), current_site(), args)
        if args.get("source_url"):  # the duplicate check: a handful of cards, one page
            return page_of(items, total, {**args, "page": 1})
        return page_of(items, total, args)

    @requires("outreach.edit")
    @blp.arguments(OpportunitySchema)
    @blp.response(201, OpportunitySchema)
    def post(self, data):
        """Create an opportunity (409 with the existing id on a duplicate)."""
        return cards.create_card(uow(), current_site(), data, actor(), now())


@blp.route("/<int:opportunity_id>")
class OpportunityById(MethodView):
    @requires("outreach.view")
    @blp.response(200, OpportunitySchema)
    def get(self, opportunity_id):
        """One opportunity."""
        return cards.get_card(uow(), current_site(), opportunity_id)

    @requires("outreach.edit")
    @blp.arguments(OpportunityPatchSchema)
    @blp.response(200, OpportunitySchema)
    def patch(self, data, opportunity_id):
        """Change some fields (a status change is a move)."""
        return cards.edit_card(uow(), current_site(), opportunity_id, data, actor(), now())

    @requires("outreach.delete")
    @blp.response(204)
    def delete(self, opportunity_id):
        """Delete from the board (stops its sequence; its emails stay in the metrics)."""
        cards.delete_card(uow(), current_site(), opportunity_id, actor(), now())


@blp.route("/<int:opportunity_id>/move")
class OpportunityMove(MethodView):
    @requires("outreach.edit")
    @blp.arguments(MoveSchema)
    @blp.response(200, OpportunitySchema)
    def post(self, data, opportunity_id):
        """Move a card to any column, optionally at a position."""
        site, status, position = current_site(), data["status"], data.get("position")
        return cards.move_card(uow(), site, opportunity_id, status, position, actor(), now())


@blp.route("/<int:opportunity_id>/notes")
class OpportunityNotes(MethodView):
    @requires("outreach.edit")
    @blp.arguments(NotesSchema)
    @blp.response(200, OpportunitySchema)
    def put(self, data, opportunity_id):
        """Replace the notes."""
        return cards.set_notes(uow(), current_site(), opportunity_id, data["notes"], actor(), now())
