"""The documented shape of every error body (docs/api.md, errors), extras included."""

from __future__ import annotations

import threading

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
    """flask-smorest's Api documenting our error bodies instead of its minimal ones, and
    documenting each resource when the spec is first read (/api/v1/openapi.json, `flask
    openapi write`, a test), not at start: the spec of every route costs an API worker
    ~1.4 MB it never otherwise uses (issue 28, tests/api/test_openapi.py)."""

    ERROR_SCHEMA = ErrorSchema

    def __init__(self, *args, **kwargs):
        self._undocumented: list[tuple] = []  # (blueprint, name, parameters), in order
        # Another thread (gthread workers) waits for the whole document; this one, reading
        # api.spec again from inside the calls below, gets it as it stands.
        self._lock, self._documenting = threading.RLock(), False
        super().__init__(*args, **kwargs)

    @property
    def spec(self):
        spec = self.__dict__.get("_spec")
        if self._undocumented:
            with self._lock:
                if not self._documenting:
                    self._documenting = True
                    try:
                        self._document(spec)
                    finally:
                        self._documenting = False
        return spec

    def _document(self, spec) -> None:
        while self._undocumented:
            blp, name, parameters = self._undocumented.pop(0)
            blp.register_views_in_doc(self, self._app, spec, name=name, parameters=parameters)
            spec.tag({"name": name, "description": blp.description})

    @spec.setter
    def spec(self, value) -> None:
        self.__dict__["_spec"] = value

    def register_blueprint(self, blp, *, parameters=None, **options):
        """Api.register_blueprint with its documentation part left for `spec`."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))
