"""Marshmallow schemas of sender domains (docs/api.md §20)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.domain.sender_domains import records


class SenderDomainSchema(Schema):
    id = fields.Integer(dump_only=True)
    domain = fields.String(
        required=True,
        validate=validate.Length(min=1, max=253),
        metadata={"description": "The domain (Unicode or ASCII); answered in its IDNA form."},
    )
    status = fields.Function(
        lambda row: "verified" if row.verified_at else "pending",
        dump_only=True,
        metadata={"description": "pending until the TXT record was seen, then verified."},
    )
    txt_name = fields.Function(
        records.txt_name, dump_only=True, metadata={"description": "The TXT record's name."}
    )
    txt_value = fields.Function(
        records.txt_value, dump_only=True, metadata={"description": "The value it must hold."}
    )
    created_at = fields.DateTime(dump_only=True)
    checked_at = fields.DateTime(dump_only=True, allow_none=True)
    verified_at = fields.DateTime(dump_only=True, allow_none=True)


class SenderDomainCheckSchema(SenderDomainSchema):
    problem = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Why it is not verified yet; null when it is."},
    )
