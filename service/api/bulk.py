"""POST /api/v1/opportunities/bulk: one action on up to 500 cards, a result per card."""

from __future__ import annotations

import functools

from flask import request
from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from service.api.auth import requires
from service.api.blueprint import Blueprint
from service.api.context import actor, clock, current_site, mail, now, uow
from service.api.errors import DOMAIN_STATUS, ID_MAX
from service.domain.cards import bulk
from service.domain.cards import usecases as cards
from service.domain.sequences import usecases as sequences
from service.models.opportunity import STATUSES

blp = Blueprint(
    "bulk",
    __name__,
    url_prefix="/api/v1/opportunities",
    description="Bulk actions on many cards, each card handled on its own.",
)

# The capability each action needs alone (docs/api.md, capabilities); an unknown or missing
# action needs outreach.edit before it is told what is wrong with it.
ACTION_CAPS = {
    "move": "outreach.edit",
    "delete": "outreach.delete",
    "stop_sequence": "outreach.send",
    "assign_sequence": "outreach.send",
    "assign_project": "outreach.edit",
}


class BulkRequestSchema(Schema):
    ids = fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=1, max=ID_MAX)),
        required=True,
        validate=validate.Length(min=1, max=bulk.MAX_IDS),
    )
    action = fields.String(required=True, validate=validate.OneOf(list(ACTION_CAPS)))
    status = fields.String(
        validate=validate.OneOf(STATUSES),
        metadata={"description": "move: the column; cards go to its end, in their board order."},
    )
    sequence_id = fields.Integer(strict=True, metadata={"description": "assign_sequence."})
    project_id = fields.Integer(
        strict=True,
        allow_none=True,
        validate=validate.Range(min=1, max=ID_MAX),
        metadata={
            "description": "assign_project: the project (docs/api.md §19); null takes the cards "
            "out of their project."
        },
    )
    to = fields.Email(
        allow_none=True,
        validate=validate.Length(max=320),
        metadata={
            "description": "assign_sequence: one recipient for every card (rarely wanted); "
            "by default each card's contact_email."
        },
    )

    @validates_schema
    def _needs(self, data, **_kwargs):
        if data.get("action") == "move" and not data.get("status"):
            raise ValidationError("Choose the column to move the cards to.", "status")
        if data.get("action") == "assign_sequence" and data.get("sequence_id") is None:
            raise ValidationError("Choose the sequence to start.", "sequence_id")
        if data.get("action") == "assign_project" and "project_id" not in data:
            raise ValidationError("Choose the project (or null for none).", "project_id")


class BulkFailureSchema(Schema):
    id = fields.Integer()
    code = fields.Integer(metadata={"description": "The status the single-card call answers."})
    message = fields.String()


class BulkQueuedSchema(Schema):
    id = fields.Integer()
    scheduled_for = fields.DateTime(metadata={"description": "When its step 1 goes."})


class BulkResultSchema(Schema):
    done = fields.List(fields.Integer())
    failed = fields.List(fields.Nested(BulkFailureSchema))
    queued = fields.List(
        fields.Nested(BulkQueuedSchema),
        metadata={
            "description": "assign_sequence: cards whose step 1 waits in the sending queue "
            "(no room now), in request order (docs/api.md §20)."
        },
    )


def requires_per_action(view):
    """403 unless the signed caps hold the capability of the requested action."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        body = request.get_json(silent=True)
        action = body.get("action") if isinstance(body, dict) else None
        needed = (
            ACTION_CAPS.get(action, "outreach.edit") if isinstance(action, str) else "outreach.edit"
        )
        return requires(needed)(view)(*args, **kwargs)

    wrapper.required_capability = "outreach.edit"  # the fallback; see ACTION_CAPS
    return wrapper


@blp.route("/bulk")
class Bulk(MethodView):
    @requires_per_action
    @blp.arguments(BulkRequestSchema)
    @blp.response(200, BulkResultSchema)
    def post(self, data):
        """Move, delete, stop or start sequences, or assign a project, on up to 500 cards
        (per action: move and assign_project need outreach.edit, delete outreach.delete,
        the sequence actions outreach.send). Each id is handled on its own: `failed` says
        why for each card that was not done (another site's id fails as 404, like a
        missing one). assign_sequence sends each step 1
        that has room now during the call and queues the others (`queued`): send ids in
        chunks (e.g. 25) to show progress."""
        ids = bulk.unique(data["ids"])
        outcome = ACTIONS[data["action"]](ids, data)
        failed = {i: exc for i, exc in outcome.failed}
        done = set(outcome.done) - failed.keys()
        queued = [{"id": i, "scheduled_for": at} for i, at in getattr(outcome, "queued", [])]
        return {
            "done": [i for i in ids if i in done],
            **({"queued": queued} if data["action"] == "assign_sequence" else {}),
            "failed": [
                {"id": i, "code": _code(failed[i]), "message": failed[i].message}
                for i in ids
                if i in failed
            ],
        }


# Each action's use case, called with the unique ids and the request body.
ACTIONS = {
    "move": lambda ids, data: cards.bulk_move(
        uow(), current_site(), ids, data["status"], actor(), now()
    ),
    "delete": lambda ids, data: cards.bulk_delete(uow(), current_site(), ids, actor(), now()),
    "assign_project": lambda ids, data: cards.bulk_assign_project(
        uow(), current_site(), ids, data["project_id"], actor(), now()
    ),
    "stop_sequence": lambda ids, data: sequences.stop_many(
        uow(), current_site(), ids, actor(), now()
    ),
    "assign_sequence": lambda ids, data: sequences.enrol_many(
        uow(), mail(), clock(), current_site(), ids, data, actor(), now()
    ),
}


def _code(exc) -> int:
    return next(code for kind, code in DOMAIN_STATUS.items() if isinstance(exc, kind))
