"""Marshmallow schemas of emails and sends (docs/api.md, templates and sending)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from service.api.schemas import ID, TemplateOrTextMixin, one_line
from service.models.email import STATUS_RANK
from service.models.reply import REPLY_KINDS, REPLY_LABELS

EMAIL_STATUSES = tuple(STATUS_RANK) + ("bounced",)


class SendEmailSchema(TemplateOrTextMixin, Schema):
    to = fields.Email(
        validate=validate.Length(max=320),
        metadata={"description": "Recipient; defaults to the card's contact_email."},
    )
    template_id = fields.Integer(
        allow_none=True,
        validate=ID,
        metadata={"description": "With subject and body too: they win (edited for this send)."},
    )
    subject = fields.String(allow_none=True, validate=[validate.Length(min=1, max=998), one_line])
    body = fields.String(allow_none=True, validate=validate.Length(min=1, max=100000))
    send_at = fields.AwareDateTime(
        allow_none=True,
        metadata={
            "description": "Send later (ISO 8601 with offset; future, at most a year ahead): "
            "202 with status `scheduled`; a `new` card moves to Queued."
        },
    )
    at_next_window = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Instead of `send_at`: schedule for the site's next sending-window "
            "opening (spread over its first 30 minutes, 202); sent now (201) while the window "
            "is open or off."
        },
    )

    rotate_template_ids = fields.List(
        fields.Integer(strict=True, validate=ID),
        validate=validate.Length(min=2, max=5),
        metadata={
            "description": "A/B: rotate between these templates (docs/api.md §18): this send "
            "takes the one the site has sent by hand the fewest times. Instead of "
            "template_id, subject and body."
        },
    )

    @validates_schema
    def _template_or_text(self, data, **_kwargs):
        """One of: a template, a subject and body, or templates to rotate between."""
        if data.get("rotate_template_ids"):
            if any(data.get(k) is not None for k in ("template_id", "subject", "body")):
                raise ValidationError(
                    "Rotate between templates, or give a template or text: not both.",
                    "rotate_template_ids",
                )
            return
        TemplateOrTextMixin._template_or_text(self, data)

    when = fields.String(
        load_default="now",
        validate=validate.OneOf(["now", "queue"]),
        metadata={
            "description": "`queue`: go now when the site's pacing has room, else wait for "
            "the sending queue's next slot (202 with `scheduled_for`; docs/api.md §20). "
            "`now` (default): a limit answers 429."
        },
    )


class EmailEventSchema(Schema):
    type = fields.String()
    at = fields.DateTime()
    detail = fields.Dict()


class ReplySchema(Schema):
    id = fields.Integer()
    email_id = fields.Integer()
    opportunity_id = fields.Integer()
    from_ = fields.String(data_key="from", attribute="from_address")
    subject = fields.String()
    text = fields.String(
        metadata={
            "description": "The new part: quoted history and signature removed where "
            "they can be told apart (HTML-only replies as text)."
        }
    )
    received_at = fields.DateTime()
    read = fields.Function(lambda reply: reply.read_at is not None, dump_only=True)
    read_at = fields.DateTime(allow_none=True)
    forward_state = fields.String(
        metadata={"description": "none (no reply_forward_to) | pending | sent | failed"}
    )
    kind = fields.String(
        metadata={
            "enum": list(REPLY_KINDS),
            "description": "human | auto_reply (kept, not a reply: nothing stops) | bounce | "
            "unsubscribe_request (docs/api.md §16).",
        }
    )
    label = fields.String(allow_none=True, metadata={"enum": [*REPLY_LABELS, None]})
    suggested_contacts = fields.Function(
        lambda reply: list(reply.suggested_contacts or []),
        dump_only=True,
        metadata={"description": "Addresses the prospect named as the right person."},
    )


class ReplyLabelSchema(Schema):
    label = fields.String(
        required=True,
        allow_none=True,
        validate=validate.OneOf(REPLY_LABELS),
        metadata={"description": "interested | not_interested | later | referral; null clears."},
    )


class UseContactSchema(Schema):
    email = fields.Email(
        required=True,
        validate=[validate.Length(max=320), one_line],
        metadata={"description": "One of the reply's suggested_contacts."},
    )
    name = fields.String(
        allow_none=True,
        validate=[validate.Length(max=200), one_line],
        metadata={"description": "The contact's name, when known (else the card's stays)."},
    )


class ReplyFullSchema(ReplySchema):
    full_text = fields.String(metadata={"description": "The whole reply as text."})


class EmailSchema(Schema):
    id = fields.Integer()
    opportunity_id = fields.Integer()
    to = fields.String(attribute="to_email")
    subject = fields.String()
    template_id = fields.Integer(allow_none=True)
    sequence_id = fields.Integer(allow_none=True)
    step = fields.Integer(allow_none=True)
    mailbox_id = fields.Integer(
        allow_none=True,
        metadata={"description": "The mailbox that sends it (docs/api.md §15); null: SendGrid."},
    )
    mailbox_email = fields.Function(
        lambda e: getattr(e, "mailbox_email", None),
        dump_only=True,
        allow_none=True,
        metadata={
            "description": "That mailbox's address (null: SendGrid, or the mailbox was "
            "deleted). In a card's history the oldest one is the mailbox that writes to the "
            "prospect (docs/api.md §15).",
            "type": "string",
        },
    )
    variant = fields.Integer(
        allow_none=True,
        metadata={"description": "Which variant of an A/B-tested step (docs/api.md §18)."},
    )
    message_id = fields.String(allow_none=True)
    status = fields.Function(
        lambda e: "scheduled" if e.send_state == "scheduled" else e.status,
        allow_none=True,
        metadata={"enum": [*EMAIL_STATUSES, "scheduled"]},
    )
    send_state = fields.String(
        metadata={
            "description": "pending | sent | failed (refused, slot released) | unknown "
            "(timeout/5xx: may have gone out, never resent automatically) | scheduled "
            "(waits for scheduled_for) | cancelled"
        }
    )
    scheduled_for = fields.DateTime(
        allow_none=True,
        metadata={"description": "When a scheduled email goes (postponed by the limits)."},
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
    replies = fields.List(fields.Nested(ReplySchema))


class InboxQuerySchema(Schema):
    kind = fields.String(validate=validate.OneOf(REPLY_KINDS))
    label = fields.String(
        validate=validate.OneOf([*REPLY_LABELS, "none"]),
        metadata={"description": "A label, or `none` for replies no one labelled yet."},
    )
    unread = fields.Boolean(metadata={"description": "true: unread only; false: read only."})
    opportunity_id = fields.Integer(validate=ID)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class InboxCardSchema(Schema):
    id = fields.Integer()
    domain = fields.String()
    source_url = fields.String()
    status = fields.String()
    contact_email = fields.String(allow_none=True)
    contact_name = fields.String(allow_none=True)


class InboxEmailSchema(Schema):
    id = fields.Integer()
    subject = fields.String()
    to = fields.String()


class InboxReplySchema(ReplySchema):
    card = fields.Nested(InboxCardSchema)
    email = fields.Nested(InboxEmailSchema)


class InboxPageSchema(Schema):
    items = fields.List(fields.Nested(InboxReplySchema))
    total = fields.Integer()
    page = fields.Integer()
    page_size = fields.Integer()
    unread = fields.Integer(metadata={"description": "The site's unread replies (any filter)."})
