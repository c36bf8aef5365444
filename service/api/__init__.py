"""HTTP boundary: blueprints, authentication hooks and error handlers."""
from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from service.api import auth, board, health, opportunities, sequences, site, templates
from service.api import emails, metrics, webhooks
from service.api.context import close_session
from service.api.errors import register_error_handlers

RESOURCE_BLUEPRINTS = [opportunities.blp, board.blp, templates.blp, site.blp, sequences.blp]
RESOURCE_BLUEPRINTS += [emails.blp, metrics.blp]


def register(app: Flask, api: Api) -> None:
    """Wire hooks, resource blueprints and the error handlers into the app."""
    app.before_request(auth.verify_signed_request)
    app.teardown_appcontext(close_session)
    api.spec.options.setdefault("security", [{"OutreachSignature": []}])
    for blueprint in RESOURCE_BLUEPRINTS:
        api.register_blueprint(blueprint)
    app.register_blueprint(health.blp)
    app.register_blueprint(webhooks.blp)
    register_error_handlers(app)
