"""Quote stripping of inbound replies on hostile text: reply_reading against the library.

    .venv/bin/python -m bench.reply_text [--sizes 2000 8000 1000000] [--library-max 8000]

service/domain/reply_reading reads a reply line by line with patterns that cannot backtrack
far. Prints, per hostile shape and size, the time of inbound_mail.new_part() (plain text)
and reply_reading.new_text() on HTML, beside the bare `mail-parser-reply` on the same text
(the library only at 2 KB: at 8 KB it takes from seconds to minutes). Target: ≤ 0.5 s for
any input up to 1 MB.
"""

from __future__ import annotations

import time

from mailparser_reply import EmailReplyParser

from bench import common
from service.domain import reply_reading
from service.domain.replies.inbound_mail import new_part

TARGET_S = 0.5
QUICK = {"sizes": (2_000, 100_000), "library_max": 2_000}

LANGUAGES = ["en", "de", "fr", "es", "it", "nl"]  # what the service gave the library
SHAPES = {
    "'On ' + 'a ' * n (one long line)": lambda n: "On " + "a " * (n // 2),
    "n blank lines": lambda n: "x" + "\n" * n + "x",
    "'x' + n spaces": lambda n: "x" + " " * n + "x",
    "short 'On … wrote' lines": lambda n: ("On " + "a " * 90 + "x\n") * (n // 184),
    "n lines of 'x'": lambda n: "x\n" * (n // 2),
    "'On 1, a <b@c.d>' lines ending ':'": lambda n: ("On 1, a " * 20 + "<b@c.d>:\n") * (n // 170),
    "From:/To: lines": lambda n: "From: a@b.c\nTo: d\n" * (n // 18),
    "text between quoted lines": lambda n: ("> " + "q" * 70 + "\nx\n") * (n // 76),
    "'-' * n (one rule)": lambda n: "-" * n,
    "sign-off lines": lambda n: "Thanks, Anna Maria Jones\n" * (n // 25),
}
HTML_SHAPES = {
    "<div> nested n/5 deep": lambda n: "<div>" * (n // 5) + "x",
    "<blockquote> n/12 siblings": lambda n: "<blockquote>q</blockquote>x" * (n // 27),
    "border-top divs": lambda n: '<div style="border-top:solid">From: a</div>' * (n // 42),
    "<p> with text": lambda n: "<p>word</p>" * (n // 11),
}


def timed(fn, text) -> float:
    started = time.perf_counter()
    fn(text)
    return time.perf_counter() - started


def measure(result, sizes: tuple[int, ...] = (2_000, 8_000, 1_000_000), library_max: int = 2_000):
    """new_part on every hostile shape at every size; the library too up to `library_max`."""
    bare = EmailReplyParser(languages=LANGUAGES).parse_reply
    worst = {"ours": 0.0, "ours_small": 0.0, "library": 0.0}
    result.say(f"{'shape':38} {'size':>9} {'new_part':>9} {'library':>9}")
    for name, make in SHAPES.items():
        for size in sizes:
            text = make(size)
            ours = timed(new_part, text)
            worst["ours"] = max(worst["ours"], ours)
            theirs = "      —"
            if size <= library_max:
                library = timed(bare, text)
                worst["ours_small"] = max(worst["ours_small"], ours)
                worst["library"] = max(worst["library"], library)
                theirs = f"{library:8.3f}s"
            result.say(f"{name:38} {size:>9,} {ours:8.3f}s {theirs:>9}")
    for name, make in HTML_SHAPES.items():
        for size in sizes:
            ours = timed(lambda markup: reply_reading.new_text("", markup), make(size))
            worst["ours"] = max(worst["ours"], ours)
            result.say(f"HTML {name:33} {size:>9,} {ours:8.3f}s {'—':>9}")
    result.figure("new_part worst, any size", worst["ours"], "s", target=TARGET_S)
    result.figure(
        f"new_part worst, <= {library_max:,} chars",
        worst["ours_small"],
        "s",
        floor=worst["library"],
        floor_label="bare library",
    )
    return result


if __name__ == "__main__":
    common.main_for("reply_text", measure, __doc__)
