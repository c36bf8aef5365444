"""Marshmallow schemas of experiments, A/B tests of sequence steps (docs/api.md §18)."""

from __future__ import annotations

from marshmallow import Schema, fields


class VariantResultSchema(Schema):
    variant = fields.Integer(metadata={"description": "Index into the step's variants."})
    template_id = fields.Integer()
    weight = fields.Integer()
    sent = fields.Integer()
    delivered = fields.Integer()
    opened = fields.Integer()
    clicked = fields.Integer()
    replied = fields.Integer(metadata={"description": "Emails with a human reply."})
    positive = fields.Integer(metadata={"description": "Replies labelled `interested`."})
    open_rate = fields.Float()
    reply_rate = fields.Float()
    positive_rate = fields.Float()
    reply_interval = fields.List(
        fields.Float(),
        metadata={"description": "95 % credible interval of the reply rate [low, high]."},
    )


class VerdictSchema(Schema):
    leader = fields.Integer(allow_none=True)
    confidence = fields.Float(
        metadata={"description": "Probability that the leader's reply rate is the highest."}
    )
    decided = fields.Boolean()
    sends_to_decide = fields.Integer(
        allow_none=True,
        metadata={"description": "More sends per variant to decide at the observed rates."},
    )


class StepExperimentSchema(Schema):
    position = fields.Integer()
    auto_winner = fields.Boolean()
    min_sends = fields.Integer()
    winner = fields.Integer(
        allow_none=True, metadata={"description": "The variant auto_winner now sends."}
    )
    winner_at = fields.DateTime(allow_none=True)
    variants = fields.List(fields.Nested(VariantResultSchema))
    verdict = fields.Nested(VerdictSchema)


class ExperimentsSchema(Schema):
    steps = fields.List(fields.Nested(StepExperimentSchema))
