"""Replies a prospect sent: read one in full, mark it read (docs/api.md, conversations)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import requires
from service.api.context import actor, current_site, now, uow
from service.api.email_schemas import ReplyFullSchema, ReplyLabelSchema
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

    @requires("outreach.edit")
    @blp.arguments(ReplyLabelSchema)
    @blp.response(200, ReplyFullSchema)
    def patch(self, body, reply_id):
        """Label the reply (docs/api.md §16): interested, not_interested, later, referral."""
        return replies.set_label(uow(), current_site(), reply_id, body["label"], actor(), now())


@blp.route("/<int:reply_id>/read")
class ReplyRead(MethodView):
    @requires("outreach.view")
    @blp.response(200, ReplyFullSchema)
    def post(self, reply_id):
        """Mark the reply read (the card's unread count drops once, however often)."""
        return replies.mark_read(uow(), current_site(), reply_id, now())
