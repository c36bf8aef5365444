"""Marshmallow schemas of projects, their reports and share links (docs/api.md §19)."""

from __future__ import annotations

from datetime import UTC

from marshmallow import Schema, fields, validate

from service.api.insight_schemas import DateOrDateTime
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


class ReportQuerySchema(Schema):
    """The report's period: days of the site's time zone, the last 30 by default."""

    start = DateOrDateTime(data_key="from", metadata={"description": "first day (inclusive)"})
    end = DateOrDateTime(data_key="to", metadata={"description": "last day (inclusive)"})


class ReportLinkSchema(Schema):
    opportunity_id = fields.Integer()
    source_url = fields.String()
    target_url = fields.String(allow_none=True)
    anchor_text = fields.String(allow_none=True)
    rel = fields.String(
        allow_none=True, metadata={"description": "`rel` of the latest check that saw it."}
    )
    first_live_at = fields.DateTime(
        allow_none=True, metadata={"description": "The first check that saw it live."}
    )
    last_live_at = fields.DateTime(allow_none=True)
    status = fields.String(validate=validate.OneOf(("live", "lost")))


class ReportDaySchema(Schema):
    date = fields.String(metadata={"description": "The day (YYYY-MM-DD), site time zone."})
    sent = fields.Integer()
    replied = fields.Integer()
    won = fields.Integer()


class ReportSchema(Schema):
    project = fields.Nested(ProjectSchema)
    start = fields.String(data_key="from")
    end = fields.String(data_key="to")
    links = fields.List(
        fields.Nested(ReportLinkSchema),
        metadata={
            "description": "Won links live at some time in the period: cards in Won, and won "
            "links since lost, oldest first."
        },
    )
    stages = fields.Nested(
        Schema.from_dict({s: fields.Integer() for s in STATUSES}, name="ReportStages"),
        metadata={"description": "The project's live cards by column now."},
    )
    emails = fields.Nested(
        Schema.from_dict(
            {"sent": fields.Integer(), "replied": fields.Integer()}, name="ReportEmails"
        ),
        metadata={"description": "Emails sent in the period; replies received in it."},
    )
    daily = fields.List(fields.Nested(ReportDaySchema))


class ShareRequestSchema(Schema):
    expires_at = fields.AwareDateTime(
        default_timezone=UTC,
        allow_none=True,
        load_default=None,
        metadata={"description": "When the link stops opening (null: never, until revoked)."},
    )


class ShareSchema(Schema):
    id = fields.Integer()
    url = fields.String(
        metadata={
            "description": "OUTREACH_PUBLIC_URL/r/<token>: shown once, only when it is made "
            "(only a hash of the token is kept)."
        }
    )
    expires_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
