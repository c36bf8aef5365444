"""The paged answers' shape: items, total, page, page_size (one helper for every list)."""

from __future__ import annotations


def page_of(items, total: int, args: dict) -> dict:
    """A page answer for `items` of `total`, as the query asked for it."""
    return {"items": items, "total": total, "page": args["page"], "page_size": args["page_size"]}
