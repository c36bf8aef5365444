"""The kanban in one call."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import requires
from service.api.context import current_site, db
from service.api.schemas import BoardQuerySchema, BoardSchema
from service.domain import enrollments, pipeline

blp = Blueprint("board", __name__, url_prefix="/api/v1/board",
                description="The kanban: four columns of cards in position order.")


@blp.route("")
class Board(MethodView):
    @requires("outreach.view")
    @blp.arguments(BoardQuerySchema, location="query")
    @blp.response(200, BoardSchema)
    def get(self, args):
        """Every live card by column, with counts; `q` filters across URL, anchor, notes."""
        site = current_site()
        board = pipeline.board(db(), site, args.get("q"))
        found = enrollments.summaries(db(), site)
        for column in board["columns"].values():
            for card in column:
                card.sequence = found.get(card.id)
        return board
