"""Quote stripping of inbound replies on hostile text: the bounded path against the library.

    .venv/bin/python -m bench.reply_text

mail-parser-reply's regular expressions backtrack; service/domain/inbound_mail.new_part
only hands it a bounded, defused copy. Prints, per hostile shape and size, the time of
new_part() beside the bare library on the same text (the library only up to 8 KB: beyond
that it takes minutes). Target: new_part ≤ 0.5 s for any input up to 1 MB.
"""

from __future__ import annotations

import time

from mailparser_reply import EmailReplyParser

from service.domain.replies.inbound_mail import LANGUAGES, new_part

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


def main() -> None:
    bare = EmailReplyParser(languages=LANGUAGES).parse_reply
    print(f"{'shape':38} {'size':>9} {'new_part':>9} {'library':>9}")
    for name, make in SHAPES.items():
        for size in (2_000, 8_000, 1_000_000):
            text = make(size)
            ours = timed(new_part, text)
            theirs = f"{timed(bare, text):8.3f}s" if size <= 8_000 else "      —"
            print(f"{name:38} {size:>9,} {ours:8.3f}s {theirs:>9}")


if __name__ == "__main__":
    main()
