"""Marshmallow schemas of outbound webhooks (docs/api.md §17)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.api.schemas import URL
from service.models.outbound_hook import HOOK_EVENTS, HOOK_FORMATS


def events_field(**options) -> fields.List:
    return fields.List(
        fields.String(validate=validate.OneOf(HOOK_EVENTS)),
        validate=validate.Length(min=1, max=len(HOOK_EVENTS)),
        metadata={"description": "Which events it receives: " + ", ".join(HOOK_EVENTS) + "."},
        **options,
    )


class WebhookSchema(Schema):
    id = fields.Integer(dump_only=True)
    url = fields.Url(required=True, validate=validate.Length(max=2000), **URL)
    events = events_field(required=True)
    format = fields.String(
        load_default="standard",
        validate=validate.OneOf(HOOK_FORMATS),
        metadata={
            "description": 'standard (Standard Webhooks, signed) or slack ({"text"} for a '
            "Slack-compatible incoming webhook)."
        },
    )
    active = fields.Boolean(load_default=True)
    disabled_reason = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Why it was switched off automatically (3 days of failures)."},
    )
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class WebhookCreatedSchema(WebhookSchema):
    secret = fields.String(
        dump_only=True,
        metadata={"description": "whsec_… signing secret: shown in this answer only."},
    )


class WebhookPatchSchema(Schema):
    url = fields.Url(validate=validate.Length(max=2000), **URL)
    events = events_field()
    format = fields.String(validate=validate.OneOf(HOOK_FORMATS))
    active = fields.Boolean()


class AttemptSchema(Schema):
    event_type = fields.String()
    webhook_id = fields.String(metadata={"description": "The same on every retry of an event."})
    attempt = fields.Integer()
    status_code = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True)
    duration_ms = fields.Integer()
    at = fields.DateTime()


class AttemptQuerySchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class AttemptPageSchema(Schema):
    items = fields.List(fields.Nested(AttemptSchema))
    total = fields.Integer()
    page = fields.Integer()
    page_size = fields.Integer()
