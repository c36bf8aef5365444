"""Marshmallow schemas of link checks and watched backlinks."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.api.schemas import URL
from service.domain.links.backlinks import MAX_BATCH
from service.models.links import LINK_STATUSES


class LinkCheckSchema(Schema):
    id = fields.Integer()
    opportunity_id = fields.Integer(allow_none=True)
    checked_at = fields.DateTime()
    status = fields.String(
        metadata={"description": "live, nofollow, missing or unreachable (see docs/api.md)."}
    )
    http_status = fields.Integer(allow_none=True)
    final_url = fields.String(allow_none=True, metadata={"description": "After redirects."})
    href = fields.String(allow_none=True, metadata={"description": "The link found (resolved)."})
    anchor_text = fields.String(allow_none=True)
    rel = fields.String(allow_none=True)
    noindex = fields.Boolean(
        metadata={"description": "The page is noindex/nofollow (meta robots, X-Robots-Tag)."}
    )
    error = fields.String(allow_none=True, metadata={"description": "Why it was unreachable."})
    duration_ms = fields.Integer()


class BacklinkInSchema(Schema):
    source_url = fields.Url(required=True, validate=validate.Length(max=2000), **URL)
    target_url = fields.Url(allow_none=True, validate=validate.Length(max=2000), **URL)
    anchor_text = fields.String(allow_none=True, validate=validate.Length(max=500))


class BacklinksInSchema(Schema):
    backlinks = fields.List(
        fields.Nested(BacklinkInSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_BATCH),
    )


class BacklinksAddedSchema(Schema):
    created = fields.Integer()
    existing = fields.Integer(metadata={"description": "Already watched (same source, target)."})


class BacklinkSchema(Schema):
    id = fields.Integer()
    source_url = fields.String()
    target_url = fields.String(allow_none=True)
    anchor_text = fields.String(allow_none=True)
    status = fields.String()
    checked_at = fields.DateTime(allow_none=True)
    last_live_at = fields.DateTime(allow_none=True)
    lost_at = fields.DateTime(
        allow_none=True, metadata={"description": "When the current loss was declared."}
    )
    opportunity_id = fields.Integer(
        allow_none=True, metadata={"description": "The Lost Link card of its last loss."}
    )
    created_at = fields.DateTime()


class BacklinkQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf(LINK_STATUSES))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class BacklinkPageSchema(Schema):
    items = fields.List(fields.Nested(BacklinkSchema))
    total = fields.Integer()
    page = fields.Integer()
    page_size = fields.Integer()
