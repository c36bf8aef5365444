"""Link checks of a card: check now, and the history."""

from __future__ import annotations

import time
from datetime import timedelta

from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import requires
from service.api.context import actor, commit, current_site, db, now, runtime
from service.api.link_schemas import LinkCheckSchema
from service.domain.errors import LimitExceeded
from service.domain.links import checks
from service.domain.opportunities import queries

MANUAL_BUDGET = 20.0  # seconds a person's "check now" may take in all

blp = Blueprint(
    "link_checks",
    __name__,
    url_prefix="/api/v1/opportunities",
    description="Link checks: is the card's page linking to the site?",
)


@blp.route("/<int:opportunity_id>/link-check")
class LinkCheckNow(MethodView):
    @requires("outreach.edit")
    @blp.response(200, LinkCheckSchema)
    def post(self, opportunity_id):
        """Check the card's page now (at most 20 s) and apply the result to the card."""
        site = current_site()
        subject = checks.subject_of(queries.get(db(), site, opportunity_id), site)
        commit()  # no transaction stays open across the fetch
        outcome = checks.run(runtime().links.manual, subject, time.monotonic() + MANUAL_BUDGET)
        if outcome.deferred is not None:
            raise LimitExceeded(
                "Every link-check slot stayed busy; try again in a moment.",
                limit="link_checks",
                retry_at=now() + timedelta(seconds=5),
                retry_after=5,
            )
        opp = queries.get(db(), site, opportunity_id)
        check = checks.record(db(), site, opp, outcome, "manual", actor(), now())
        commit()
        return check


@blp.route("/<int:opportunity_id>/link-checks")
class LinkCheckHistory(MethodView):
    @requires("outreach.view")
    @blp.response(200, LinkCheckSchema(many=True))
    def get(self, opportunity_id):
        """The card's link checks, newest first (the last 100)."""
        site = current_site()
        return checks.history(db(), site, queries.get(db(), site, opportunity_id))
