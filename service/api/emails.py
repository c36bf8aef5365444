"""Sending an email, the email history of a card, marking a reply by hand, cancelling."""

from __future__ import annotations

from flask.views import MethodView

from service.api.auth import requires
from service.api.blueprint import Blueprint
from service.api.context import actor, clock, current_site, mail, now, uow
from service.api.email_schemas import EmailSchema, SendEmailSchema
from service.domain.replies import usecases as replies
from service.domain.sending import usecases as sending

blp = Blueprint(
    "emails",
    __name__,
    url_prefix="/api/v1",
    description="Sending emails, their history and replies.",
)


@blp.route("/opportunities/<int:opportunity_id>/emails")
class OpportunityEmails(MethodView):
    @requires("outreach.view")
    @blp.response(200, EmailSchema(many=True))
    def get(self, opportunity_id):
        """Every email sent for the card, newest first, each with its events."""
        return sending.card_emails(uow(), current_site(), opportunity_id)

    @requires("outreach.send")
    @blp.arguments(SendEmailSchema)
    @blp.response(201, EmailSchema)
    @blp.alt_response(202, schema=EmailSchema, description="Scheduled (`send_at` given).")
    def post(self, data, opportunity_id):
        """Send one email now (429 on a safety limit, 502 when SendGrid refuses or fails),
        or schedule it with `send_at` (202)."""
        email = sending.send(
            uow(), mail(), clock(), current_site(), opportunity_id, data, actor(), now()
        )
        return (email, 202) if email.send_state == "scheduled" else email


@blp.route("/emails/<int:email_id>/replied")
class EmailReplied(MethodView):
    @requires("outreach.edit")
    @blp.response(200, EmailSchema)
    def post(self, email_id):
        """Mark that the prospect replied (same effect as a detected reply)."""
        return replies.mark_replied(uow(), current_site(), email_id, actor(), now())


@blp.route("/emails/<int:email_id>")
class EmailItem(MethodView):
    @requires("outreach.send")
    @blp.response(204)
    def delete(self, email_id):
        """Cancel a scheduled email (409 once it is sent or being sent)."""
        sending.cancel(uow(), current_site(), email_id, actor(), now())
