"""Opportunities: CRUD, move and notes."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import requires
from service.api.context import actor, commit, current_site, db, now
from service.api.schemas import (
    MoveSchema,
    NotesSchema,
    OpportunityPageSchema,
    OpportunityPatchSchema,
    OpportunityQuerySchema,
    OpportunitySchema,
)
from service.domain.opportunities import duplicates, queries, writes
from service.domain.sequences import enrollments

blp = Blueprint(
    "opportunities",
    __name__,
    url_prefix="/api/v1/opportunities",
    description="Link opportunities (the cards of the board).",
)


def with_sequences(cards, site):
    """Attach each card's active or latest enrollment summary (one query for all)."""
    cards = list(cards)
    found = enrollments.summaries(db(), site, [c.id for c in cards]) if cards else {}
    for card in cards:
        card.sequence = found.get(card.id)
    return cards


def one(opp, site):
    """A single card with its sequence summary."""
    return with_sequences([opp], site)[0]


@blp.route("")
class Opportunities(MethodView):
    @requires("outreach.view")
    @blp.arguments(OpportunityQuerySchema, location="query")
    @blp.response(200, OpportunityPageSchema)
    def get(self, args):
        """List opportunities, newest first, with filters and pagination."""
        site = current_site()
        if args.get("source_url"):  # the duplicate check: a handful of cards, one page
            items = duplicates.same_page(db(), site, args["source_url"])
            return {
                "items": with_sequences(items, site),
                "total": len(items),
                "page": 1,
                "page_size": args["page_size"],
            }
        items, total = queries.list_page(
            db(), site, args.get("status"), args.get("q"), args["page"], args["page_size"]
        )
        return {
            "items": with_sequences(items, site),
            "total": total,
            "page": args["page"],
            "page_size": args["page_size"],
        }

    @requires("outreach.edit")
    @blp.arguments(OpportunitySchema)
    @blp.response(201, OpportunitySchema)
    def post(self, data):
        """Create an opportunity (409 with the existing id on a duplicate)."""
        site = current_site()
        opp = writes.create(db(), site, data, actor(), now())
        commit()
        return one(opp, site)


@blp.route("/<int:opportunity_id>")
class OpportunityById(MethodView):
    @requires("outreach.view")
    @blp.response(200, OpportunitySchema)
    def get(self, opportunity_id):
        """One opportunity."""
        site = current_site()
        return one(queries.get(db(), site, opportunity_id), site)

    @requires("outreach.edit")
    @blp.arguments(OpportunityPatchSchema)
    @blp.response(200, OpportunitySchema)
    def patch(self, data, opportunity_id):
        """Change some fields (a status change is a move)."""
        site = current_site()
        opp = queries.get(db(), site, opportunity_id)
        writes.update_fields(db(), site, opp, dict(data), actor(), now())
        commit()
        return one(opp, site)

    @requires("outreach.delete")
    @blp.response(204)
    def delete(self, opportunity_id):
        """Delete from the board (stops its sequence; its emails stay in the metrics)."""
        site = current_site()
        writes.delete(db(), site, queries.get(db(), site, opportunity_id), actor(), now())
        commit()


@blp.route("/<int:opportunity_id>/move")
class OpportunityMove(MethodView):
    @requires("outreach.edit")
    @blp.arguments(MoveSchema)
    @blp.response(200, OpportunitySchema)
    def post(self, data, opportunity_id):
        """Move a card to any column, optionally at a position."""
        site = current_site()
        opp = queries.get(db(), site, opportunity_id)
        writes.move(db(), site, opp, data["status"], data.get("position"), actor(), now())
        commit()
        return one(opp, site)


@blp.route("/<int:opportunity_id>/notes")
class OpportunityNotes(MethodView):
    @requires("outreach.edit")
    @blp.arguments(NotesSchema)
    @blp.response(200, OpportunitySchema)
    def put(self, data, opportunity_id):
        """Replace the notes."""
        site = current_site()
        opp = queries.get(db(), site, opportunity_id)
        writes.set_notes(db(), site, opp, data["notes"], actor(), now())
        commit()
        return one(opp, site)
