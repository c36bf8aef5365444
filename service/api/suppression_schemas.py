"""Schemas of the do-not-contact list (docs/api.md, deliverability)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.domain.deliverability.listing import PUBLIC_REASON

REASONS = ("bounce", "spamreport", "unsubscribe", "manual")


class PublicReason(fields.String):
    """The stored reason in the contract's words (bounced and dropped read `bounce`)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(PUBLIC_REASON.get(value, value), attr, obj, **kwargs)


class SuppressionSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = fields.String(
        dump_only=True, metadata={"description": "email | domain (a domain covers subdomains)"}
    )
    value = fields.String(
        attribute="email",
        required=True,
        validate=validate.Length(min=1, max=320),
        metadata={"description": "An address, or a domain such as example.com."},
    )
    reason = PublicReason(
        load_default="manual",
        validate=validate.OneOf(REASONS, error="Use bounce, spamreport, unsubscribe or manual."),
        metadata={"description": "bounce | spamreport | unsubscribe | manual"},
    )
    note = fields.String(allow_none=True, validate=validate.Length(max=1000))
    created_at = fields.DateTime(dump_only=True)


class SuppressionQuerySchema(Schema):
    q = fields.String(validate=validate.Length(max=200))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class SuppressionPageSchema(Schema):
    items = fields.List(fields.Nested(SuppressionSchema))
    total = fields.Integer()
    page = fields.Integer()
    page_size = fields.Integer()
