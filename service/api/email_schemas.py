"""Marshmallow schemas of emails and sends (contract section 4)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.api.schemas import ID, TemplateOrTextMixin, one_line
from service.models.email import STATUS_RANK

EMAIL_STATUSES = tuple(STATUS_RANK) + ("bounced",)


class SendEmailSchema(TemplateOrTextMixin, Schema):
    to = fields.Email(
        validate=validate.Length(max=320),
        metadata={"description": "Recipient; defaults to the card's contact_email."},
    )
    template_id = fields.Integer(allow_none=True, validate=ID)
    subject = fields.String(allow_none=True, validate=[validate.Length(min=1, max=998), one_line])
    body = fields.String(allow_none=True, validate=validate.Length(min=1, max=100000))


class EmailEventSchema(Schema):
    type = fields.String()
    at = fields.DateTime()
    detail = fields.Dict()


class EmailSchema(Schema):
    id = fields.Integer()
    opportunity_id = fields.Integer()
    to = fields.String(attribute="to_email")
    subject = fields.String()
    template_id = fields.Integer(allow_none=True)
    sequence_id = fields.Integer(allow_none=True)
    step = fields.Integer(allow_none=True)
    message_id = fields.String(allow_none=True)
    status = fields.String(allow_none=True, metadata={"enum": list(EMAIL_STATUSES)})
    send_state = fields.String(
        metadata={
            "description": "pending | sent | failed (refused, slot released) | unknown "
            "(timeout/5xx: may have gone out, never resent automatically)"
        }
    )
    error = fields.String(allow_none=True)
    created_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)
    delivered_at = fields.DateTime(allow_none=True)
    opened_at = fields.DateTime(allow_none=True)
    clicked_at = fields.DateTime(allow_none=True)
    replied_at = fields.DateTime(allow_none=True)
    bounced_at = fields.DateTime(allow_none=True)
    events = fields.List(fields.Nested(EmailEventSchema))
