"""The API's routes: blueprints, authentication hooks and error handlers, wired into an
app by register()."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from service.api import (
    activity,
    audit,
    auth,
    backlinks,
    board,
    bulk,
    health,
    json_body,
    link_checks,
    mailboxes,
    opportunities,
    projects,
    replies,
    report_page,
    sender_domains,
    sequences,
    site,
    suppressions,
    templates,
    tracking_page,
    transfer,
    unsubscribe_page,
    views,
    webhook_endpoints,
)
from service.api.context import close_session
from service.api.emails import blp as emails_blp
from service.api.errors import register_error_handlers
from service.api.insights import blp as insights_blp
from service.api.webhooks import blp as webhooks_blp

RESOURCE_BLUEPRINTS = [opportunities.blp, board.blp, templates.blp, site.blp, sequences.blp]
RESOURCE_BLUEPRINTS += [emails_blp, replies.blp, insights_blp, bulk.blp, suppressions.blp]
RESOURCE_BLUEPRINTS += [link_checks.blp, backlinks.blp, activity.blp]
RESOURCE_BLUEPRINTS += [transfer.blp, audit.blp, webhook_endpoints.blp, sender_domains.blp]
RESOURCE_BLUEPRINTS += [projects.blp]
RESOURCE_BLUEPRINTS += [mailboxes.blp]
RESOURCE_BLUEPRINTS += [views.blp]


def register(app: Flask, api: Api) -> None:
    """Wire hooks, resource blueprints and the error handlers into the app."""
    app.before_request(auth.verify_signed_request)
    app.before_request(json_body.refuse_unusable_json)  # after: only signed bodies are read
    app.teardown_appcontext(close_session)
    api.spec.options.setdefault("security", [{"OutreachSignature": []}])
    for blueprint in RESOURCE_BLUEPRINTS:
        api.register_blueprint(blueprint)
    app.register_blueprint(health.blp)
    app.register_blueprint(webhooks_blp)
    app.register_blueprint(unsubscribe_page.blp)
    app.register_blueprint(report_page.blp)
    app.register_blueprint(tracking_page.blp)
    register_error_handlers(app)
    # Werkzeug answers `/api//v1/x` with an HTML 308 to `/api/v1/x`, built from the Host
    # header and before any signature check. Paths are matched as sent: unknown is a 404.
    # (No rule ends with "/", so strict-slash redirects cannot happen either.)
    app.url_map.merge_slashes = False
