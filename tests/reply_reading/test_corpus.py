"""The reply corpus: real-shaped replies from mail clients, each with the new text expected.

Each case is a file pair in corpus/: `<name>.txt` (a text part) or `<name>.html` (an
HTML-only reply) and `<name>.expected.txt`. Names start with the language; shapes follow
what Gmail (web, Android, iOS), Outlook (desktop, web, mobile, Mac), Apple Mail and iOS,
Thunderbird, Yahoo, Proton, GMX, Orange, Zoho and mailing lists really send: top-,
bottom- and inline-posted, lists, "-- " signatures, long threads, 16 languages.
bench/reply_corpus.py runs the same cases through mail-parser-reply and
email-reply-parser for comparison.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from service.domain.replies.inbound_mail import new_part
from service.domain.reply_reading import new_text

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(
    p for p in CORPUS.iterdir() if p.suffix in (".txt", ".html") and ".expected" not in p.name
)


def expected_of(case: Path) -> str:
    return case.with_name(case.name.rsplit(".", 1)[0] + ".expected.txt").read_text("utf-8").strip()


def read(case: Path) -> str:
    raw = case.read_text("utf-8")
    return new_text("", raw) if case.suffix == ".html" else new_text(raw)


def test_the_corpus_is_large_and_covers_the_languages():
    assert len(CASES) >= 100
    languages = {case.name.split("-")[0] for case in CASES}
    wanted = {
        "en",
        "de",
        "fr",
        "es",
        "it",
        "pt",
        "nl",
        "pl",
        "ru",
        "sv",
        "da",
        "no",
        "fi",
        "cs",
        "tr",
        "ja",
    }
    assert wanted <= languages
    assert sum(case.suffix == ".html" for case in CASES) >= 15


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_new_text_is_every_word_the_prospect_wrote(case):
    assert read(case) == expected_of(case)


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.suffix == ".txt"][:20], ids=lambda c: c.name
)
def test_the_service_reads_replies_with_the_same_rules(case):
    assert new_part(case.read_text("utf-8")) == expected_of(case)
