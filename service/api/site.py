"""The site's own settings."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from service.api.auth import read_beside, reads_per_statement, requires
from service.api.blueprint import Blueprint
from service.api.context import actor, current_site, now, uow
from service.api.site_schemas import SitePatchSchema, SiteSchema
from service.domain import site_settings
from service.domain.sending import limits

blp = Blueprint(
    "site",
    __name__,
    url_prefix="/api/v1/site",
    description="Settings of the calling site: limits, sender, time zone.",
)


@blp.route("")
class SiteSettings(MethodView):
    @reads_per_statement(beside=limits.sent_last_24h_beside_site)
    @requires("outreach.settings")
    @blp.response(200, SiteSchema)
    def get(self):
        """The site's settings and its sending state."""
        return site_settings.read(uow(), current_site(), now(), read_beside())

    @requires("outreach.settings")
    @blp.arguments(SitePatchSchema)
    @blp.response(200, SiteSchema)
    def patch(self, data):
        """Change the site's settings."""
        domains = current_app.config.get("SENDER_DOMAINS", ())
        return site_settings.change(uow(), current_site(), data, domains, actor(), now())
