"""The site's own settings."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import requires
from service.api.context import actor, commit, current_site, db, now
from service.api.site_schemas import SitePatchSchema, SiteSchema
from service.domain import senders, sites
from service.domain.deliverability import settings, state

blp = Blueprint(
    "site",
    __name__,
    url_prefix="/api/v1/site",
    description="Settings of the calling site: limits, sender, time zone.",
)


def with_state(site):
    """Attach what the settings screen shows beside the settings (one count query)."""
    site.sending_state = state.of(db(), site, now())
    return site


@blp.route("")
class SiteSettings(MethodView):
    @requires("outreach.settings")
    @blp.response(200, SiteSchema)
    def get(self):
        """The site's settings and its sending state."""
        return with_state(current_site())

    @requires("outreach.settings")
    @blp.arguments(SitePatchSchema)
    @blp.response(200, SiteSchema)
    def patch(self, data):
        """Change the site's settings."""
        senders.check(
            current_site(), data.get("from_email"), current_app.config.get("SENDER_DOMAINS", ())
        )
        data = settings.apply(db(), current_site(), data, actor(), now())
        site = sites.update_settings(db(), current_site(), data, actor(), now())
        commit()
        return with_state(site)
