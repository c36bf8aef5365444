"""Schemas of saved board views (docs/api.md §20)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.api.card_schemas import BoardViewSchema
from service.api.schemas import one_line


class SavedViewSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=100), one_line],
        metadata={"description": "Unique among the person's views (409 with its id)."},
    )
    query = fields.Nested(
        BoardViewSchema,
        required=True,
        metadata={
            "description": "The board arguments it applies: `q`, `sort` and the filters "
            "of GET /api/v1/board (no `since`)."
        },
    )
    created_at = fields.DateTime(dump_only=True)
