"""Finding the link in a page: normalisation and classification against a table of cases."""

from __future__ import annotations

import pytest

from service.domain.links.classify import classify, robots_block
from service.domain.links.urls import Target, resolve

PAGE = "https://blog.example/posts/review/"
SITE = "https://www.ours.example"
TARGET = "https://ours.example/product/"


def page(body: str, head: str = "") -> str:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"


# (case, body, head, target_url, expected status, expected href or None)
CASES = [
    ("absolute", '<a href="https://ours.example/product/">x</a>', "", TARGET, "live", None),
    ("relative to page", '<a href="../../x">x</a>', "", "https://blog.example/x", "live", None),
    (
        "base href",
        '<a href="product">x</a>',
        '<base href="https://ours.example/">',
        TARGET,
        "live",
        "https://ours.example/product",
    ),
    ("uppercase host", '<a href="HTTPS://OURS.EXAMPLE/product">x</a>', "", TARGET, "live", None),
    ("www.", '<a href="https://www.ours.example/product">x</a>', "", TARGET, "live", None),
    ("default port", '<a href="https://ours.example:443/product">x</a>', "", TARGET, "live", None),
    ("http vs https", '<a href="http://ours.example/product">x</a>', "", TARGET, "live", None),
    ("fragment", '<a href="https://ours.example/product#buy">x</a>', "", TARGET, "live", None),
    (
        "utm parameters",
        '<a href="https://ours.example/product/?utm_source=a&amp;utm_medium=b">x</a>',
        "",
        TARGET,
        "live",
        None,
    ),
    (
        "entity-encoded href",
        '<a href="https://ours.example/p?a=1&amp;b=2">x</a>',
        "",
        "https://ours.example/p?a=1&b=2",
        "live",
        "https://ours.example/p?a=1&b=2",
    ),
    (
        "other port",
        '<a href="https://ours.example:8443/product">x</a>',
        "",
        TARGET,
        "missing",
        None,
    ),
    ("other path", '<a href="https://ours.example/other">x</a>', "", TARGET, "missing", None),
    (
        "other query",
        '<a href="https://ours.example/product?id=2">x</a>',
        "",
        TARGET,
        "missing",
        None,
    ),
    (
        "lookalike host",
        '<a href="https://ours.example.evil/product">x</a>',
        "",
        TARGET,
        "missing",
        None,
    ),
    ("mailto", '<a href="mailto:a@ours.example">x</a>', "", None, "missing", None),
    ("no target: any page", '<a href="https://ours.example/blog/1">x</a>', "", None, "live", None),
    ("no target: other site", '<a href="https://theirs.example/">x</a>', "", None, "missing", None),
    ("nofollow", f'<a rel="nofollow" href="{TARGET}">x</a>', "", TARGET, "nofollow", None),
    (
        "sponsored",
        f'<a rel="Sponsored noopener" href="{TARGET}">x</a>',
        "",
        TARGET,
        "nofollow",
        None,
    ),
    ("ugc", f'<a rel="ugc" href="{TARGET}">x</a>', "", TARGET, "nofollow", None),
    (
        "followed beats nofollow",
        f'<a rel="nofollow" href="{TARGET}">a</a><a href="{TARGET}">b</a>',
        "",
        TARGET,
        "live",
        None,
    ),
    (
        "meta robots",
        f'<a href="{TARGET}">x</a>',
        '<meta name="robots" content="noindex">',
        TARGET,
        "nofollow",
        None,
    ),
    (
        "meta nofollow",
        f'<a href="{TARGET}">x</a>',
        '<meta name="ROBOTS" content="index, nofollow">',
        TARGET,
        "nofollow",
        None,
    ),
    (
        "meta robots follow",
        f'<a href="{TARGET}">x</a>',
        '<meta name="robots" content="index,follow">',
        TARGET,
        "live",
        None,
    ),
    ("link in comment", f"<!-- <a href='{TARGET}'>x</a> -->", "", TARGET, "missing", None),
    (
        "link in script",
        f"<script>var a = '<a href=\"{TARGET}\">';</script>",
        "",
        TARGET,
        "missing",
        None,
    ),
]


@pytest.mark.parametrize(
    "body,head,target,status,href", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_classification_table(body, head, target, status, href):
    found = classify(page(body, head), PAGE, Target(target, SITE))
    assert found.status == status
    if href is not None:
        assert found.href == href


def test_anchor_text_and_rel_are_recorded():
    found = classify(
        page(f'<a rel="NoFollow  UGC" href="{TARGET}">  Best <b>tools</b>\n 2026 </a>'),
        PAGE,
        Target(TARGET, SITE),
    )
    assert (found.status, found.anchor_text, found.rel) == (
        "nofollow",
        "Best tools 2026",
        "nofollow ugc",
    )


def test_x_robots_tag_header_makes_a_live_link_nofollow():
    found = classify(page(f'<a href="{TARGET}">x</a>'), PAGE, Target(TARGET, SITE), "noindex")
    assert found.status == "nofollow" and found.noindex


@pytest.mark.parametrize(
    "value,blocked",
    [
        ("noindex", True),
        ("googlebot: nofollow", True),
        ("none", True),
        ("index, follow", False),
        ("noarchive", False),
        (None, False),
    ],
)
def test_robots_values(value, blocked):
    assert robots_block(value) is blocked


@pytest.mark.parametrize(
    "href,expected",
    [
        ("/a b", "https://blog.example/a b"),
        ("  https://x.example/  ", "https://x.example/"),
        ("javascript:void(0)", None),
        ("ftp://x.example/", None),
        ("http://[::1", None),
        ("//cdn.example/x", "https://cdn.example/x"),
    ],
)
def test_hrefs_resolve_against_their_page_or_are_dropped(href, expected):
    assert resolve(href, PAGE) == expected


def test_fifty_thousand_links_are_classified_quickly():
    import time

    links = "".join(f'<a href="https://other{i}.example/">{i}</a>' for i in range(50_000))
    started = time.monotonic()
    found = classify(page(links + f'<a href="{TARGET}">us</a>'), PAGE, Target(TARGET, SITE))
    assert found.status == "live" and found.anchor_text == "us"
    assert time.monotonic() - started < 5
