"""Schemas of the site's deliverability settings and sending state (docs/api.md,
deliverability)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

CLOCK_RE = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class SendWindowSchema(Schema):
    """The sending window: ISO weekdays and local wall-clock hours in the site's timezone."""

    enabled = fields.Boolean()
    days = fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=1, max=7)),
        validate=validate.Length(min=1, max=7, error="Pick at least one day."),
        metadata={"description": "ISO weekdays: 1 = Monday ... 7 = Sunday."},
    )
    start = fields.String(validate=validate.Regexp(CLOCK_RE, error="Use HH:MM, like 09:00."))
    end = fields.String(validate=validate.Regexp(CLOCK_RE, error="Use HH:MM, like 17:00."))


class SendingStateSchema(Schema):
    sent_last_24h = fields.Integer(
        metadata={"description": "Emails holding a daily_limit slot now (rolling 24 hours)."}
    )
    next_window_opening = fields.DateTime(
        allow_none=True,
        metadata={"description": "When the sending window opens next; null while open or off."},
    )
