"""The public tracking links of mailbox emails (docs/api.md §15): `/t/o/<token>` (the open
pixel) and `/t/c/<token>` (a click, redirected to the URL that link stood for in that
email). Unsigned: they are fetched by mail clients and browsers. A token that is
malformed, altered, forged or names no email is a 404 in the contract's JSON shape, and
nothing is recorded; the redirect target is only ever the URL the token was signed for.
"""

from __future__ import annotations

import base64

from flask import Blueprint, Response, abort, redirect

from service.api.context import clock, runtime, uow
from service.domain.tracking import tracked_links
from service.domain.tracking import usecases as tracking

blp = Blueprint("tracking_page", __name__)
GIF = base64.b64decode(b"R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
UNKNOWN = "This link is not known."


def _key() -> bytes:
    return runtime().secret_box.derive(tracked_links.PURPOSE)


def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store, private"  # each open reaches us
    response.headers["Referrer-Policy"] = "no-referrer"  # the token stays here
    return response


@blp.route("/t/o/<token>", methods=["GET"])
def opened(token: str):
    email_id = tracked_links.read_open(_key(), token)
    if email_id is None or not tracking.record_hit(uow(), clock(), email_id, "open", None):
        abort(404, UNKNOWN)
    return _private(Response(GIF, mimetype="image/gif"))


@blp.route("/t/c/<token>", methods=["GET"])
def clicked(token: str):
    found = tracked_links.read_click(_key(), token)
    if found is None or not tracking.record_hit(uow(), clock(), found[0], "click", found[1]):
        abort(404, UNKNOWN)
    return _private(redirect(found[1], code=302))
