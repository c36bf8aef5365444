"""Base and new, alternately, in one session: `python -m bench --alternate REF`.

The base is a `git worktree` of REF (or a directory holding one) under /tmp with its own
virtualenv, both made on first use and kept for the next session. Both sides run the
benchmark code of *this* checkout (bench/ is copied over the base's), so the two columns
differ only in the code under test; a benchmark the base cannot run (an endpoint it lacks)
shows as an error in its column. Each side is its own `python -m bench` process.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import own
from bench.compare import describe, side_by_side
from bench.suite import ROOT, git

# What a run passes on to each side.
FORWARDED = ("quick", "force", "verbose")


def base_worktree(ref: str) -> Path:
    """The base checkout: an existing directory, or a worktree of `ref` made under /tmp."""
    given = Path(ref)
    if given.is_dir():
        return given.resolve()
    sha = git("rev-parse", "--verify", f"{ref}^{{commit}}")
    if not sha:
        sys.exit(f"--alternate: {ref!r} is neither a directory nor a commit of this repository")
    path = Path(tempfile.gettempdir()) / f"bench-base-{sha[:12]}"
    if not (path / ".git").exists():
        print(f"making a worktree of {sha[:12]} at {path}", flush=True)
        subprocess.run(["git", "worktree", "add", "--detach", str(path), sha], cwd=ROOT, check=True)
    return path


def base_python(path: Path) -> Path:
    """The base's own virtualenv (its constraints, its dependencies), made on first use."""
    python = path / ".venv" / "bin" / "python"
    if not python.exists():
        print(f"making a virtualenv in {path / '.venv'} (a few minutes)", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(path / ".venv")], check=True)
        install = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        constraints = ["-c", "constraints.txt"] if (path / "constraints.txt").exists() else []
        subprocess.run([*install, *constraints, "-e", ".[test,bench]"], cwd=path, check=True)
    return python


def overlay_bench(path: Path) -> None:
    """The same measuring code on both sides: this checkout's bench/ over the base's (whose
    own modules stay runnable as bench._own, see bench/own.py)."""
    if path.resolve() == ROOT:
        return
    own.keep(path)
    for source in (ROOT / "bench").glob("*.py"):
        shutil.copy2(source, path / "bench" / source.name)


def run_side(python: Path, cwd: Path, names: list[str], options, out: Path) -> dict:
    """One `python -m bench` run in `cwd`; its JSON record (or an error record)."""
    flags = [f"--{flag}" for flag in FORWARDED if getattr(options, flag)]
    command = [str(python), "-m", "bench", *names, *flags, "--settle", str(options.settle)]
    subprocess.run([*command, "--json", str(out)], cwd=cwd, check=False)
    if not out.exists():
        return {"commit": "?", "date": "?", "cpu_count": 0, "results": [], "stopped": "no JSON"}
    return json.loads(out.read_text())


def own_logs(sides: dict[str, list[dict]]) -> None:
    """The output of the runs made by a base's own modules (no figures in the table)."""
    for label, runs in sides.items():
        for n, run in enumerate(runs, 1):
            for result in run["results"]:
                if result["params"].get("own_module"):
                    print(f"\n--- {label} {n}: {result['benchmark']} (its own module) ---")
                    print("\n".join(result["log"]))


def alternate(names: list[str], options) -> dict:
    """`rounds` rounds of base then new; prints both side by side; the combined record."""
    base = base_worktree(options.alternate)
    python = base_python(base)
    overlay_bench(base)
    tmp = Path(tempfile.mkdtemp(prefix="bench-alternate-"))
    sides: dict[str, list[dict]] = {"base": [], "new": []}
    for n in range(1, options.rounds + 1):
        for label, (py, cwd) in (("base", (python, base)), ("new", (Path(sys.executable), ROOT))):
            print(f"=== round {n}/{options.rounds}: {label} ({cwd}) ===", flush=True)
            sides[label].append(run_side(py, cwd, names, options, tmp / f"{label}{n}.json"))
    for label, runs in sides.items():
        for n, run in enumerate(runs, 1):
            stopped = f" — stopped: {run['stopped']}" if run.get("stopped") else ""
            print(f"{label} {n}: {describe(run)}{stopped}")
    print(side_by_side([("base", sides["base"]), ("new", sides["new"])]))
    own_logs(sides)
    return {"alternate": options.alternate, "base_worktree": str(base), **sides}
