"""Fetch a page the safe way: http(s) only, every hop's address and port checked
(service/net/guard.py), redirects by hand, bounded in time and size, decoded by the
charset the page declares."""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from service import charsets
from service.domain.links import decoding, html_scan, transport
from service.domain.links.urls import WEB_SCHEMES
from service.net.guard import Refused, checked_address

__all__ = ["Fetcher", "Page", "Refused", "checked_address"]

MAX_BYTES = 5 * 2**20
MAX_REDIRECTS = 5
TIMEOUT = 10.0  # seconds per request (one hop)
DNS_TIMEOUT = 5.0  # seconds one name lookup may take (within the hop's time)
HTML_TYPES = ("text/html", "application/xhtml+xml")
REDIRECTS = (301, 302, 303, 307, 308)
USER_AGENT = "AlmaSEO-Outreach-LinkCheck/1.0 (+https://almaseo.com/outreach/link-checker)"


@dataclass
class Page:
    """What a fetch ended with: the page (text) or an error saying why not."""

    final_url: str
    http_status: int | None = None
    text: str | None = None
    x_robots: str | None = None
    error: str | None = None
    host_failed: bool = False  # the host itself failed (counts toward its backoff)
    inconclusive: bool = False  # the resolver failed: nothing is known of the page


class Fetcher:
    """Fetches pages for link checks; `gate` paces requests (politeness), one per hop."""

    def __init__(self, gate, allow_private=False, timeout=TIMEOUT, max_bytes=MAX_BYTES):
        self.gate, self.allow_private = gate, allow_private
        self.timeout, self.max_bytes = timeout, max_bytes
        self.pages = transport.Pages(USER_AGENT)

    def fetch(self, url: str, deadline: float) -> Page:
        """Follow up to MAX_REDIRECTS redirects by hand; any failure is a Page with error."""
        seen: set[str] = set()
        status = None
        for _hop in range(MAX_REDIRECTS + 1):
            seen.add(url)
            try:
                response, status, location = self._hop(url, deadline)
            except Refused as exc:
                return Page(
                    url, exc.http_status, error=str(exc), host_failed=exc.host_failed,
                    inconclusive=exc.inconclusive,
                )  # fmt: skip
            if location is None:
                return response
            try:
                url = str(httpx.URL(url).join(location))
            except (httpx.InvalidURL, ValueError):
                return Page(url, status, error=f"invalid redirect location {location[:200]!r}")
            if url in seen:
                return Page(url, status, error=f"redirect loop at {url[:300]}")
        return Page(url, status, error=f"more than {MAX_REDIRECTS} redirects")

    def _hop(self, url: str, deadline: float):
        """One request: (Page, status, None) for an answer, (None, status, location) to go on."""
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, ValueError):
            raise Refused(f"invalid URL {url[:200]!r}") from None
        if parsed.scheme not in WEB_SCHEMES or not parsed.host:
            raise Refused(f"refused: only http and https are fetched, not {parsed.scheme}:")
        host = parsed.raw_host.decode("ascii")
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        # Resolved before taking a fetch slot: a host with slow DNS holds none of the fleet's
        # slots, only its own share of the resolver (service/net/resolver.py).
        left = min(self.timeout, DNS_TIMEOUT, deadline - time.monotonic())
        address = checked_address(host, port, self.allow_private, left)
        with self.gate.turn(host, deadline):
            hop_deadline = min(deadline, time.monotonic() + self.timeout)
            transport.pins.addresses = {host: address}
            transport.pins.deadline = hop_deadline
            try:
                return self._request(parsed)
            except httpx.TimeoutException:
                raise Refused(f"timed out after {self.timeout:g} s", host_failed=True) from None
            except httpx.HTTPError as exc:
                raise Refused(_network_error(exc), host_failed=True) from None
            finally:
                transport.pins.addresses = {}

    def _request(self, url: httpx.URL):
        with self.pages.get(url, self.timeout) as response:
            status = response.status_code
            if status in REDIRECTS and response.headers.get("location"):
                return None, status, response.headers["location"]
            if not 200 <= status < 300:
                raise Refused(f"HTTP {status}", host_failed=status >= 500, http_status=status)
            kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind and kind not in HTML_TYPES:
                raise Refused(f"not HTML ({kind[:100]})", http_status=status)
            body = self._read(response)
            page = Page(str(url), status, _decode(body, response.charset_encoding))
            page.x_robots = response.headers.get("x-robots-tag")
            return page, status, None

    def _read(self, response: httpx.Response) -> bytes:
        """The decoded body, refused once either the wire bytes or the decoded bytes pass
        max_bytes; decoded in steps of at most decoding.STEP (a bomb never inflates)."""
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise Refused(self._too_large(), http_status=response.status_code)
        try:
            decoder = decoding.decoder_for(response.headers.get("content-encoding"))
            return self._decoded(response, decoder)
        except decoding.Undecodable as exc:
            raise Refused(str(exc), http_status=response.status_code) from None

    def _decoded(self, response: httpx.Response, decoder) -> bytes:
        chunks, wire, size = [], 0, 0
        for raw in response.iter_raw(65536):
            wire += len(raw)
            for piece in decoder.feed(raw):
                size += len(piece)
                if max(wire, size) > self.max_bytes:
                    raise Refused(self._too_large(), http_status=response.status_code)
                chunks.append(piece)
            if wire > self.max_bytes:
                raise Refused(self._too_large(), http_status=response.status_code)
        return b"".join(chunks)

    def _too_large(self) -> str:
        return f"page larger than {self.max_bytes / 2**20:g} MiB"

    def close(self) -> None:
        self.pages.close()


def _network_error(exc: httpx.HTTPError) -> str:
    text = str(exc) or type(exc).__name__
    prefix = "TLS" if "SSL" in text or "certificate" in text.lower() else "connection"
    return f"{prefix}: {text}"[:500]


def _decode(body: bytes, declared: str | None) -> str:
    """Text of the page: the header's charset, else the page's <meta>, else UTF-8, each a
    WHATWG label (service/charsets.py: `hex` or `zlib` are not text); bytes that do not
    decode become U+FFFD (a page with a stray byte still has its links)."""
    codec = charsets.text_codec(declared) or _meta_charset(body[:4096]) or "utf_8"
    return body.decode(codec, errors="replace")


def _meta_charset(head: bytes) -> str | None:
    for tag in html_scan.scan(head.decode("ascii", errors="replace")):
        if tag.name != "meta":
            continue
        label = tag.attrs.get("charset")
        if label is None and tag.attrs.get("http-equiv", "").lower() == "content-type":
            label = tag.attrs.get("content", "").lower().partition("charset=")[2].strip(" ;")
        codec = charsets.text_codec(label)
        if codec is not None:
            # A page that could say so in ASCII is not UTF-16 (the standard's rule).
            return "utf_8" if codec.startswith("utf_16") else codec
    return None
