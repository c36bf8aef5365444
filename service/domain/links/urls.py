"""Comparing links: resolve an href against its page, then compare normalised forms."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from service.domain.opportunities.duplicates import normalized
from service.domain.opportunities.writes import domain_of

WEB_SCHEMES = ("http", "https")


def resolve(href: str, base: str) -> str | None:
    """The absolute http(s) URL an href points at, or None (mailto:, javascript:, junk)."""
    try:
        url = urljoin(base, href.strip())
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        return None
    return url


class Target:
    """What counts as a link to us: one URL (`target_url`), or any page of the site's domain."""

    def __init__(self, target_url: str | None, site_url: str):
        self.key = normalized(target_url) if target_url else None
        self.domain = domain_of(site_url)

    def matches(self, url: str) -> bool:
        """Whether an absolute URL found on the page is a link to the target."""
        if self.key is not None:
            return normalized(url) == self.key
        return domain_of(url) == self.domain
