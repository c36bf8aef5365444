"""Which CSV column holds which opportunity field, recognised by the header's name.

Names are compared case-insensitively with spaces, dashes and underscores ignored, so
`Source URL`, `source_url` and `source-url` are one name. docs/import.md lists the
exports these names come from (the project's own, a generic set, Ahrefs, Semrush, Moz).
"""

from __future__ import annotations

import re

from service.domain.transfer.csv_text import refuse

# field -> header names, most specific first (the first match of a field wins).
NAMES = {
    "source_url": (
        "source_url",
        "referring page url",  # Ahrefs backlinks (2023 UI; "Referring Page URL" before)
        "source url",  # Semrush backlinks
        "source page",
        "linking page",
        "url from",  # Ahrefs API field name
        "backlink url",
        "page url",
        "url",  # Moz Link Explorer inbound links
    ),
    "source_domain": (
        "source domain",
        "referring domain",  # Ahrefs referring domains / link intersect
        "root domain",  # Moz linking domains / link intersect
        "linking domain",
        "domain",  # Semrush backlink gap, Ahrefs link intersect
    ),
    "target_url": (
        "target_url",
        "target url",  # Ahrefs, Semrush, Moz
        "link url",  # Ahrefs backlinks (classic export)
        "url to",
        "target page",
        "destination url",
    ),
    "anchor_text": ("anchor_text", "anchor", "anchor text", "link anchor"),
    "contact_email": ("contact_email", "contact email", "email", "email address", "e-mail"),
    "contact_name": ("contact_name", "contact name", "contact", "name"),
    "notes": ("notes", "note", "comments", "comment"),
    "status": ("status",),
    "lost_link": ("lost_link",),
    # SEO metrics (docs/api.md §20): one field per number, whichever tool named it.
    "dr": (
        "dr",
        "domain rating",  # Ahrefs
        "authority score",  # Semrush
        "as",
        "domain ascore",
        "domain authority",  # Moz
        "da",
    ),
    "traffic": ("traffic", "organic traffic", "domain traffic", "org traffic"),
    "referring_domains": (
        "referring_domains",
        "referring domains",  # Ahrefs, Semrush
        "ref domains",
        "linking root domains",  # Moz
    ),
    "url_rating": ("url_rating", "url rating", "ur"),  # Ahrefs
    "spam_score": ("spam_score", "spam score"),  # Moz
    "metrics_source": ("metrics_source",),
}
FIELDS = tuple(NAMES)
# The tool a metric's header names: a row's `metrics.source` when the file has no
# metrics_source column (the first such column of the header decides).
TOOLS = {
    "domain rating": "Ahrefs",
    "dr": "Ahrefs",
    "url rating": "Ahrefs",
    "ur": "Ahrefs",
    "authority score": "Semrush",
    "as": "Semrush",
    "domain ascore": "Semrush",
    "domain authority": "Moz",
    "da": "Moz",
    "linking root domains": "Moz",
    "spam score": "Moz",
}
_SQUASH = re.compile(r"[\s_\-.]+")


def squash(name: str) -> str:
    """The comparable form of a header name."""
    return _SQUASH.sub("", name.strip().lower())


_LOOKUP = {squash(name): field for field, names in NAMES.items() for name in names}
_RANK = {squash(name): rank for names in NAMES.values() for rank, name in enumerate(names)}


def mapping(header: list[str]) -> dict[int, str]:
    """{column index: field} for the recognised columns, each field from its best column.

    Invalid when no column can give the source page (a URL, or at least a domain).
    """
    best: dict[str, tuple[int, int]] = {}
    for index, name in enumerate(header):
        key = squash(name)
        field = _LOOKUP.get(key)
        if field is not None and (field not in best or _RANK[key] < best[field][0]):
            best[field] = (_RANK[key], index)
    if "source_url" in best:
        best.pop("source_domain", None)  # a domain column beside a page URL is informative
    if not {"source_url", "source_domain"} & best.keys():
        shown = ", ".join(f'"{h}"' for h in header[:12]) or "none"
        raise refuse(
            "No column holds the linking page: name one source_url (or Referring page URL, "
            f"Source url, URL, Domain). Columns found: {shown}."
        )
    return {index: field for field, (_rank, index) in best.items()}


_TOOL_OF = {squash(name): tool for name, tool in TOOLS.items()}


def tool(header: list[str], columns: dict[int, str]) -> str | None:
    """The SEO tool the recognised metric columns come from (Ahrefs, Semrush, Moz), if any."""
    return next(
        (_TOOL_OF[squash(header[i])] for i in columns if squash(header[i]) in _TOOL_OF), None
    )


def described(header: list[str], columns: dict[int, str]) -> dict[str, str | None]:
    """{csv header: field or null} for the answer's `columns` (ignored columns are null)."""
    return {name or f"column {i + 1}": columns.get(i) for i, name in enumerate(header)}
