"""Rendering hostile template bodies: linear time whatever the input (findings 1 and 2)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.domain.templates.rendering import (
    html_to_text,
    placeholders,
    render,
    unknown_placeholders,
)
from tests.support.cpu import cpu_seconds

# CPU time of this process, not wall time: a busy machine slows the clock on the wall, not
# the work done here. A quadratic scan of 100 KB costs seconds; a linear one milliseconds.
BUDGET_SECONDS = 0.5
MAX_BODY = 100_000
VALUES = {
    "url": "https://blog.example.org/p?a=1&b=<2>",
    "anchor_text": "tools & <more>",
    "target_url": None,
    "domain": "blog.example.org",
}
# Pieces that made the old regexes backtrack: brace runs, unclosed tags and attributes,
# quotes, comments, URLs with trailing punctuation, whitespace and blank lines.
FRAGMENTS = [
    "{{",
    "}}",
    "{",
    "}",
    " ",
    "\n",
    "\n\n",
    "\t",
    "url",
    "{{ url }}",
    "<",
    ">",
    "/",
    "<a",
    '<a href="',
    "<a href='",
    " href=",
    "=",
    '"',
    "'",
    "<p>",
    "</p>",
    "<b>",
    "</a>",
    "<br>",
    "<!--",
    "-->",
    "<!",
    "</",
    "<script>",
    "http://",
    "https://x.example/",
    ".",
    ")",
    "&amp;",
    "&#",
    "x",
    "é",
]
REPORTED = {
    "brace run (preview froze the service)": "{{" + " " * 20000,
    "unclosed anchors (every render stalled)": "<p>x</p>" + '<a href="' * 2000,
}


def _timed_render(body: str):
    return cpu_seconds(render, "Subject {{domain}} " + body[:200], body, VALUES)


@pytest.mark.parametrize("body", REPORTED.values(), ids=REPORTED.keys())
def test_reported_inputs_render_at_once(body):
    rendered, spent = _timed_render(body)
    assert spent < BUDGET_SECONDS, f"{spent:.2f} s of CPU"
    assert isinstance(rendered.text, str) and isinstance(rendered.html, str)


@st.composite
def hostile_bodies(draw) -> str:
    """Runs of hostile fragments, up to 100 KB."""
    runs = draw(
        st.lists(
            st.tuples(
                st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=4), st.integers(1, 20000)
            ),
            min_size=1,
            max_size=6,
        )
    )
    return "".join("".join(pieces) * count for pieces, count in runs)[:MAX_BODY]


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(hostile_bodies())
def test_hostile_bodies_render_in_linear_time(body):
    rendered, spent = _timed_render(body)
    assert spent < BUDGET_SECONDS, f"{len(body)} chars took {spent:.2f} s of CPU"
    assert "<more>" not in rendered.html  # a filled value is escaped, whatever surrounds it


@pytest.mark.parametrize(
    "pieces",
    [
        ["{{"],
        ["{{{"],
        ["{{ a }"],
        ["{{a}}"],
        ["{ {"],
        ["}}{{"],
        ['<a href="'],
        ["<a <"],
        ["<!--"],
        ["</"],
        ["<a href=x "],
        ["http://."],
        ["\n \t"],
        ["<x"],
    ],
)
def test_100_kb_runs_of_one_fragment(pieces):
    rendered, spent = _timed_render(("".join(pieces) * MAX_BODY)[:MAX_BODY])
    assert spent < BUDGET_SECONDS, f"{spent:.2f} s of CPU"


@pytest.mark.parametrize(
    "text,names",
    [
        ("a {{ url }} b", ["url"]),
        ("{{{url}}", ["url"]),
        ("{{{{url}}}}", ["url"]),
        ("{{a}b}} {{ }}", [""]),
        ("{{\tdomain\t}}", ["domain"]),
        ("{url} {{ url }", []),
        ("{{first name}}", ["first name"]),
        ("{{" + " " * 50, []),
    ],
)
def test_placeholder_scanner_finds_what_the_contract_names(text, names):
    assert [p.name for p in placeholders(text)] == names


def test_unknown_placeholders_are_named():
    assert unknown_placeholders("{{url}} {{ bogus }} {{URL}}") == ["URL", "bogus"]


def test_html_to_text_keeps_paragraphs_breaks_and_links():
    markup = (
        '<p>Hi &amp; welcome,</p><p>read <a class="c" href="https://x.example/?a=1&amp;b=2">'
        "this</a><br>now</p><script>alert(1)</script><!-- hidden -->"
        '<p title="a>b">end</p>'
    )
    assert html_to_text(markup) == (
        "Hi & welcome,\n\nread this (https://x.example/?a=1&b=2)\nnow\n\nend"
    )


def test_unclosed_tag_at_the_end_is_dropped():
    assert html_to_text('<p>kept</p><a href="never closed') == "kept"


def test_inline_tags_keep_the_authors_paragraphs():
    rendered = render("s", "Hello\n\nCheers <b>me</b>\nAlma", {})
    assert rendered.html.count("<p ") == 2 and "<br>" in rendered.html
    assert "Cheers <b>me</b><br>" in rendered.html
    assert rendered.text == "Hello\n\nCheers me\nAlma"


def test_block_tags_keep_the_authors_layout():
    body = "<p>Hello</p>\n\n<p>Cheers <b>me</b></p>"
    assert render("s", body, {}).html == body
