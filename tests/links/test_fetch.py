"""The fetcher against local servers: redirects, limits, encodings and the address guard."""

from __future__ import annotations

import socket
import threading
import time

import brotli
import pytest

from service.domain.links import fetch as fetch_module
from service.domain.links.fetch import USER_AGENT, Fetcher
from service.domain.links.politeness import Gate
from tests.links.conftest import TEST_TIMEOUT
from tests.links.pages import gzipped, html, redirect, send, trickle

LINK = '<a href="https://ours.example/">us</a>'


def get(fetcher, url, budget=30.0):
    return fetcher.fetch(url, time.monotonic() + budget)


def test_a_page_is_fetched_with_the_service_user_agent(fetcher, pages):
    seen = {}

    def route(h):
        seen["ua"] = h.headers["User-Agent"]
        send(h, 200, LINK.encode())

    pages.routes["/p"] = route
    page = get(fetcher, pages.url("/p"))
    assert page.error is None and page.http_status == 200 and LINK in page.text
    assert seen["ua"] == USER_AGENT and "http" in USER_AGENT


def test_redirects_are_followed_to_the_final_url(fetcher, pages):
    pages.routes.update(
        {"/a": redirect("/b", 301), "/b": redirect(pages.url("/c")), "/c": html(LINK)}
    )
    page = get(fetcher, pages.url("/a"))
    assert page.error is None and page.final_url == pages.url("/c")


def test_a_redirect_loop_is_unreachable(fetcher, pages):
    pages.routes.update({"/a": redirect("/b"), "/b": redirect("/a")})
    page = get(fetcher, pages.url("/a"))
    assert "redirect loop" in page.error


def test_more_than_five_redirects_are_refused(fetcher, pages):
    for i in range(7):
        pages.routes[f"/r{i}"] = redirect(f"/r{i + 1}")
    pages.routes["/r7"] = html(LINK)
    assert get(fetcher, pages.url("/r0")).error == "more than 5 redirects"
    assert get(fetcher, pages.url("/r2")).error is None  # five hops are fine


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://ftp.example/x"])
def test_redirects_to_other_schemes_are_refused(fetcher, pages, location):
    pages.routes["/a"] = redirect(location)
    page = get(fetcher, pages.url("/a"))
    assert page.error.startswith("refused: only http and https")


def test_a_page_over_5_mib_is_refused(fetcher, pages):
    big = b"<html><body>" + b"x" * (6 * 2**20) + b"</body></html>"
    pages.routes["/big"] = html(big)
    started = time.monotonic()
    page = get(fetcher, pages.url("/big"))
    assert page.error == "page larger than 5 MiB" and page.text is None
    assert time.monotonic() - started < TEST_TIMEOUT * 2


