"""The kanban in one call, its ETag, and `?since=` deltas."""

from __future__ import annotations

import orjson
from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import requires
from service.api.context import current_site, db
from service.api.schemas import BoardQuerySchema, BoardSchema
from service.domain.opportunities import delta as board_delta
from service.domain.opportunities import queries
from service.domain.sequences import enrollments

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
        """Every live card by column, with counts and a cursor; `q` filters across URL,
        anchor, notes; `since=<cursor>` answers only what changed (see BoardSchema)."""
        site, session = current_site(), db()
        q, since = args.get("q"), args.get("since")
        if request.if_none_match:  # the cheap path first: one read, no snapshot
            tag = board_delta.etag(board_delta.peek(session, site)[0], q, since)
            if request.if_none_match.contains_weak(tag):
                response = Response(status=304)
                response.set_etag(tag)
                return response
        board_delta.read_snapshot(session)  # the clock, the changes and cards agree
        if since is not None:
            seq, body = board_delta.delta(session, site, since, q)
        else:
            seq, body = board_delta.clock(session, site)[0], None
        if body is None:
            body = _full_board(site, q)
            body["cursor"] = str(seq)
            if since is not None:
                body["full"] = True  # the cursor is older than the kept log: start over
        response = _json(body)
        response.set_etag(board_delta.etag(seq, q, since))
        return response


def _full_board(site, q) -> dict:
    board = queries.board_cards(db(), site, q)
    found = enrollments.summaries(db(), site)
    for column in board["columns"].values():
        for card in column:
            card["sequence"] = found.get(card["id"])
    return board


def _json(body: dict) -> Response:
    # Plain dicts through orjson, not ORM objects through marshmallow: 5,000 cards took
    # ~1.6 s that way (bench/board.py). The dicts hold exactly BoardSchema's fields and
    # orjson writes (naive UTC) datetimes as isoformat() does for aware ones;
    # tests/reliability/test_board_fast.py checks the body equals BoardSchema's dump.
    return Response(orjson.dumps(body, option=orjson.OPT_NAIVE_UTC), mimetype="application/json")
