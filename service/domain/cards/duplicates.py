"""A card's identity: its domain, the exact pair it may not share, and "the same page".

The 409 of docs/api.md covers the exact same source and target pair (dedupe_key). A
person also counts `https://www.Blog.example/post/?utm_source=x#top` and
`http://blog.example/post` as one page: same host (case, `www.`, a trailing dot and the
default port ignored), same path (a trailing slash ignored) and query without `utm_*`
parameters; scheme and fragment ignored. Each card stores a hash of that form
(`source_key`) so a lookup is one index probe; the board warns before creating a second
card for the same page.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from service.models import Opportunity, Site

DEFAULT_PORTS = {80, 443}


def domain_of(url: str) -> str:
    """Host of a URL, lower case, without a leading `www.`."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def dedupe_key(source_url: str, target_url: str | None) -> str:
    """Identity of an opportunity within a site: the same source and target twice is a dup."""
    return hashlib.sha256(f"{source_url}\n{target_url or ''}".encode()).hexdigest()


def normalized(url: str) -> str:
    """The form two URLs of the same page share (see the module docstring)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    host = host[4:] if host.startswith("www.") else host
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and port not in DEFAULT_PORTS:
        host = f"{host}:{port}"
    query = parts.query and urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.lower().startswith("utm_")
        ]
    )
    return f"{host}{parts.path.rstrip('/') or ''}{'?' + query if query else ''}"


def source_key(url: str | None) -> str | None:
    """The stored, indexed hash of normalized(url)."""
    return None if url is None else hashlib.sha256(normalized(url).encode()).hexdigest()


@event.listens_for(Opportunity.source_url, "set")
def _keep_key(target: Opportunity, value, _old, _initiator) -> None:
    """Every write of source_url keeps source_key in step (create, PATCH, import)."""
    target.source_key = source_key(value)


def same_page(
    session: Session, site: Site, url: str, exclude_id: int | None = None, limit: int = 50
) -> list[Opportunity]:
    """Live cards of this site for the same page as `url`, oldest first."""
    query = select(Opportunity).where(
        Opportunity.site_id == site.id,
        Opportunity.source_key == source_key(url),
        Opportunity.deleted_at.is_(None),
    )
    if exclude_id is not None:
        query = query.where(Opportunity.id != exclude_id)
    return list(session.scalars(query.order_by(Opportunity.id).limit(limit)))
