"""Replies a prospect sent: read one in full, mark it read (docs/api.md, conversations)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import requires
from service.api.context import current_site, now, uow
from service.api.email_schemas import ReplyFullSchema
from service.domain.replies import usecases as replies

blp = Blueprint(
    "replies",
    __name__,
    url_prefix="/api/v1/replies",
    description="Replies kept from Inbound Parse: their text and read state.",
)


@blp.route("/<int:reply_id>")
class ReplyItem(MethodView):
    @requires("outreach.view")
    @blp.response(200, ReplyFullSchema)
    def get(self, reply_id):
        """One reply with its full text (quoted history included)."""
        return replies.get_reply(uow(), current_site(), reply_id)


@blp.route("/<int:reply_id>/read")
class ReplyRead(MethodView):
    @requires("outreach.view")
    @blp.response(200, ReplyFullSchema)
    def post(self, reply_id):
        """Mark the reply read (the card's unread count drops once, however often)."""
        return replies.mark_read(uow(), current_site(), reply_id, now())
