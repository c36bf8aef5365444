"""Sending an email, the email history of a card, and marking a reply by hand."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from service.api.auth import requires
from service.api.context import (
    actor,
    commit,
    current_site,
    db,
    now,
    runtime,
)
from service.api.email_schemas import EmailSchema, SendEmailSchema
from service.domain import conversations, replies, scheduled_sends, sending, timeline
from service.domain.errors import Invalid
from service.domain.opportunities import queries
from service.models import Email

blp = Blueprint(
    "emails",
    __name__,
    url_prefix="/api/v1",
    description="Sending emails, their history and replies.",
)


def with_events(emails):
    """Attach each email's timeline and replies (one query each for all)."""
    emails = list(emails)
    found, kept = timeline.history(db(), emails), conversations.for_emails(db(), emails)
    for email in emails:
        email.events, email.replies = found[email.id], kept[email.id]
    return emails


@blp.route("/opportunities/<int:opportunity_id>/emails")
class OpportunityEmails(MethodView):
    @requires("outreach.view")
    @blp.response(200, EmailSchema(many=True))
    def get(self, opportunity_id):
        """Every email sent for the card, newest first, each with its events."""
        opp = queries.get(db(), current_site(), opportunity_id)
        found = db().scalars(
            select(Email)
            .where(Email.opportunity_id == opp.id)
            .order_by(Email.created_at.desc(), Email.id.desc())
        )
        return with_events(found)

    @requires("outreach.send")
    @blp.arguments(SendEmailSchema)
    @blp.response(201, EmailSchema)
    @blp.alt_response(202, schema=EmailSchema, description="Scheduled (`send_at` given).")
    def post(self, data, opportunity_id):
        """Send one email now (429 on a safety limit, 502 when SendGrid refuses or fails),
        or schedule it with `send_at` (202)."""
        site, session = current_site(), db()
        opp = queries.get(session, site, opportunity_id)
        to = data.get("to") or opp.contact_email
        if not to:
            raise Invalid(
                "Give a recipient: this card has no contact email.",
                {"to": ["Required when the opportunity has no contact_email."]},
            )
        rendered = sending.render_for(
            session, site, opp, data.get("template_id"), data.get("subject"), data.get("body")
        )
        send_at = _send_at(data, site, opp)
        if send_at is not None:
            email = scheduled_sends.schedule(
                session,
                site,
                opp,
                to,
                rendered,
                template_id=data.get("template_id"),
                actor=actor(),
                now=now(),
                send_at=send_at,
            )
            commit()
            return with_events([email])[0], 202
        email = sending.reserve(
            session,
            site,
            opp,
            to,
            rendered,
            template_id=data.get("template_id"),
            actor=actor(),
            now=now(),
        )
        commit()  # the attempt is on record (and holds its slot) before SendGrid is called
        try:
            sending.dispatch(session, site, email, runtime().mailer, now())
        finally:
            commit()
        return with_events([email])[0]


def _send_at(data: dict, site, opp):
    """When a send was asked for: a given time, the next window opening, or None (now)."""
    if not data.get("at_next_window"):
        return data.get("send_at")
    if data.get("send_at") is not None:
        raise Invalid(
            "Give send_at or at_next_window, not both.",
            {"at_next_window": ["Not with send_at."]},
        )
    return scheduled_sends.at_next_window(site, now(), opp.id)


@blp.route("/emails/<int:email_id>/replied")
class EmailReplied(MethodView):
    @requires("outreach.edit")
    @blp.response(200, EmailSchema)
    def post(self, email_id):
        """Mark that the prospect replied (same effect as a detected reply)."""
        site = current_site()
        email = replies.mark_by_hand(
            db(), site, replies.get_email(db(), site, email_id), actor(), now()
        )
        commit()
        return with_events([email])[0]


@blp.route("/emails/<int:email_id>")
class EmailItem(MethodView):
    @requires("outreach.send")
    @blp.response(204)
    def delete(self, email_id):
        """Cancel a scheduled email (409 once it is sent or being sent)."""
        site = current_site()
        scheduled_sends.cancel(db(), site, replies.get_email(db(), site, email_id), actor(), now())
        commit()
