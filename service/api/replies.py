"""Replies a prospect sent: read one in full, mark it read (docs/api.md, conversations)."""

from __future__ import annotations

from flask.views import MethodView

from service.api.auth import requires
from service.api.blueprint import Blueprint
from service.api.card_schemas import OpportunitySchema
from service.api.context import actor, current_site, now, uow
from service.api.email_schemas import (
    InboxPageSchema,
    InboxQuerySchema,
    ReplyFullSchema,
    ReplyLabelSchema,
    UseContactSchema,
)
from service.domain.replies import usecases as replies

blp = Blueprint(
    "replies",
    __name__,
    url_prefix="/api/v1/replies",
    description="Replies kept from Inbound Parse: their text and read state.",
)


@blp.route("")
class Replies(MethodView):
    @requires("outreach.view")
    @blp.arguments(InboxQuerySchema, location="query")
    @blp.response(200, InboxPageSchema)
    def get(self, args):
        """The Inbox: every reply of the site, unread first, then newest (docs/api.md §16)."""
        return replies.inbox(uow(), current_site(), args)


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


@blp.route("/<int:reply_id>/use-contact")
class ReplyUseContact(MethodView):
    @requires("outreach.edit")
    @blp.arguments(UseContactSchema)
    @blp.response(200, OpportunitySchema)
    def post(self, body, reply_id):
        """ "Use this contact": the card's contact becomes an address the reply suggested
        (docs/api.md §16); 422 for an address it does not suggest."""
        return replies.use_contact(
            uow(), current_site(), reply_id, body["email"], body.get("name"), actor(), now()
        )
