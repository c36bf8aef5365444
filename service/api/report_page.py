"""The public share page `/r/<token>` of a project's report (docs/api.md §19): unsigned,
read-only, standalone HTML (or `?format=csv`); 404 alike for an unknown, revoked or
expired token."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Response, request
from marshmallow import ValidationError

from service.api.context import now, uow
from service.api.insight_schemas import DateOrDateTime, local_days
from service.api.report_html import CSP, page
from service.domain.insights import usecases as insights
from service.domain.insights.breakdowns import zone_of
from service.domain.projects import usecases as projects
from service.domain.transfer.exporter import text

blp = Blueprint("report_page", __name__)
DEFAULT_DAYS = 366  # without ?from=: the year up to `to` (cards may predate their project)
CSV_COLUMNS = (
    "source_url",
    "target_url",
    "anchor_text",
    "rel",
    "first_live_at",
    "last_live_at",
    "status",
)
GONE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found</title>'
    "</head><body><main><h1>This report link does not open</h1><p>It may have been revoked "
    "or have expired: ask for a new link.</p></main></body></html>"
)


def _days(site, project):
    """The page's period: ?from=&to= (site days), by default the year up to today."""
    today = insights.today(site, now())
    field = DateOrDateTime()
    try:
        start = field.deserialize(request.args["from"]) if "from" in request.args else None
        end = field.deserialize(request.args["to"]) if "to" in request.args else None
        if start is None:
            last = end if end is not None else today
            last = last.astimezone(zone_of(site)).date() if hasattr(last, "hour") else last
            start = last - timedelta(days=DEFAULT_DAYS - 1)
        return local_days(start, end, site.timezone, today)
    except ValidationError:
        return local_days(None, None, site.timezone, today)  # a bad period: the default one


def _headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@blp.route("/r/<token>", methods=["GET"])
def show(token: str):
    """The report as a page (or CSV); the same 404 for every token that opens nothing."""
    found = projects.shared_report(uow(), token, now(), _days)
    if found is None:
        return _headers(Response(GONE, status=404, mimetype="text/html"))
    site, report = found
    if request.args.get("format") == "csv":
        rows = [CSV_COLUMNS, *([link[c] for c in CSV_COLUMNS] for link in report["links"])]
        response = Response(text(rows), mimetype="text/csv")
        response.headers["Content-Disposition"] = 'attachment; filename="link-report.csv"'
        return _headers(response)
    csv_href = f"?format=csv&from={report['from']}&to={report['to']}"
    return _headers(Response(page(site.name, report, csv_href), mimetype="text/html"))
