"""A base's own benchmark modules, for bases older than this harness (`--alternate`).

`--alternate` copies this checkout's bench/ over the base's, so that both sides measure
with the same code. Where that code needs what the base does not have (a test helper, a
module, a library), the base's own `bench.<name>` still runs: `keep` saves the base's
bench/ as `bench._own` before the copy, and the suite runs `python -m bench._own.<name>`
when the copied module cannot be imported. Its output lands in the run's log and JSON
(no figures in the table: its lines are printed after it).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OWN = ROOT / "bench" / "_own"


def keep(base: Path) -> None:
    """Save the base commit's bench/ as bench/_own (its imports pointed at bench._own)."""
    own = base / "bench" / "_own"
    if own.exists():
        return
    own.mkdir()
    listing = ["git", "ls-tree", "--name-only", "HEAD", "bench/"]
    names = subprocess.run(listing, cwd=base, capture_output=True, text=True, check=True)
    for path in names.stdout.split():
        if path.endswith(".py"):
            show = ["git", "show", f"HEAD:{path}"]
            source = subprocess.run(show, cwd=base, capture_output=True, text=True, check=True)
            text = source.stdout.replace("from bench.", "from bench._own.")
            (own / Path(path).name).write_text(text)
    (own / "__init__.py").touch()


def quick_sizes(name: str) -> dict:
    """The QUICK sizes of this checkout's module, read from its source (it did not import)."""
    tree = ast.parse((ROOT / "bench" / f"{name}.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            getattr(t, "id", None) == "QUICK" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    return {}


def run(result, name: str, quick: bool) -> None:
    """`python -m bench._own.<name>`, with the quick sizes its command line knows."""
    source = (OWN / f"{name}.py").read_text()
    flags = []
    for key, value in (quick_sizes(name) if quick else {}).items():
        flag = "--" + key.replace("_", "-")
        if f'"{flag}"' in source:
            flags += [
                flag,
                *(str(v) for v in (value if isinstance(value, list | tuple) else [value])),
            ]
    result.params = {"own_module": True, "flags": flags}
    result.say(f"(the base's own bench.{name} {' '.join(flags)})")
    done = subprocess.run(
        [sys.executable, "-m", f"bench._own.{name}", *flags],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in done.stdout.splitlines():
        result.say(line)
    if done.returncode:
        result.error = f"the base's own bench.{name} exited {done.returncode}"
        result.say(done.stderr[-3000:])
