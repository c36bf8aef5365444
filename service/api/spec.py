"""The documented shape of every error body (docs/api.md, errors), extras included."""

from __future__ import annotations

from flask_smorest import Api
from marshmallow import Schema, fields


class ErrorSchema(Schema):
    """code/status/message always; the other fields only where the error has them."""

    code = fields.Integer(metadata={"description": "HTTP status code"})
    status = fields.String(metadata={"description": "HTTP status name"})
    message = fields.String(metadata={"description": "What happened, for a person"})
    errors = fields.Dict(metadata={"description": "422: messages per field"})
    id = fields.Integer(
        metadata={"description": "409 duplicate: the existing opportunity (or list entry)"}
    )
    limit = fields.String(
        metadata={
            "description": "429: cooldown, daily_cap, hourly_cap, spacing, domain_cap or paused"
        }
    )
    retry_at = fields.String(
        metadata={"description": "429: when the email can go (UTC); none while paused"}
    )
    retry_after = fields.Integer(metadata={"description": "429: seconds until retry_at"})
    reason = fields.String(
        metadata={"description": "422 suppressed: bounce, spamreport, unsubscribe or manual"}
    )
    missing = fields.List(
        fields.String(),
        metadata={"description": "422: placeholders the opportunity has no value for"},
    )
    provider_status = fields.Integer(
        allow_none=True, metadata={"description": "502: SendGrid's HTTP status, when it answered"}
    )
    enrollment_id = fields.Integer(
        metadata={"description": "502 on enrolling: the enrollment exists, step 1 is retried"}
    )


class OutreachApi(Api):
    """flask-smorest's Api documenting our error bodies instead of its minimal ones."""

    ERROR_SCHEMA = ErrorSchema
