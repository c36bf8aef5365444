"""Outreach metrics (docs/api.md, metrics and insights): totals, per day, per template,
per step."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow.exceptions import ValidationError

from service.api.auth import requires
from service.api.blueprint import Blueprint
from service.api.context import current_site, now, uow
from service.api.insight_schemas import (
    DailyQuerySchema,
    DailySchema,
    FilteredMetricsQuerySchema,
    MetricsQuerySchema,
    MetricsSchema,
    SequencePerformanceSchema,
    TemplatePerformanceSchema,
    as_bounds,
    local_days,
)
from service.domain.errors import Invalid
from service.domain.insights import usecases as insights

blp = Blueprint(
    "metrics",
    __name__,
    url_prefix="/api/v1/metrics",
    description="Sent, delivered, open/click/reply rates, bounces, wins; per day and per pitch.",
)


def invalid_period(exc: ValidationError) -> Invalid:
    """A 422 whose message says what is wrong with the period."""
    first = next(iter(exc.messages.values()), ["It is not valid."])
    return Invalid(f"The period is not valid: {first[0]}", exc.messages)


def period(args) -> tuple:
    """[start, end) of the query's `from`/`to` in the site's time zone (422 if invalid)."""
    try:
        return as_bounds(args.get("start"), args.get("end"), current_site().timezone)
    except ValidationError as exc:
        raise invalid_period(exc) from None


def days(args, site) -> tuple:
    """The query's first and last day (site time zone; the last 30 by default, at most
    366): 422 for a period that is not one."""
    try:
        return local_days(
            args.get("start"), args.get("end"), site.timezone, insights.today(site, now())
        )
    except ValidationError as exc:
        raise invalid_period(exc) from None


@blp.route("")
class Metrics(MethodView):
    @requires("outreach.view")
    @blp.arguments(FilteredMetricsQuerySchema, location="query")
    @blp.response(200, MetricsSchema)
    def get(self, args):
        """Metrics over the emails sent between `from` and `to` (both optional, inclusive),
        of one template or one sequence when asked."""
        start, end = period(args)
        template_id, sequence_id = args.get("template_id"), args.get("sequence_id")
        return insights.metrics(
            uow(), current_site(), start, end, template_id, sequence_id,
            project_id=args.get("project_id"),
        )  # fmt: skip


@blp.route("/daily")
class Daily(MethodView):
    @requires("outreach.view")
    @blp.arguments(DailyQuerySchema, location="query")
    @blp.response(200, DailySchema(many=True))
    def get(self, args):
        """One row per day (site time zone; the last 30 days by default, at most 366), each
        event counted on the day it happened."""
        site = current_site()
        first, last = days(args, site)
        return insights.daily(uow(), site, first, last, args.get("project_id"))


@blp.route("/templates")
class TemplatesPerformance(MethodView):
    @requires("outreach.view")
    @blp.arguments(MetricsQuerySchema, location="query")
    @blp.response(200, TemplatePerformanceSchema(many=True))
    def get(self, args):
        """One row per template: the emails sent from it in the period and their rates."""
        start, end = period(args)
        return insights.per_template(uow(), current_site(), start, end, args.get("project_id"))


@blp.route("/sequences")
class SequencesPerformance(MethodView):
    @requires("outreach.view")
    @blp.arguments(MetricsQuerySchema, location="query")
    @blp.response(200, SequencePerformanceSchema(many=True))
    def get(self, args):
        """One row per sequence with a row per step: which pitch and which follow-up work."""
        start, end = period(args)
        return insights.per_sequence(uow(), current_site(), start, end, args.get("project_id"))
