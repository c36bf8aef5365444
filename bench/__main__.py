"""Every benchmark in one command, one table and one JSON file (bench/README.md).

.venv/bin/python -m bench                      # all of them, full sizes
.venv/bin/python -m bench --quick board webhooks
.venv/bin/python -m bench --compare bench/results/BASE.json
.venv/bin/python -m bench --alternate main --rounds 2 board signed_requests
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench import suite
from bench.report import table


def options(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=f"default all: {', '.join(suite.BENCHMARKS)}"
    )
    parser.add_argument("--quick", action="store_true", help="each benchmark at a small size")
    parser.add_argument(
        "--force",
        action="store_true",
        help=f"run even when the load average stays >= {suite.LOAD_LIMIT} (figures pessimistic)",
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=120,
        help="seconds to wait for the load to fall before each benchmark (default 120)",
    )
    parser.add_argument("--json", type=Path, help="where to write the run (default bench/results/)")
    parser.add_argument("--compare", type=Path, help="a previous run's JSON: print both after")
    parser.add_argument(
        "--alternate",
        metavar="REF_OR_WORKTREE",
        help="run a base (a commit, or a checkout) and this checkout alternately",
    )
    parser.add_argument("--rounds", type=int, default=2, help="with --alternate (default 2)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each benchmark's log")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in suite.BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; known: {', '.join(suite.BENCHMARKS)}")
    args.names = args.names or list(suite.BENCHMARKS)
    return args


def main(argv: list[str] | None = None) -> int:
    args = options(argv)
    if args.alternate:
        from bench.alternate import alternate

        record = alternate(args.names, args)
        print(f"written: {suite.save(record, args.json or suite.default_path())}")
        return 0
    record = suite.run_all(args.names, args)
    path = suite.save(record, args.json or suite.default_path())
    size = "quick sizes: the targets are for the full sizes" if args.quick else "full sizes"
    if record["results"]:
        print(f"\ncommit {record['commit'][:9]}, {record['cpu_count']} CPUs, {size}")
        print(table(record["results"]))
    print(f"written: {path}")
    if args.compare:
        from bench.compare import main as compare

        compare([str(args.compare), str(path)])
    failed = record["stopped"] or any(r["error"] for r in record["results"])
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
