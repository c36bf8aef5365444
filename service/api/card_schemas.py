"""Schemas of cards and the board, built from the one declaration of each card field
(service/domain/cards/fields.py): its limits reach schemas/openapi.json from here."""

from __future__ import annotations

import functools

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from service.api.schemas import ID, POSITION, URL, one_line
from service.domain.cards.board_filters import SORTS
from service.domain.cards.fields import BY_NAME, FIELDS, METRIC_SOURCE_LENGTH, METRICS, CardField
from service.models.links import LINK_STATUSES
from service.models.opportunity import STATUSES

MetricsSchema = Schema.from_dict(
    {
        **{
            m.name: fields.Integer(
                allow_none=True,
                validate=validate.Range(min=0, max=m.maximum),
                metadata={"description": m.label},
            )
            for m in METRICS
        },
        "source": fields.String(
            allow_none=True,
            validate=[validate.Length(max=METRIC_SOURCE_LENGTH), one_line],
            metadata={"description": "The tool the numbers came from (Ahrefs, Semrush, Moz…)."},
        ),
    },
    name="CardMetrics",
)

KINDS = {
    "text": fields.String,
    "url": fields.Url,
    "email": fields.Email,
    "status": fields.String,
    "bool": fields.Boolean,
    "int": fields.Integer,
    "datetime": fields.DateTime,
    "metrics": functools.partial(fields.Nested, MetricsSchema),
}


def _validators(field: CardField) -> list:
    found = []
    if field.kind == "status":
        found.append(validate.OneOf(STATUSES))
    if field.max_length:
        found.append(validate.Length(max=field.max_length))
    if field.kind == "int" and field.editable:  # a reference (project_id): an id's range
        found.append(ID)
    if field.one_line:
        found.append(one_line)
    return found


def _options(field: CardField) -> dict:
    options = dict(URL) if field.kind == "url" else {}
    if field.description:
        options["metadata"] = {"description": field.description}
    checks = _validators(field)
    if len(checks) == 1:
        options["validate"] = checks[0]
    elif checks:
        options["validate"] = checks
    return options


def _created(field: CardField) -> fields.Field:
    """The field as create sends it (and every answer shows it)."""
    options = _options(field)
    if not (field.editable or field.kind == "status"):
        return KINDS[field.kind](dump_only=True, allow_none=field.nullable, **options)
    if field.required:
        options["required"] = True
    elif field.default is not None:
        options["load_default"] = field.default
    else:
        options["allow_none"] = field.nullable
    return KINDS[field.kind](**options)


def _patched(field: CardField) -> fields.Field:
    """The field as PATCH sends it: optional; null clears a nullable one."""
    options = _options(field)
    options.pop("metadata", None)
    if field.nullable:
        options["allow_none"] = True
    return KINDS[field.kind](**options)


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


def _card_schema() -> type[Schema]:
    """Every card field as the API shows it, `sequence` after the card's own sending
    fields (where the board shows it)."""
    shown = {f.name: _created(f) for f in FIELDS}
    at = list(shown).index("next_send_at") + 1
    order = [*list(shown)[:at], "sequence", *list(shown)[at:]]
    shown["sequence"] = fields.Nested(EnrollmentSummarySchema, dump_only=True, allow_none=True)
    return type("OpportunitySchema", (Schema,), {name: shown[name] for name in order})


OpportunitySchema = _card_schema()
OpportunityPatchSchema = type(
    "OpportunityPatchSchema",
    (Schema,),
    {
        "status": fields.String(validate=validate.OneOf(STATUSES)),
        "position": fields.Integer(strict=True, validate=POSITION),
        **{f.name: _patched(f) for f in FIELDS if f.editable},
    },
)


class OpportunityQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    source_url = fields.String(
        validate=validate.Length(max=BY_NAME["source_url"].max_length),
        metadata={
            "description": "Only cards for the same page as this URL, the way a person counts "
            "duplicates: host case, `www.`, default port, trailing slash, scheme, "
            "fragment and `utm_*` parameters ignored (at most 50, oldest first; "
            "the board warns with these before creating a second card)."
        },
    )
    q = fields.String(validate=validate.Length(max=200))
    project_id = fields.Integer(
        validate=ID,
        metadata={"description": "Only the cards of this project (docs/api.md §19)."},
    )
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
    notes = fields.String(required=True, validate=validate.Length(max=BY_NAME["notes"].max_length))


class BoardViewSchema(Schema):
    """What a board request shows: search, filters, sort (docs/api.md §20); a saved view's
    `query` is one of these."""

    q = fields.String(validate=validate.Length(max=200))
    sort = fields.String(
        validate=validate.OneOf([*SORTS, *(f"-{s}" for s in SORTS)]),
        metadata={
            "description": "Each column's order: position (default), dr, traffic, "
            "last_contact, next_step or created; `-` in front for descending. Cards without "
            "a value come last either way; a delta's cards are placed by the same key."
        },
    )
    has_email = fields.Boolean(metadata={"description": "Only cards with (without) a contact."})
    email_status = fields.String(
        validate=validate.Length(min=1, max=16),
        metadata={
            "description": "Only cards whose latest email has this status "
            "(sent, delivered, opened, clicked, replied, bounced…); `none`: never emailed."
        },
    )
    unread = fields.Boolean(metadata={"description": "Only cards with (without) unread replies."})
    link_status = fields.String(validate=validate.OneOf(LINK_STATUSES))
    sequence_id = fields.Integer(
        validate=validate.Range(min=1, max=2**31 - 1),
        metadata={"description": "Only cards whose active or latest enrollment is in it."},
    )
    project_id = fields.Integer(
        validate=ID, metadata={"description": "Only the cards of this project (docs/api.md §19)."}
    )
    dr_min = fields.Integer(validate=validate.Range(min=0, max=100))
    dr_max = fields.Integer(validate=validate.Range(min=0, max=100))

    @validates_schema
    def _range(self, data, **_kwargs):
        if data.get("dr_min", 0) > data.get("dr_max", 100):
            raise ValidationError("dr_min must not be above dr_max.", "dr_min")


class BoardQuerySchema(BoardViewSchema):
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
            "description": "Delta: ids that left the board (deleted) or no longer match `q` "
            "and the filters."
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