def test_a_page_over_5_mib_without_length_is_cut_while_streaming(fetcher, pages):
    def route(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        for _ in range(6 * 16):
            h.wfile.write(b"x" * 65536)

    pages.routes["/big"] = route
    assert get(fetcher, pages.url("/big")).error == "page larger than 5 MiB"


def test_a_gzip_bomb_is_cut_at_5_mib_decoded(fetcher, pages):
    pages.routes["/bomb"] = gzipped("<html>" + "a" * (8 * 2**20))
    assert get(fetcher, pages.url("/bomb")).error == "page larger than 5 MiB"


def test_a_trickling_server_stops_at_the_timeout(fetcher, pages):
    pages.routes["/slow"] = trickle(TEST_TIMEOUT * 4)
    started = time.monotonic()
    page = get(fetcher, pages.url("/slow"))
    took = time.monotonic() - started
    assert page.error == f"timed out after {TEST_TIMEOUT:g} s" and page.host_failed
    assert TEST_TIMEOUT - 0.2 < took < TEST_TIMEOUT + 1


def test_the_default_timeout_is_ten_seconds(monkeypatch):
    from service.config import from_environment

    monkeypatch.delenv("OUTREACH_LINKCHECK_TIMEOUT", raising=False)
    assert from_environment()["LINKCHECK_TIMEOUT"] == fetch_module.TIMEOUT == 10


def test_link_check_concurrency_is_8_unless_set_and_a_bad_value_stops_the_start(monkeypatch):
    from service.config import from_environment

    monkeypatch.delenv("OUTREACH_LINKCHECK_CONCURRENCY", raising=False)
    assert from_environment()["LINKCHECK_CONCURRENCY"] == 8
    monkeypatch.setenv("OUTREACH_LINKCHECK_CONCURRENCY", "32")
    assert from_environment()["LINKCHECK_CONCURRENCY"] == 32
    for bad in ("0", "-1", "eight", "2.5"):
        monkeypatch.setenv("OUTREACH_LINKCHECK_CONCURRENCY", bad)
        with pytest.raises(ValueError, match="OUTREACH_LINKCHECK_CONCURRENCY"):
            from_environment()


def test_gzip_and_brotli_bodies_are_decoded(fetcher, pages):
    pages.routes["/gz"] = gzipped(LINK)
    data = brotli.compress(LINK.encode())
    pages.routes["/br"] = lambda h: send(h, 200, data, Content_Encoding="br")
    assert LINK in get(fetcher, pages.url("/gz")).text
    assert LINK in get(fetcher, pages.url("/br")).text


def test_charset_comes_from_the_header_or_the_meta(fetcher, pages):
    body = "<p>Café</p>"
    pages.routes["/h"] = html(body.encode("latin-1"), content_type="text/html; charset=iso-8859-1")
    meta = f'<html><head><meta charset="windows-1252"></head><body>{body}</body></html>'
    pages.routes["/m"] = html(meta.encode("cp1252"), content_type="text/html")
    assert "Café" in get(fetcher, pages.url("/h")).text
    assert "Café" in get(fetcher, pages.url("/m")).text


def test_invalid_utf8_is_replaced_and_the_links_still_read(fetcher, pages):
    pages.routes["/bad"] = html(b"<p>\xff\xfe broken \xc3</p>" + LINK.encode())
    page = get(fetcher, pages.url("/bad"))
    assert page.error is None and "\ufffd" in page.text and LINK in page.text


@pytest.mark.parametrize(
    "status,error,host_failed", [(404, "HTTP 404", False), (503, "HTTP 503", True)]
)
def test_non_2xx_is_unreachable(fetcher, pages, status, error, host_failed):
    pages.routes["/x"] = html("gone", status=status)
    page = get(fetcher, pages.url("/x"))
    assert (page.error, page.http_status, page.host_failed) == (error, status, host_failed)


def test_not_html_is_unreachable(fetcher, pages):
    pages.routes["/pdf"] = html(b"%PDF-1.4", content_type="application/pdf")
    assert get(fetcher, pages.url("/pdf")).error == "not HTML (application/pdf)"


def test_an_unresolvable_host_is_unreachable(fetcher):
    page = get(fetcher, "https://no-such-host.invalid/page")
    assert page.error.startswith("DNS: no-such-host.invalid does not resolve")


def test_a_resolver_that_never_answers_stops_at_the_timeout(fetcher, monkeypatch):
    release = threading.Event()
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: release.wait(30))
    started = time.monotonic()
    try:
        page = get(fetcher, "https://slow-dns.example/")
    finally:
        release.set()
    assert page.error.startswith("DNS: no answer for slow-dns.example")
    assert time.monotonic() - started < TEST_TIMEOUT + 1


def test_a_tls_error_is_unreachable(fetcher, pages):
    pages.routes["/p"] = html(LINK)  # plain HTTP spoken to a TLS client
    page = get(fetcher, pages.url("/p").replace("http://", "https://"))
    assert page.error.startswith("TLS: ") or page.error.startswith("connection: ")


@pytest.fixture
def guarded(app):
    """A fetcher with the address guard on (OUTREACH_LINKCHECK_ALLOW_PRIVATE off)."""
    made = Fetcher(Gate(app.extensions["outreach"].session_factory), allow_private=False)
    yield made
    made.close()


def test_the_guard_refuses_loopback(guarded, pages):
    pages.routes["/p"] = html(LINK)
    page = get(guarded, pages.url("/p"))
    assert page.error == "refused: 127.0.0.1 resolves to 127.0.0.1, a loopback address"


@pytest.mark.parametrize(
    "url,kind",
    [
        ("http://10.1.2.3/", "private"),
        ("http://192.168.0.1/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://224.0.0.1/", "multicast"),
        ("http://[::1]/", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://localhost/", "loopback"),
    ],
)
def test_the_guard_refuses_private_ranges(guarded, url, kind):
    assert get(guarded, url).error.endswith(f"a {kind} address")


def test_the_guard_checks_every_hop(guarded, monkeypatch, pages):
    """A public page redirecting to a private address: refused at the second hop."""
    pages.routes["/p"] = html(LINK)
    real = fetch_module.checked_address
    hops = []

    def public_first(host, port, allow_private, timeout):
        hops.append(host)
        return real(host, port, len(hops) == 1 or allow_private, timeout)

    monkeypatch.setattr(fetch_module, "checked_address", public_first)
    pages.routes["/r"] = redirect("http://127.0.0.1:1/admin")
    page = get(guarded, pages.url("/r"))
    assert len(hops) == 2 and "loopback address" in page.error


def test_the_connection_goes_to_the_checked_address_only(fetcher, pages, monkeypatch):
    """DNS rebinding: the name resolves again to something else, the checked address wins."""
    pages.routes["/p"] = html(LINK)
    port = int(pages.base.rsplit(":", 1)[1])
    monkeypatch.setattr(fetch_module, "checked_address", lambda *_: "127.0.0.1")
    page = get(fetcher, f"http://rebind.invalid:{port}/p")  # would not resolve at all
    assert page.error is None and LINK in page.text
