"""The kanban in one call."""
from __future__ import annotations

import orjson
from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import requires
from service.api.context import current_site, db
from service.api.schemas import BoardQuerySchema, BoardSchema
from service.domain.opportunities import queries
from service.domain.sequences import enrollments

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
        board = queries.board_cards(db(), site, args.get("q"))
        found = enrollments.summaries(db(), site)
        for column in board["columns"].values():
            for card in column:
                card["sequence"] = found.get(card["id"])
        # Plain dicts through orjson, not ORM objects through marshmallow: 5,000 cards took
        # ~1.6 s that way (bench/board.py). The dicts hold exactly BoardSchema's fields and
        # orjson writes (naive UTC) datetimes as isoformat() does for aware ones;
        # tests/reliability/test_board_fast.py checks the body equals BoardSchema's dump.
        return Response(orjson.dumps(board, option=orjson.OPT_NAIVE_UTC),
                        mimetype="application/json")
