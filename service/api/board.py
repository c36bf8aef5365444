"""The kanban in one call, its ETag, and `?since=` deltas."""

from __future__ import annotations

import orjson
from flask import Response, request
from flask.views import MethodView

from service import process_memory
from service.api.auth import requires
from service.api.blueprint import Blueprint
from service.api.card_schemas import BoardQuerySchema, BoardSchema
from service.api.context import current_site, uow
from service.domain.cards import usecases as cards
from service.domain.cards.board_filters import BoardQuery

blp = Blueprint(
    "board",
    __name__,
    url_prefix="/api/v1/board",
    description="The kanban: four columns of cards in position order.",
)

ETAG_HEADER = {
    "ETag": {
        "description": "The board's version (and the query it answered): "
        "send it back in If-None-Match to get 304 while "
        "nothing on the board changed.",
        "schema": {"type": "string"},
    }
}


@blp.route("")
class Board(MethodView):
    @requires("outreach.view")
    @blp.arguments(BoardQuerySchema, location="query")
    @blp.response(200, BoardSchema, headers=ETAG_HEADER)
    @blp.alt_response(
        304,
        description="Not Modified: the If-None-Match ETag is current (empty body).",
        success=True,
    )
    def get(self, args):
        """Every live card by column, with counts and a cursor; `q` searches URL, anchor,
        notes; filters and `sort` as docs/api.md §20 says; `since=<cursor>` answers only
        what changed (see BoardSchema)."""
        site, view, since = current_site(), BoardQuery.of(args), args.get("since")
        if request.if_none_match:  # the cheap path first: one read, no snapshot
            tag = cards.board_tag(uow(), site, view, since)
            if request.if_none_match.contains_weak(tag):
                response = Response(status=304)
                response.set_etag(tag)
                return response
        # The whole board is a big answer: collected once written (finish_request).
        with process_memory.no_collections():
            tag, body = cards.read_board(uow(), site, view, since)
            response = _json(body)
        response.set_etag(tag)
        return response


def _json(body: dict) -> Response:
    # Plain dicts through orjson, not ORM objects through marshmallow: 5,000 cards took
    # ~1.6 s that way (bench/board.py). The dicts hold exactly BoardSchema's fields and
    # orjson writes (naive UTC) datetimes as isoformat() does for aware ones;
    # tests/reliability/test_board_fast.py checks the body equals BoardSchema's dump.
    return Response(orjson.dumps(body, option=orjson.OPT_NAIVE_UTC), mimetype="application/json")
