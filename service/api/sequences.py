"""Sequences (drip campaigns) and enrolling an opportunity in one."""

from __future__ import annotations

import os
import secrets

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import func, select

from service.api.auth import requires
from service.api.context import actor, commit, current_site, db, now, runtime, unit
from service.api.sequence_schemas import (
    EnrollmentSchema,
    EnrollRequestSchema,
    SequencePatchSchema,
    SequenceSchema,
)
from service.domain.errors import NotFound, UpstreamRefused
from service.domain.opportunities import queries
from service.domain.sequences import definitions as sequences
from service.domain.sequences import dispatch, enrollments, prepare, record
from service.models import Enrollment, Sequence, SequenceStep

blp = Blueprint(
    "sequences", __name__, url_prefix="/api/v1", description="Drip sequences and their enrollments."
)


def with_counts(items: list[Sequence]) -> list[Sequence]:
    """Attach how many enrollments run each sequence (one query)."""
    counts = sequences.active_counts(db(), [s.id for s in items])
    for item in items:
        item.active_enrollments = counts.get(item.id, 0)
    return items


def shown(enrollment: Enrollment) -> Enrollment:
    """Attach total_steps for the response."""
    enrollment.total_steps = db().scalar(
        select(func.count(SequenceStep.id)).where(
            SequenceStep.sequence_id == enrollment.sequence_id
        )
    )
    return enrollment


@blp.route("/sequences")
class Sequences(MethodView):
    @requires("outreach.view")
    @blp.response(200, SequenceSchema(many=True))
    def get(self):
        """All sequences of the site."""
        return with_counts(sequences.list_all(db(), current_site()))

    @requires("outreach.sequences")
    @blp.arguments(SequenceSchema)
    @blp.response(201, SequenceSchema)
    def post(self, data):
        """Create a sequence (422 when a step names another site's or no template)."""
        sequence = sequences.create(db(), current_site(), data, actor(), now())
        commit()
        return with_counts([sequence])[0]


@blp.route("/sequences/<int:sequence_id>")
class SequenceById(MethodView):
    @requires("outreach.view")
    @blp.response(200, SequenceSchema)
    def get(self, sequence_id):
        """One sequence with its steps."""
        return with_counts([sequences.get(db(), current_site(), sequence_id)])[0]

    @requires("outreach.sequences")
    @blp.arguments(SequencePatchSchema)
    @blp.response(200, SequenceSchema)
    def patch(self, data, sequence_id):
        """Rename it or replace its steps (running enrollments continue at their step)."""
        site = current_site()
        sequence = sequences.update(
            db(), site, sequences.get(db(), site, sequence_id, lock=True), data, actor(), now()
        )
        commit()
        return with_counts([sequence])[0]

    @requires("outreach.sequences")
    @blp.response(204)
    def delete(self, sequence_id):
        """Delete a sequence (409 while an enrollment is running it)."""
        site = current_site()
        sequences.delete(
            db(), site, sequences.get(db(), site, sequence_id, lock=True), actor(), now()
        )
        commit()


RECORD_TRIES = 5  # step 1 answered: its record is re-run if the database refuses it


@blp.route("/opportunities/<int:opportunity_id>/sequence")
class OpportunitySequence(MethodView):
    @requires("outreach.view")
    @blp.response(200, EnrollmentSchema)
    def get(self, opportunity_id):
        """The opportunity's active enrollment, or its latest one."""
        site = current_site()
        opp = queries.get(db(), site, opportunity_id)
        latest = db().scalar(
            select(Enrollment)
            .where(Enrollment.opportunity_id == opp.id)
            .order_by(Enrollment.id.desc())
            .limit(1)
        )
        if latest is None:
            raise NotFound("This opportunity has never run a sequence.")
        return shown(latest)

    @requires("outreach.send")
    @blp.arguments(EnrollRequestSchema)
    @blp.response(201, EnrollmentSchema)
    def post(self, data, opportunity_id):
        """Start a sequence: step 1 goes out at once (429 on a limit, nothing enrolled)."""
        site = current_site()
        opp = queries.get(db(), site, opportunity_id)
        sequence = sequences.get(db(), site, data["sequence_id"], lock=True)
        owner = f"api:{os.getpid()}:{secrets.token_hex(3)}"
        mailer = dispatch.StepMailer(runtime().mailer)
        job = prepare.enroll(
            db(), site, opp, sequence, data["to"], actor(), owner, now(), mailer.reply_domain
        )
        commit()  # the enrollment and step 1's reservation are on record before SendGrid
        dispatch.hand_over(job, mailer)  # no transaction open meanwhile
        # Step 1 is a chunk of one: recorded like the scheduler's steps, by the same code.
        counts = unit().retry(
            lambda: record.record_chunk(db(), [job], owner, runtime().clock.now()), RECORD_TRIES
        )
        enrollment, email = job.enrollment, job.email
        if "sent" not in counts:
            raise UpstreamRefused(_step_one_message(enrollment, email), enrollment_id=enrollment.id)
        return shown(enrollment)

    @requires("outreach.send")
    @blp.response(200, EnrollmentSchema)
    def delete(self, opportunity_id):
        """Stop the active sequence (reason `manual`)."""
        site = current_site()
        opp = queries.get(db(), site, opportunity_id)
        enrollment = enrollments.active_enrollment(db(), opp.id)
        if enrollment is None:
            raise NotFound("This opportunity has no active sequence.")
        enrollments.stop_audited(db(), enrollment, "manual", actor(), now())
        commit()
        return shown(enrollment)


def _step_one_message(enrollment: Enrollment, email) -> str:
    """Say what SendGrid said and what happens to the sequence now."""
    said = email.error or "SendGrid did not accept the email."
    if enrollment.status == "stopped":
        return f"{said} The sequence was stopped (step 1 failed)."
    if email.send_state == "failed":
        return (
            f"{said} The sequence was started; step 1 will be retried at "
            f"{enrollment.next_step_at:%H:%M} UTC."
        )
    return f"{said} The sequence was started and step 1 will not be repeated."
