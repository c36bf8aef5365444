"""The reply corpus through reply_reading and through the libraries: who keeps what.

    .venv/bin/pip install email-reply-parser   # for the comparison only, not a dependency
    .venv/bin/python -m bench.reply_corpus [-v]

Runs every case of tests/reply_reading/corpus/ (a text part, or an HTML-only reply given to
the libraries as rendering.html_to_text made it, which is what the service handed them)
through:
- reply_reading.new_text (the service now),
- the service before it (mail-parser-reply wrapped in a bounded copy, six languages),
- mail-parser-reply called bare (every language it has),
- email-reply-parser (Zapier's port of GitHub's parser), when installed.
Prints per parser how many outputs equal the expected new text exactly (lines compared
without their outer spaces, blank runs as one) and how many keep every line the prospect
wrote (each expected line is in the output: nothing of theirs lost, quotes may remain).
-v lists the cases each one gets wrong.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from mailparser_reply import EmailReplyParser
from mailparser_reply.constants import MAIL_LANGUAGES

from service.domain import reply_reading
from service.domain.templates.rendering import html_to_text

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "reply_reading" / "corpus"
BLANKS_RE = re.compile(r"\n(?:[ \t]*\n){2,}")
SERVICE_PARSER = EmailReplyParser(languages=["en", "de", "fr", "es", "it", "nl"])
BARE_PARSER = EmailReplyParser(languages=list(MAIL_LANGUAGES))


def previous_service(text: str) -> str:
    """inbound_mail.new_part as it was before reply_reading (same bounds, same library)."""
    text = BLANKS_RE.sub("\n\n", text).strip()
    head, long_lines, size = [], {}, 0
    for i, line in enumerate(text.split("\n")[:300]):
        if len(line.strip()) > 200:
            token = f"\u27e6{i}\u27e7"
            long_lines[token] = line.strip()
            line = token
        size += len(line) + 1
        if size > 16_000:
            break
        head.append(line)
    replies = SERVICE_PARSER.read("\n".join(head)).replies
    if not replies or (len(replies) == 1 and not replies[0].signatures):
        return text
    body = replies[0].body
    for token, line in long_lines.items():
        body = body.replace(token, line)
    return body


def parsers() -> dict:
    found = {
        "reply_reading (now)": None,  # reads the HTML itself
        "service before": previous_service,
        "mail-parser-reply bare": lambda text: BARE_PARSER.parse_reply(text) or "",
    }
    try:
        from email_reply_parser import EmailReplyParser as Zapier
    except ImportError:
        print("email-reply-parser is not installed: pip install email-reply-parser")
    else:
        found["email-reply-parser"] = Zapier.parse_reply
    return found


def normalized(text: str) -> list[str]:
    lines = [line.strip() for line in (text or "").strip().split("\n")]
    return [line for n, line in enumerate(lines) if line or (n and lines[n - 1])]


def cases():
    for raw in sorted(CORPUS.iterdir()):
        if raw.suffix in (".txt", ".html") and ".expected" not in raw.name:
            expected = raw.with_name(raw.name.rsplit(".", 1)[0] + ".expected.txt")
            yield (
                raw.name,
                raw.suffix == ".html",
                raw.read_text("utf-8"),
                expected.read_text("utf-8"),
            )


def run(name: str, parse, is_html: bool, raw: str) -> str:
    if parse is None:
        return reply_reading.new_text("", raw) if is_html else reply_reading.new_text(raw)
    return parse(html_to_text(raw) if is_html else raw)


def main() -> None:
    verbose = "-v" in sys.argv
    all_cases = list(cases())
    print(f"{len(all_cases)} replies ({sum(c[1] for c in all_cases)} HTML-only)")
    print(f"{'parser':26} {'exact':>7} {'keeps every line':>17}")
    for name, parse in parsers().items():
        exact, kept, wrong = 0, 0, []
        for case, is_html, raw, expected in all_cases:
            got, want = normalized(run(name, parse, is_html, raw)), normalized(expected)
            exact += got == want
            kept += all(line in got for line in want if line)
            if got != want:
                wrong.append(case)
        print(f"{name:26} {exact:>7} {kept:>17}")
        if verbose and wrong:
            print("   wrong: " + ", ".join(wrong))


if __name__ == "__main__":
    main()
