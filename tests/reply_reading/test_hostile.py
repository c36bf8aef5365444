"""Hostile replies are read in bounded time and memory (bench/reply_text.py has the figures)."""

from __future__ import annotations

import tracemalloc

import pytest

from service.domain.replies.inbound_mail import new_part
from service.domain.reply_reading import new_text
from tests.support.cpu import cpu_seconds

MB = 1_000_000
BUDGET = 1.0  # CPU seconds for 1 MB; a quiet machine takes ≤ 0.15 s
TEXTS = {
    "one long 'On a a a' line": "On " + "a " * (MB // 2),
    "a million blank lines": "x" + "\n" * MB + "x",
    "a million spaces": "x" + " " * MB + "x",
    "'On … wrote' lines": ("On " + "a " * 90 + "x\n") * (MB // 184),
    "attribution-like lines ending ':'": ("On 1, a " * 20 + "<b@c.d>:\n") * (MB // 170),
    "header-like lines": "From: a@b.c\nSubject: d\n" * (MB // 24),
    "text between quoted lines": ("> " + "q" * 70 + "\nx\n") * (MB // 76),
    "rules": ("-" * 199 + "x\n") * (MB // 201),
    "sign-offs": "Thanks, Anna Maria Jones\n" * (MB // 25),
    "lines of ':'": ":\n" * (MB // 2),
    "wrapped attribution starts": "On 1\n" * (MB // 5),
}
HTMLS = {
    "deep divs": "<div>" * (MB // 5) + "x",
    "unclosed bold": "<b>" * (MB // 3) + "x",
    "sibling blockquotes": "<blockquote>q</blockquote>x" * (MB // 27),
    "border-top divs": '<div style="border-top:solid">From: a</div>' * (MB // 42),
    "paragraphs": "<p>word</p>" * (MB // 11),
    "open angle brackets": "<a" * (MB // 2),
    "nested lists": "<ul><li>" * (MB // 8),
}


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_hostile_text_is_read_fast_and_small(text):
    found, spent = cpu_seconds(new_part, text)
    assert spent < BUDGET, f"{spent:.2f} s of CPU"  # bench/reply_text.py: ≤ 0.5 s wall
    tracemalloc.start()
    new_part(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(found) <= len(text) and peak < 40 * MB


@pytest.mark.parametrize("markup", HTMLS.values(), ids=HTMLS.keys())
def test_hostile_html_is_read_fast(markup):
    found, spent = cpu_seconds(lambda html: new_text("", html), markup)
    assert spent < BUDGET, f"{spent:.2f} s of CPU"
    assert len(found) <= len(markup)


def test_a_bottom_posted_answer_after_a_long_quote_is_still_found():
    text = "On Mon, Bob wrote:\n" + "> quoted line\n" * 3_000 + "\nMy answer.\n"
    assert new_text(text) == "My answer."


def test_past_the_lines_read_the_rest_follows_the_last_line():
    quoted = "Yes!\n\nOn Mon, Bob wrote:\n" + "> quoted line\n" * 200_000
    assert new_text(quoted) == "Yes!"
    plain = "line\n" * 20_000
    assert new_text(plain) == plain.strip()
