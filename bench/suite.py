"""Run benchmarks one after another and keep what each produced (figures, load, RSS).

Every benchmark runs in this process through its module's `measure(result, **sizes)`;
before each one the machine must be quiet (1-minute load average below LOAD_LIMIT): the
run waits up to `settle` seconds for that (the previous benchmark's own load decays by
half in about 40 s), then stops, unless forced.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path

from bench import own
from bench.report import Result, load_average, stamp

ROOT = Path(__file__).resolve().parents[1]
# The order of bench/README.md; `import` is a keyword, hence importlib.
BENCHMARKS = (
    "board",
    "signed_requests",
    "webhooks",
    "steps_fleet",
    "board_browser",
    "link_checks",
    "deliverability",
    "import",
    "reply_text",
    "webhooks_out",
    "mailboxes",
)
LOAD_LIMIT = 1.5


class TooBusy(Exception):
    """The machine stayed loaded: figures taken now would measure the other work."""


def module(name: str):
    return importlib.import_module(f"bench.{name}")


def sizes(name: str, quick: bool) -> dict:
    """The keyword arguments of a run: the module's full sizes, or its QUICK overrides."""
    from bench.common import defaults

    mod = module(name)
    return {**defaults(mod.measure), **(getattr(mod, "QUICK", {}) if quick else {})}


def wait_quiet(settle: float, force: bool, say=print) -> list[float]:
    """Wait for the load average to fall below LOAD_LIMIT; TooBusy (or a warning, forced)."""
    deadline = time.monotonic() + settle
    load = load_average()
    while load[0] >= LOAD_LIMIT and time.monotonic() < deadline:
        time.sleep(5)
        load = load_average()
    if load[0] >= LOAD_LIMIT:
        message = (
            f"load average {load[0]:.2f} >= {LOAD_LIMIT} on {os.cpu_count()} CPUs "
            f"after waiting {settle:.0f} s"
        )
        if not force:
            raise TooBusy(message + ": not measuring (--force runs anyway)")
        say(f"!!! WARNING: {message}; running anyway (--force): figures are pessimistic !!!")
    return load


def run_one(name: str, quick: bool, verbose: bool, load: list[float]) -> Result:
    result = Result(name, echo=verbose, load_before=load)
    started = time.perf_counter()
    root = logging.getLogger()
    logging_before = (root.handlers[:], root.level)
    try:
        result.params = sizes(name, quick)
        module(name).measure(result, **result.params)
    except ImportError as exc:
        if (own.OWN / f"{name}.py").exists():  # a base older than this harness
            own.run(result, name, quick)
        else:
            result.error = f"{type(exc).__name__}: {exc}"
            result.say(traceback.format_exc())
    except Exception as exc:  # one broken benchmark must not lose the others' figures
        result.error = f"{type(exc).__name__}: {exc}"
        result.say(traceback.format_exc())
    finally:
        # An app made in-process sets up the service's JSON logging: the next benchmark's
        # migrations would print through it.
        root.handlers[:], _ = logging_before
        root.setLevel(logging_before[1])
    result.seconds = round(time.perf_counter() - started, 1)
    result.load_after = load_average()
    return result


def run_all(names: list[str], options) -> dict:
    """Run `names` in order; the run's record (what the JSON file holds)."""
    record = header(options)
    for n, name in enumerate(names, 1):
        try:
            load = wait_quiet(options.settle, options.force)
        except TooBusy as exc:
            record["stopped"] = f"before {name}: {exc}"
            print(f"!!! {record['stopped']}", flush=True)
            break
        print(f"[{n}/{len(names)}] {name} (load {load[0]:.2f}) ...", flush=True)
        result = run_one(name, options.quick, options.verbose, load)
        print(
            f"[{n}/{len(names)}] {name}: {'ERROR ' + result.error if result.error else 'done'}"
            f" in {result.seconds:.0f} s (load {result.load_after[0]:.2f})",
            flush=True,
        )
        record["results"].append(result.as_dict())
    return record


def header(options) -> dict:
    return {
        "date": stamp(),
        "commit": git("rev-parse", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "cpu_count": os.cpu_count(),
        "quick": options.quick,
        "forced": options.force,
        "argv": sys.argv[1:],
        "python": sys.version.split()[0],
        "stopped": None,
        "results": [],
    }


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout.strip()


def save(record: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1) + "\n")
    return path


def default_path() -> Path:
    return ROOT / "bench" / "results" / f"{stamp().replace(':', '')}.json"
