"""Two (or more) runs of `python -m bench` side by side, with the change in %.

    .venv/bin/python -m bench.compare BASE.json NEW.json

Compare only runs taken in the same session on the same machine, ideally alternating
(`python -m bench --alternate`): the load average of each run is printed with it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from bench.report import number, render

LOAD = "(load average before)"


def figures_of(run: dict) -> dict[tuple[str, str], dict]:
    """(benchmark, row name) -> figure: each figure, its floor (a slower machine shows in
    the floor too) and the load average before the benchmark started."""
    out = {}
    for result in run["results"]:
        out[(result["benchmark"], LOAD)] = {"value": result["load_before"][0], "unit": ""}
        for fig in result["figures"]:
            out[(result["benchmark"], fig["name"])] = fig
            if fig["floor"] is not None:
                out[(result["benchmark"], f"  floor: {fig['floor_label']}")] = {
                    **fig,
                    "value": fig["floor"],
                }
    return out


def params_differ(runs: list[dict]) -> list[str]:
    """Benchmarks whose sizes differ between the runs (their figures do not compare)."""
    seen: dict[str, set] = {}
    for run in runs:
        for result in run["results"]:
            if not result["params"].get("own_module"):  # a base's own module: no figures
                seen.setdefault(result["benchmark"], set()).add(
                    repr(sorted(result["params"].items()))
                )
    return [name for name, params in seen.items() if len(params) > 1]


def change(base: list[float], new: list[float], higher_is_better: bool) -> str:
    """The change of the mean in %, and whether it is for the better."""
    if not base or not new or statistics.fmean(base) == 0:
        return ""
    pct = (statistics.fmean(new) / statistics.fmean(base) - 1) * 100
    if abs(pct) < 0.05:
        return "0.0 %"
    better = (pct > 0) == higher_is_better
    return f"{pct:+.1f} % ({'better' if better else 'worse'})"


def side_by_side(groups: list[tuple[str, list[dict]]]) -> str:
    """One row per figure, one column per run (grouped: base runs, new runs); the change of
    the last group's mean against the first group's."""
    columns = [
        (group, f"{group} {n}" if len(runs) > 1 else group, figures_of(run))
        for group, runs in groups
        for n, run in enumerate(runs, 1)
    ]
    keys = list(dict.fromkeys(k for *_, figs in columns for k in figs))
    benches = list(dict.fromkeys(bench for bench, _ in keys))
    keys.sort(key=lambda k: benches.index(k[0]))  # stable: each benchmark's rows together
    rows, previous = [("benchmark", "figure", *(c[1] for c in columns), "change")], None
    differ = params_differ([run for _, runs in groups for run in runs])
    if differ:
        print(f"!!! sizes differ between the runs for {', '.join(differ)}: do not compare those")
    for bench, name in keys:
        cells, by_group, unit, higher = [], {}, "", False
        for group, _, figs in columns:
            fig = figs.get((bench, name))
            cells.append("—" if fig is None else number(fig["value"]))
            if fig is not None:
                by_group.setdefault(group, []).append(fig["value"])
                unit, higher = fig["unit"], fig.get("higher_is_better", False)
        base, new = by_group.get(groups[0][0], []), by_group.get(groups[-1][0], [])
        label = f"{name} ({unit})" if unit else name
        delta = "" if name == LOAD else change(base, new, higher)
        rows.append((bench if bench != previous else "", label, *cells, delta))
        previous = bench
    return render(rows)


def describe(run: dict) -> str:
    size = "quick" if run.get("quick") else "full"
    dirty = "+changes" if run.get("dirty") else ""
    return f"{run['commit'][:9]}{dirty} {run['date']} ({size}, {run['cpu_count']} CPUs)"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("runs", nargs="+", type=Path, help="JSON files written by python -m bench")
    args = parser.parse_args(argv)
    if len(args.runs) < 2:
        sys.exit("give two runs (base first)")
    runs = [json.loads(path.read_text()) for path in args.runs]
    for n, (path, run) in enumerate(zip(args.runs, runs, strict=True)):
        print(f"run {n + 1}: {path.name}: {describe(run)}")
    print(side_by_side([(f"run {n + 1}", [run]) for n, run in enumerate(runs)]))


if __name__ == "__main__":
    main()
