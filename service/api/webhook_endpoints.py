"""Outbound webhooks: where the site's events are posted (docs/api.md §17). Not the
inbound SendGrid Event Webhook (api/webhooks.py)."""

from __future__ import annotations

from flask.views import MethodView

from service.api.auth import requires
from service.api.blueprint import Blueprint
from service.api.context import actor, clock, current_site, now, runtime, uow
from service.api.pages import page_of
from service.api.webhook_endpoint_schemas import (
    AttemptPageSchema,
    AttemptQuerySchema,
    AttemptSchema,
    WebhookCreatedSchema,
    WebhookPatchSchema,
    WebhookSchema,
)
from service.domain.outbound_hooks import usecases as hooks

SHOWN = tuple(WebhookSchema().fields)
blp = Blueprint(
    "webhook_endpoints",
    __name__,
    url_prefix="/api/v1/webhooks",
    description="Outbound webhooks and Slack notifications of the site's events.",
)


@blp.route("")
class Webhooks(MethodView):
    @requires("outreach.settings")
    @blp.response(200, WebhookSchema(many=True))
    def get(self):
        """The site's webhook endpoints."""
        return hooks.list_endpoints(uow(), current_site())

    @requires("outreach.settings")
    @blp.arguments(WebhookSchema)
    @blp.response(201, WebhookCreatedSchema)
    def post(self, data):
        """Add an endpoint; the answer shows its signing secret, this once."""
        rt = runtime()
        made, secret = hooks.create_endpoint(
            uow(), rt.secret_box, rt.hooks, current_site(), data, actor(), now()
        )
        return {**{name: getattr(made, name) for name in SHOWN}, "secret": secret}


@blp.route("/<int:webhook_id>")
class WebhookById(MethodView):
    @requires("outreach.settings")
    @blp.response(200, WebhookSchema)
    def get(self, webhook_id):
        """One endpoint."""
        return hooks.get_endpoint(uow(), current_site(), webhook_id)

    @requires("outreach.settings")
    @blp.arguments(WebhookPatchSchema)
    @blp.response(200, WebhookSchema)
    def patch(self, data, webhook_id):
        """Change url, events, format or active (on again: its failures are forgotten)."""
        site = current_site()
        return hooks.update_endpoint(uow(), runtime().hooks, site, webhook_id, data, actor(), now())

    @requires("outreach.settings")
    @blp.response(204)
    def delete(self, webhook_id):
        """Delete an endpoint, its undelivered events and its log."""
        hooks.delete_endpoint(uow(), current_site(), webhook_id, actor(), now())


@blp.route("/<int:webhook_id>/deliveries")
class WebhookDeliveries(MethodView):
    @requires("outreach.settings")
    @blp.arguments(AttemptQuerySchema, location="query")
    @blp.response(200, AttemptPageSchema)
    def get(self, args, webhook_id):
        """Its delivery attempts, newest first."""
        items, total = hooks.deliveries(
            uow(), current_site(), webhook_id, args["page"], args["page_size"]
        )
        return page_of(items, total, args)


@blp.route("/<int:webhook_id>/test")
class WebhookTest(MethodView):
    @requires("outreach.settings")
    @blp.response(200, AttemptSchema)
    def post(self, webhook_id):
        """Send a `ping` event now; 200 with the attempt, even when the endpoint failed."""
        rt = runtime()
        return hooks.send_test(uow(), rt.secret_box, rt.hooks, clock(), current_site(), webhook_id)
