"""Quote stripping of inbound replies on hostile text: the bounded path against the library.

    .venv/bin/python -m bench.reply_text [--sizes 2000 8000 1000000] [--library-max 8000]

mail-parser-reply's regular expressions backtrack; service/domain/inbound_mail.new_part
only hands it a bounded, defused copy. Prints, per hostile shape and size, the time of
new_part() beside the bare library on the same text (the library only up to 8 KB: beyond
that it takes minutes). Target: new_part ≤ 0.5 s for any input up to 1 MB.
"""

from __future__ import annotations

import time

from mailparser_reply import EmailReplyParser

from bench.common import main_for
from service.domain.replies.inbound_mail import LANGUAGES, new_part

TARGET_S = 0.5
QUICK = {"sizes": (2_000, 100_000), "library_max": 2_000}

SHAPES = {
    "'On ' + 'a ' * n (one long line)": lambda n: "On " + "a " * (n // 2),
    "n blank lines": lambda n: "x" + "\n" * n + "x",
    "'x' + n spaces": lambda n: "x" + " " * n + "x",
    "short 'On … wrote' lines": lambda n: ("On " + "a " * 90 + "x\n") * (n // 184),
    "n lines of 'x'": lambda n: "x\n" * (n // 2),
}


def timed(fn, text) -> float:
    started = time.perf_counter()
    fn(text)
    return time.perf_counter() - started


def measure(result, sizes: tuple[int, ...] = (2_000, 8_000, 1_000_000), library_max: int = 8_000):
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
    main_for("reply_text", measure, __doc__)
