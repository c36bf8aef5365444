"""Marshmallow schemas of the core resources (they generate schemas/openapi.json)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

from service.domain.rendering import has_control_characters
from service.models import ID_MAX
from service.models.opportunity import STATUSES

URL = {"schemes": {"http", "https"}, "require_tld": False}
# Ids and positions are INTEGER columns: a larger number is a 422 naming the field, not a
# database error (or a 404 for an id that cannot exist).
ID = validate.Range(1, ID_MAX)
POSITION = validate.Range(min=0, max=ID_MAX)


def one_line(value: str | None) -> None:
    """Names and subjects become mail headers: no line breaks or other controls (422)."""
    if has_control_characters(value):
        raise ValidationError("Must not contain line breaks or other control characters.")


class EnrollmentSummarySchema(Schema):
    id = fields.Integer()
    sequence_id = fields.Integer()
    name = fields.String()
    status = fields.String()
    stop_reason = fields.String(allow_none=True)
    current_step = fields.Integer(metadata={"description": "Steps done so far."})
    total_steps = fields.Integer(metadata={"description": "Steps in the sequence."})
    next_step_at = fields.DateTime(allow_none=True)
    last_error = fields.String(
        allow_none=True,
        metadata={
            "description": "Why the next step waits or why the enrollment stopped (a postponed "
            "limit, a SendGrid refusal being retried); null once a step goes out."
        },
    )


class OpportunitySchema(Schema):
    id = fields.Integer(dump_only=True)
    status = fields.String(validate=validate.OneOf(STATUSES), load_default="new")
    source_url = fields.Url(required=True, validate=validate.Length(max=2000), **URL)
    domain = fields.String(dump_only=True)
    target_url = fields.Url(allow_none=True, validate=validate.Length(max=2000), **URL)
    anchor_text = fields.String(allow_none=True, validate=validate.Length(max=500))
    contact_email = fields.Email(allow_none=True, validate=validate.Length(max=320))
    contact_name = fields.String(allow_none=True, validate=[validate.Length(max=200), one_line])
    lost_link = fields.Boolean(load_default=False)
    notes = fields.String(validate=validate.Length(max=20000), load_default="")
    position = fields.Integer(
        dump_only=True,
        metadata={
            "description": (
                "Order inside its column, ascending. A send that moves a card to Reached leaves a "
                "gap in its old column (the next move or delete there renumbers it 0..n-1)."
            )
        },
    )
    email_status = fields.String(dump_only=True, allow_none=True)
    emails_sent = fields.Integer(dump_only=True)
    last_emailed_at = fields.DateTime(dump_only=True, allow_none=True)
    unread_replies = fields.Integer(dump_only=True)
    next_send_at = fields.DateTime(
        dump_only=True,
        allow_none=True,
        metadata={"description": "When its earliest scheduled email goes (null: none)."},
    )
    sequence = fields.Nested(EnrollmentSummarySchema, dump_only=True, allow_none=True)
    link_status = fields.String(
        dump_only=True,
        metadata={"description": "unchecked, live, nofollow, missing or unreachable."},
    )
    link_checked_at = fields.DateTime(dump_only=True, allow_none=True)
    link_last_live_at = fields.DateTime(
        dump_only=True,
        allow_none=True,
        metadata={"description": "The last check that found the link (live or nofollow)."},
    )
    origin = fields.String(
        dump_only=True,
        metadata={"description": "manual, import, or link_check (a Lost Link card)."},
    )
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)
    status_changed_at = fields.DateTime(dump_only=True)


class OpportunityPatchSchema(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    position = fields.Integer(strict=True, validate=POSITION)
    source_url = fields.Url(validate=validate.Length(max=2000), **URL)
    target_url = fields.Url(allow_none=True, validate=validate.Length(max=2000), **URL)
    anchor_text = fields.String(allow_none=True, validate=validate.Length(max=500))
    contact_email = fields.Email(allow_none=True, validate=validate.Length(max=320))
    contact_name = fields.String(allow_none=True, validate=[validate.Length(max=200), one_line])
    lost_link = fields.Boolean()
    notes = fields.String(allow_none=True, validate=validate.Length(max=20000))


class OpportunityQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    source_url = fields.String(
        validate=validate.Length(max=2000),
        metadata={
            "description": "Only cards for the same page as this URL, the way a person counts "
            "duplicates: host case, `www.`, default port, trailing slash, scheme, "
            "fragment and `utm_*` parameters ignored (at most 50, oldest first; "
            "the board warns with these before creating a second card)."
        },
    )
    q = fields.String(validate=validate.Length(max=200))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class OpportunityPageSchema(Schema):
    items = fields.List(fields.Nested(OpportunitySchema))
    total = fields.Integer()
    page = fields.Integer()
    page_size = fields.Integer()


class MoveSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    position = fields.Integer(strict=True, validate=POSITION, allow_none=True)


class NotesSchema(Schema):
    notes = fields.String(required=True, validate=validate.Length(max=20000))


class BoardQuerySchema(Schema):
    q = fields.String(validate=validate.Length(max=200))
    since = fields.Integer(
        validate=validate.Range(min=0, max=2**53),
        metadata={
            "description": "A `cursor` from an earlier answer: answer only what changed since "
            "(`cards`, `removed`, `order`, `counts`, `cursor`). A cursor older "
            "than the kept change log (24 hours) or unknown gets the whole board "
            "with `full: true`."
        },
    )


def _columns_schema():
    return {s: fields.List(fields.Nested(OpportunitySchema)) for s in STATUSES}


BoardColumnsSchema = Schema.from_dict(_columns_schema(), name="BoardColumns")
BoardCountsSchema = Schema.from_dict({s: fields.Integer() for s in STATUSES}, name="BoardCounts")


class BoardSchema(Schema):
    """The whole board (`columns`), or with `since` only what changed (`cards`, `removed`,
    `order`); both carry `counts` and the `cursor` of the next poll."""

    columns = fields.Nested(
        BoardColumnsSchema,
        metadata={"description": "Whole board only: every live card by column, in position order."},
    )
    counts = fields.Nested(BoardCountsSchema)
    cursor = fields.String(
        metadata={"description": "The board version this answer is current to: pass it as `since`."}
    )
    full = fields.Boolean(
        metadata={
            "description": "With `since`: false for a delta; true when the cursor could not be "
            "answered exactly and `columns` holds the whole board instead."
        }
    )
    cards = fields.List(
        fields.Nested(OpportunitySchema),
        metadata={
            "description": "Delta: every card whose payload changed since the cursor (created, "
            "edited, moved, emailed, an email event, its sequence), as it is now."
        },
    )
    removed = fields.List(
        fields.Integer(),
        metadata={
            "description": "Delta: ids that left the board (deleted) or no longer match `q`."
        },
    )
    order = fields.Dict(
        keys=fields.String(validate=validate.OneOf(STATUSES)),
        values=fields.List(fields.List(fields.Integer())),
        metadata={
            "description": "Delta: for each column where cards that did not change themselves got "
            "new positions (a card moved in front of them or out from before them), "
            "`[id, position]` of all its cards (matching `q`) in board order. Set "
            "these positions, then order every column by (position, id)."
        },
    )


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


class TemplateOrTextMixin:
    """Requests that take a stored template or an ad-hoc subject and body."""

    @validates_schema
    def _template_or_text(self, data, **_kwargs):
        if data.get("template_id") is None and (not data.get("subject") or not data.get("body")):
            raise ValidationError("Give a template_id, or both subject and body.", "template_id")


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
