"""Schemas of templates and previews."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.api.schemas import ID, TemplateOrTextMixin, one_line


class TemplateSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    subject = fields.String(required=True, validate=[validate.Length(min=1, max=998), one_line])
    body = fields.String(required=True, validate=validate.Length(min=1, max=100000))
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class TemplatePatchSchema(Schema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    subject = fields.String(validate=[validate.Length(min=1, max=998), one_line])
    body = fields.String(validate=validate.Length(min=1, max=100000))


class PreviewRequestSchema(TemplateOrTextMixin, Schema):
    template_id = fields.Integer(allow_none=True, validate=ID)
    subject = fields.String(allow_none=True, validate=[validate.Length(max=998), one_line])
    body = fields.String(allow_none=True, validate=validate.Length(max=100000))
    opportunity_id = fields.Integer(allow_none=True, validate=ID)


class PreviewSchema(Schema):
    subject = fields.String()
    html = fields.String()
    text = fields.String()
    missing = fields.List(fields.String())
