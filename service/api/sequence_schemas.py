"""Marshmallow schemas of sequences and enrollments (docs/api.md, sequences)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from service.api.schemas import ID
from service.models.sequence import ENROLLMENT_STATUSES, STOP_REASONS

MAX_STEPS = 50


class VariantSchema(Schema):
    template_id = fields.Integer(required=True, strict=True, validate=ID)
    weight = fields.Integer(load_default=1, strict=True, validate=validate.Range(min=1, max=100))


class StepSchema(Schema):
    template_id = fields.Integer(
        strict=True,
        validate=ID,
        metadata={"description": "Required unless `variants` is given (then its first)."},
    )
    delay_hours = fields.Float(
        load_default=72.0, allow_nan=False, validate=validate.Range(min=0, max=24 * 365 * 5)
    )
    stop_on_reply = fields.Boolean(load_default=True)
    stop_on_click = fields.Boolean(load_default=True)
    stop_on_open = fields.Boolean(load_default=True)
    thread = fields.String(
        load_default="reply",
        validate=validate.OneOf(("reply", "new")),
        metadata={
            "description": "reply: a step after the first goes out as `Re: <first subject>` "
            "with In-Reply-To/References to the first email; new: a thread of its own."
        },
    )
    variants = fields.List(
        fields.Nested(VariantSchema),
        allow_none=True,
        load_default=None,
        validate=validate.Length(min=2, max=5),
        metadata={"description": "An A/B test of this step (docs/api.md §18): 2-5 variants."},
    )
    auto_winner = fields.Boolean(
        load_default=False,
        metadata={"description": "Once decided, later enrollments get the leader only."},
    )
    min_sends = fields.Integer(
        load_default=100,
        strict=True,
        validate=validate.Range(min=1, max=1_000_000),
        metadata={"description": "Sends every variant needs before the test can be decided."},
    )

    @validates_schema
    def _one_template(self, data, **kwargs):
        variants = data.get("variants")
        if not variants and "template_id" not in data:
            raise ValidationError("Missing data for required field.", "template_id")
        if (
            variants
            and data.get("template_id", variants[0]["template_id"]) != (variants[0]["template_id"])
        ):
            raise ValidationError("With variants, template_id is the first's.", "template_id")

    @post_load
    def _first_variant(self, data, **kwargs):
        if data.get("variants"):
            data["template_id"] = data["variants"][0]["template_id"]
        return data


class SequenceSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    steps = fields.List(
        fields.Nested(StepSchema), required=True, validate=validate.Length(min=1, max=MAX_STEPS)
    )
    active_enrollments = fields.Integer(dump_only=True)
    warnings = fields.List(
        fields.Dict(keys=fields.String(), values=fields.String()),
        dump_only=True,
        metadata={
            "description": "[{field, message}]: steps that cannot go when their delay says "
            "(a follow-up sooner than the site's cooldown waits for it; docs/api.md §20)."
        },
    )
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class SequencePatchSchema(Schema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    steps = fields.List(fields.Nested(StepSchema), validate=validate.Length(min=1, max=MAX_STEPS))


class EnrollRequestSchema(Schema):
    sequence_id = fields.Integer(required=True, strict=True, validate=ID)
    to = fields.Email(required=True, validate=validate.Length(max=320))


class EnrollmentSchema(Schema):
    id = fields.Integer()
    sequence_id = fields.Integer()
    opportunity_id = fields.Integer()
    to = fields.String(attribute="to_email")
    status = fields.String(validate=validate.OneOf(ENROLLMENT_STATUSES))
    stop_reason = fields.String(
        allow_none=True, validate=validate.OneOf(STOP_REASONS + ("failed",))
    )
    current_step = fields.Integer(metadata={"description": "steps sent so far (0 before step 1)"})
    total_steps = fields.Integer(dump_only=True)
    next_step_at = fields.DateTime(allow_none=True)
    scheduled_for = fields.DateTime(
        dump_only=True,
        allow_none=True,
        metadata={"description": "While step 1 waits in the sending queue: when it goes."},
    )
    last_error = fields.String(
        allow_none=True,
        metadata={
            "description": "why the last step attempt did not go out as planned, if it did not"
        },
    )
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    stopped_at = fields.DateTime(allow_none=True)
