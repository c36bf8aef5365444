"""The share page of a project's report (docs/api.md §19) as one standalone HTML document:
no script, no font, no image, nothing fetched from anywhere; the chart is inline SVG.

Every value from the database is escaped here (card fields are typed by people and by
imports). The page shows links and counts only: never a contact address, a note or an
email's text (the report holds none of them).
"""

from __future__ import annotations

import base64
import hashlib
from datetime import date, datetime, timedelta
from html import escape

CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2327;margin:0;
background:#f6f7f7}
main{max-width:60em;margin:0 auto;padding:2em 1.5em;background:#fff}
h1{font-size:1.6em;margin:0 0 .2em}h2{font-size:1.2em;margin:1.6em 0 .5em}
.meta{color:#50575e;margin:0}
.figures{display:flex;flex-wrap:wrap;gap:1em;padding:0;list-style:none}
.figures li{border:1px solid #c3c4c7;border-radius:4px;padding:.5em 1em;min-width:7em}
.figures strong{display:block;font-size:1.4em}
table{border-collapse:collapse;width:100%;font-size:.93em}
th,td{text-align:left;padding:.4em .5em;border-bottom:1px solid #dcdcde;vertical-align:top;
overflow-wrap:anywhere}
th{background:#f0f0f1}
.lost{color:#b32d2e;font-weight:600}.live{color:#00702a;font-weight:600}
svg{max-width:100%;height:auto}
a{color:#135e96}
@media print{body{background:#fff;font-size:11pt}main{max-width:none;padding:0}
.noprint{display:none}a{color:inherit;text-decoration:none}
tr,svg{page-break-inside:avoid}@page{margin:1.5cm}}
"""
# Strict CSP: this exact stylesheet and nothing else (docs/api.md §19).
CSS_HASH = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
CSP = (
    f"default-src 'none'; style-src 'sha256-{CSS_HASH}'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


def page(agency: str, report: dict, csv_href: str) -> str:
    """The whole HTML document of a report."""
    project = report["project"]
    client = project.client or project.name
    period = f"{_day(report['from'])} – {_day(report['to'])}"
    links = report["links"]
    live = sum(1 for link in links if link["status"] == "live")
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex, nofollow">'
        f"<title>{escape(client)}: link report, {escape(period)}</title>"
        f"<style>{CSS}</style></head><body><main>"
        f'<header><p class="meta">{escape(agency)}</p>'
        f"<h1>Link report for {escape(client)}</h1>"
        f'<p class="meta">{escape(project.name)} · {escape(period)}</p></header>'
        + _figures(report, live)
        + "<h2>Links won per week</h2>"
        + chart(links, date.fromisoformat(report["from"]), date.fromisoformat(report["to"]))
        + "<h2>Won links</h2>"
        + _table(links)
        + f'<p class="noprint"><a href="{escape(csv_href)}">Download as CSV</a></p>'
        + "</main></body></html>"
    )


def _day(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d %b %Y")


def _figures(report: dict, live: int) -> str:
    items = (
        ("Links live", live),
        ("Links won in the period", len(report["links"])),
        ("Emails sent", report["emails"]["sent"]),
        ("Replies", report["emails"]["replied"]),
        ("Prospects in progress", sum(report["stages"][s] for s in ("new", "queued", "reached"))),
    )
    cells = "".join(f"<li><strong>{n}</strong>{escape(label)}</li>" for label, n in items)
    return f'<ul class="figures" aria-label="Figures of the period">{cells}</ul>'


def _table(links: list[dict]) -> str:
    if not links:
        return "<p>No won link in this period yet.</p>"
    head = "".join(
        f'<th scope="col">{h}</th>'
        for h in (
            "Linking page",
            "Links to",
            "Anchor text",
            "rel",
            "First seen",
            "Last seen",
            "Status",
        )
    )
    rows = "".join(_row(link) for link in links)
    caption = f'<caption class="meta">{len(links)} link(s)</caption>'
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _row(link: dict) -> str:
    cells = (
        _url(link["source_url"]),
        _url(link["target_url"]),
        escape(link["anchor_text"] or ""),
        escape(link["rel"] or ""),
        _when(link["first_live_at"]),
        _when(link["last_live_at"]),
        f'<span class="{link["status"]}">{escape(link["status"])}</span>',
    )
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _url(value: str | None) -> str:
    """A link for http(s) addresses only (never a javascript: or data: URL); no referrer."""
    if not value:
        return ""
    text = escape(value)
    if value.lower().startswith(("http://", "https://")):
        return f'<a href="{text}" rel="noreferrer noopener nofollow">{text}</a>'
    return text


def _when(at: datetime | None) -> str:
    return "" if at is None else escape(at.strftime("%d %b %Y"))


def weeks(links: list[dict], first: date, last: date) -> list[tuple[date, int]]:
    """(Monday, links first seen live that week) for each week of the period."""
    start = first - timedelta(days=first.weekday())
    counts: dict[date, int] = {}
    monday = start
    while monday <= last:
        counts[monday] = 0
        monday += timedelta(days=7)
    for link in links:
        seen = link["first_live_at"]
        if seen is None:
            continue
        day = seen.date()
        week = day - timedelta(days=day.weekday())
        if week in counts:
            counts[week] += 1
    return sorted(counts.items())


def chart(links: list[dict], first: date, last: date) -> str:
    """An SVG bar chart of links won (first seen live) per week, with a text equivalent."""
    data = weeks(links, first, last)
    top = max([n for _, n in data] + [1])
    width, height, pad = 640, 180, 24
    bar = (width - 2 * pad) / len(data)
    bars = []
    for i, (monday, n) in enumerate(data):
        h = (height - 2 * pad) * n / top
        x, y = pad + i * bar, height - pad - h
        label = f"Week of {monday.isoformat()}: {n}"
        bars.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(bar - 2, 1):.1f}" height="{h:.1f}" '
            f'fill="#2271b1"><title>{label}</title></rect>'
        )
    total = sum(n for _, n in data)
    summary = f"{total} link(s) won over {len(data)} week(s); at most {top} in one week."
    axis = (
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        'stroke="#50575e"/>'
        f'<text x="{pad}" y="{height - 6}" font-size="11" fill="#50575e">{data[0][0]:%d %b}</text>'
        f'<text x="{width - pad}" y="{height - 6}" font-size="11" fill="#50575e" '
        f'text-anchor="end">{data[-1][0]:%d %b}</text>'
        f'<text x="{pad}" y="{pad - 8}" font-size="11" fill="#50575e">{top}</text>'
    )
    return (
        f'<svg role="img" aria-labelledby="chart-title chart-desc" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-title">Links won per week</title>'
        f'<desc id="chart-desc">{escape(summary)}</desc>{axis}{"".join(bars)}</svg>'
    )
