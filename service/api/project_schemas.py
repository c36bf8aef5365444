"""Marshmallow schemas of projects, their reports and share links (docs/api.md §19)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.api.schemas import one_line
from service.models.opportunity import STATUSES

COLOR = validate.Regexp(r"^#[0-9a-fA-F]{6}$", error="Give a colour as #rrggbb.")
DOMAIN = validate.Regexp(
    r"^[^\s/:@]+\.[^\s/:@]+$", error="Give a domain name such as client.example."
)


class ProjectSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=[validate.Length(min=1, max=200), one_line])
    client = fields.String(
        allow_none=True,
        load_default=None,
        validate=[validate.Length(max=200), one_line],
        metadata={"description": "The client's name, as the report shows it."},
    )
    target_domain = fields.String(
        allow_none=True,
        load_default=None,
        validate=[validate.Length(max=253), DOMAIN],
        metadata={"description": "The client's site, the one its links point to."},
    )
    color = fields.String(
        load_default="#2271b1",
        validate=COLOR,
        metadata={"description": "The colour of its cards on the board (#rrggbb)."},
    )
    archived = fields.Boolean(
        load_default=False,
        metadata={"description": "Archived: kept, with its cards, out of the board's picker."},
    )
    counts = fields.Dict(
        keys=fields.String(validate=validate.OneOf(STATUSES)),
        values=fields.Integer(),
        dump_only=True,
        metadata={"description": "Its live cards, by column."},
    )


class ProjectPatchSchema(Schema):
    name = fields.String(validate=[validate.Length(min=1, max=200), one_line])
    client = fields.String(allow_none=True, validate=[validate.Length(max=200), one_line])
    target_domain = fields.String(allow_none=True, validate=[validate.Length(max=253), DOMAIN])
    color = fields.String(validate=COLOR)
    archived = fields.Boolean()
