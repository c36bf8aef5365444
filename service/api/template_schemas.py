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
    """What the send would take: the given subject/body win over the template's."""

    template_id = fields.Integer(allow_none=True, validate=ID)
    subject = fields.String(allow_none=True, validate=[validate.Length(max=998), one_line])
    body = fields.String(allow_none=True, validate=validate.Length(max=100000))
    opportunity_id = fields.Integer(allow_none=True, validate=ID)


class PreviewSchema(Schema):
    subject = fields.String()
    html = fields.String()
    text = fields.String()
    headers = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "The headers the send adds (List-Unsubscribe...)."},
    )
    missing = fields.List(fields.String())
    from_email = fields.String(
        metadata={"description": "The sender: the mailbox the send would take, else the site's."}
    )
    from_name = fields.String(allow_none=True)
    reply_to = fields.String(allow_none=True)
