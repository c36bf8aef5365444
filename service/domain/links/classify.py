"""Find the link to the target in a fetched page, read by html_scan (a streaming tokenizer:
time linear in the page, whatever its nesting; docs/links.md, bounds)."""

from __future__ import annotations

from dataclasses import dataclass

from service.domain.links import html_scan
from service.domain.links.urls import Target, is_relative, resolve

NOFOLLOW_RELS = {"nofollow", "sponsored", "ugc"}
NOINDEX_WORDS = {"noindex", "nofollow", "none"}
ANCHOR_MAX, REL_MAX, HREF_MAX = 500, 200, 2000


@dataclass
class Found:
    """The verdict on one page: live, nofollow or missing, and the link that decided it."""

    status: str
    href: str | None = None
    anchor_text: str | None = None
    rel: str | None = None
    noindex: bool = False


def robots_block(value: str | None) -> bool:
    """Whether a meta robots or X-Robots-Tag value says noindex or nofollow."""
    if not value:
        return False
    words = {w.strip().lower() for part in value.split(",") for w in part.split(":")[-1:]}
    return bool(words & NOINDEX_WORDS)


def classify(
    html: str, page_url: str, target: Target, x_robots: str | None = None, deadline=None
) -> Found:
    """Look at every <a href> (after <base href>) for a followed link to the target.
    TooComplex (a ValueError) for a page with more tags than html_scan reads, or not read
    by `deadline` (time.monotonic(): the check's own, so it answers in its time)."""
    verdict = _Verdict(html, page_url, target, robots_block(x_robots), deadline)
    base = verdict.read(None)
    if base is not None:  # a <base> after links: they are read again against it
        verdict = _Verdict(html, page_url, target, verdict.noindex, deadline)
        verdict.read(base)
    return verdict.found()


class _Verdict:
    """One pass over a page's tags: the base, noindex, the first matching links."""

    def __init__(self, html: str, page_url: str, target: Target, noindex: bool, deadline):
        self.html, self.page_url, self.target, self.noindex = html, page_url, target, noindex
        self.deadline = deadline
        self.followed = self.first = None

    def read(self, base: str | None) -> str | None:
        """Judge every link; the base found after links were judged without it, if any."""
        known_base = base is not None
        base = base or self.page_url
        # A page's links are mostly relative, to its own host: when that is not ours they
        # are skipped before any URL work (50,000 links would otherwise cost seconds).
        relative_may_match = self.target.on_our_host(base)
        links_seen = late_base = False
        for tag in html_scan.scan(self.html, self.deadline):
            if tag.name == "meta":
                self._meta(tag.attrs)
            elif tag.name == "base" and "href" in tag.attrs and not known_base:
                known_base = True
                found = resolve(tag.attrs["href"], self.page_url)
                late_base = links_seen and found not in (None, base)
                base = found or base
                relative_may_match = self.target.on_our_host(base)
            elif tag.name == "a" and "href" in tag.attrs:
                links_seen = True
                if self.followed is None:
                    self._link(tag, base, relative_may_match)
        return base if late_base else None

    def _meta(self, attrs: dict[str, str]) -> None:
        if (attrs.get("name") or "").strip().lower() in ("robots", "googlebot"):
            self.noindex = self.noindex or robots_block(attrs.get("content"))

    def _link(self, tag: html_scan.Tag, base: str, relative_may_match: bool) -> None:
        href = tag.attrs["href"]
        if not relative_may_match and is_relative(href):
            return
        url = resolve(href, base)
        if url is None or not self.target.matches(url):
            return
        rel = " ".join(tag.attrs.get("rel", "").lower().split())[:REL_MAX] or None
        anchor = html_scan.text_between(self.html, tag.end, tag.close, ANCHOR_MAX)
        found = Found("live", url[:HREF_MAX], anchor, rel)
        if not set((rel or "").split()) & NOFOLLOW_RELS:
            self.followed = found
        self.first = self.first or found

    def found(self) -> Found:
        """Live: the first followed link on an indexable page; else nofollow: the first."""
        chosen = self.first if self.noindex else (self.followed or self.first)
        if chosen is None:
            return Found("missing", noindex=self.noindex)
        chosen.noindex = self.noindex
        if self.noindex or chosen is not self.followed:
            chosen.status = "nofollow"
        return chosen
