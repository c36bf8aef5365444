"""Sequences (drip campaigns) and enrolling an opportunity in one."""

from __future__ import annotations

from flask.views import MethodView

from service.api.auth import requires
from service.api.blueprint import Blueprint
from service.api.context import actor, clock, current_site, mail, now, uow
from service.api.experiment_schemas import ExperimentsSchema
from service.api.sequence_schemas import (
    EnrollmentSchema,
    EnrollRequestSchema,
    SequencePatchSchema,
    SequenceSchema,
)
from service.domain.experiments import usecases as experiments
from service.domain.sequences import usecases as sequences

blp = Blueprint(
    "sequences", __name__, url_prefix="/api/v1", description="Drip sequences and their enrollments."
)


@blp.route("/sequences")
class Sequences(MethodView):
    @requires("outreach.view")
    @blp.response(200, SequenceSchema(many=True))
    def get(self):
        """All sequences of the site."""
        return sequences.list_sequences(uow(), current_site())

    @requires("outreach.sequences")
    @blp.arguments(SequenceSchema)
    @blp.response(201, SequenceSchema)
    def post(self, data):
        """Create a sequence (422 when a step names another site's or no template)."""
        return sequences.create_sequence(uow(), current_site(), data, actor(), now())


@blp.route("/sequences/<int:sequence_id>")
class SequenceById(MethodView):
    @requires("outreach.view")
    @blp.response(200, SequenceSchema)
    def get(self, sequence_id):
        """One sequence with its steps."""
        return sequences.get_sequence(uow(), current_site(), sequence_id)

    @requires("outreach.sequences")
    @blp.arguments(SequencePatchSchema)
    @blp.response(200, SequenceSchema)
    def patch(self, data, sequence_id):
        """Rename it or replace its steps (running enrollments continue at their step)."""
        return sequences.change_sequence(uow(), current_site(), sequence_id, data, actor(), now())

    @requires("outreach.sequences")
    @blp.response(204)
    def delete(self, sequence_id):
        """Delete a sequence (409 while an enrollment is running it)."""
        sequences.delete_sequence(uow(), current_site(), sequence_id, actor(), now())


@blp.route("/sequences/<int:sequence_id>/experiments")
class SequenceExperiments(MethodView):
    @requires("outreach.view")
    @blp.response(200, ExperimentsSchema)
    def get(self, sequence_id):
        """Each A/B-tested step: per-variant counts and rates, and the verdict on human
        replies (docs/api.md §18)."""
        return experiments.report(uow(), current_site(), sequence_id)


@blp.route("/opportunities/<int:opportunity_id>/sequence")
class OpportunitySequence(MethodView):
    @requires("outreach.view")
    @blp.response(200, EnrollmentSchema)
    def get(self, opportunity_id):
        """The opportunity's active enrollment, or its latest one."""
        return sequences.card_enrollment(uow(), current_site(), opportunity_id)

    @requires("outreach.send")
    @blp.arguments(EnrollRequestSchema)
    @blp.response(201, EnrollmentSchema)
    @blp.alt_response(
        202, schema=EnrollmentSchema, description="Queued: step 1 goes at `scheduled_for`."
    )
    def post(self, data, opportunity_id):
        """Start a sequence: step 1 goes out at once (201), or waits for its slot in the
        sending queue (202, `scheduled_for`); 429 on another limit, nothing enrolled."""
        enrollment = sequences.enrol(
            uow(), mail(), clock(), current_site(), opportunity_id, data, actor(), now()
        )
        return (enrollment, 202) if enrollment.scheduled_for else enrollment

    @requires("outreach.send")
    @blp.response(200, EnrollmentSchema)
    def delete(self, opportunity_id):
        """Stop the active sequence (reason `manual`)."""
        return sequences.stop(uow(), current_site(), opportunity_id, actor(), now())
