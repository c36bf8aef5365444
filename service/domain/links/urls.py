"""Comparing links: resolve an href against its page, then compare normalised forms."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from service.domain.cards.duplicates import domain_of, normalized

WEB_SCHEMES = ("http", "https")


def resolve(href: str, base: str) -> str | None:
    """The absolute http(s) URL an href points at, or None (mailto:, javascript:, junk)."""
    href = href.strip()
    try:
        parts = urlsplit(href)
        url = href
        if not parts.scheme:  # urljoin is the costly part: absolute links skip it
            url = urljoin(base, href)
            parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        return None
    return url


def is_relative(href: str) -> bool:
    """An href without scheme or host: it points at its page's own host."""
    href = href.strip()
    return not href.startswith("//") and ":" not in href.split("/", 1)[0]


class Target:
    """What counts as a link to us: one URL (`target_url`), or any page of the site's domain."""

    def __init__(self, target_url: str | None, site_url: str):
        self.key = normalized(target_url) if target_url else None
        self.domain = domain_of(target_url or site_url)

    def on_our_host(self, url: str) -> bool:
        """Whether an absolute URL is on the target's host (a cheap first test)."""
        return domain_of(url) == self.domain

    def matches(self, url: str) -> bool:
        """Whether an absolute URL found on the page is a link to the target."""
        if not self.on_our_host(url):
            return False
        return self.key is None or normalized(url) == self.key
