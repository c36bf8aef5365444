"""The common reporter: every benchmark records its figures here as data, and its log.

A benchmark module exposes `measure(result, **sizes)`: it fills `result` (a `Result`)
with figures (each beside its floor and target), the workers' RSS and the lines it prints.
`python -m bench.<name>` echoes the lines as they come (the output it always had);
`python -m bench` collects the results of every benchmark into one table and one JSON file.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime


@dataclass
class Figure:
    """One measured number beside the bare limit it stands on and the target it must meet.

    `target` bounds the value itself, `ratio_target` bounds value / floor; both point the
    same way as the value (`higher_is_better`)."""

    name: str
    value: float
    unit: str
    higher_is_better: bool = False
    floor: float | None = None
    floor_label: str = ""
    target: float | None = None
    ratio_target: float | None = None

    @property
    def ratio(self) -> float | None:
        return self.value / self.floor if self.floor else None

    def _holds(self, value: float, bound: float) -> bool:
        return value >= bound if self.higher_is_better else value <= bound

    @property
    def met(self) -> bool | None:
        """None when there is nothing to meet (a figure shown for information)."""
        checks = []
        if self.target is not None:
            checks.append(self._holds(self.value, self.target))
        if self.ratio_target is not None and self.ratio is not None:
            checks.append(self._holds(self.ratio, self.ratio_target))
        return all(checks) if checks else None

    def target_text(self) -> str:
        sign = ">=" if self.higher_is_better else "<="
        parts = []
        if self.target is not None:
            parts.append(f"{sign} {number(self.target)} {self.unit}".rstrip())
        if self.ratio_target is not None:
            parts.append(f"{sign} {self.ratio_target:g}x floor")
        return ", ".join(parts)

    def as_dict(self) -> dict:
        return {**asdict(self), "ratio": self.ratio, "met": self.met}

    @classmethod
    def from_dict(cls, data: dict) -> Figure:
        """A figure back from a run's JSON (which adds `ratio` and `met`)."""
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})


def number(value: float) -> str:
    """A figure as a person reads it: 3 significant digits, thousands separated."""
    if value == 0 or abs(value) >= 99.95 or value == int(value):
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


@dataclass
class Result:
    """What one run of one benchmark produced."""

    benchmark: str
    echo: bool = True
    params: dict = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    rss_mb: dict[str, list[float]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    load_before: list[float] = field(default_factory=load_average)
    load_after: list[float] | None = None
    seconds: float | None = None
    error: str | None = None

    def say(self, text: str = "") -> None:
        """One line of the benchmark's own log (printed as it comes when echoing)."""
        self.lines.append(text)
        if self.echo:
            print(text, flush=True)

    def figure(self, name: str, value: float, unit: str, **kwargs) -> Figure:
        figure = Figure(name, float(value), unit, **kwargs)
        self.figures.append(figure)
        return figure

    def rss(self, label: str, values: list[float]) -> list[float]:
        """Record the resident memory of a group of processes (e.g. the API workers)."""
        self.rss_mb[label] = [round(v, 1) for v in values]
        return values

    def as_dict(self) -> dict:
        return {
            "benchmark": self.benchmark,
            "params": self.params,
            "load_before": self.load_before,
            "load_after": self.load_after,
            "seconds": self.seconds,
            "error": self.error,
            "figures": [f.as_dict() for f in self.figures],
            "rss_mb": self.rss_mb,
            "log": self.lines,
        }


def verdict_of(met: bool | None) -> str:
    return {True: "met", False: "MISSED", None: "—"}[met]


def table(results: list[dict]) -> str:
    """The one table of a run: benchmark, figure, value, floor, ratio, target, met, load."""
    rows = [("benchmark", "figure", "value", "floor", "ratio", "target", "met", "load")]
    for run in results:
        load = f"{run['load_before'][0]:.2f}→{(run['load_after'] or [0])[0]:.2f}"
        if run["error"]:
            rows.append((run["benchmark"], "ERROR: " + run["error"][:70], "", "", "", "", "", load))
        for n, fig in enumerate(run["figures"]):
            first = n == 0 and not run["error"]
            rows.append(
                (
                    run["benchmark"] if first else "",
                    fig["name"],
                    f"{number(fig['value'])} {fig['unit']}".rstrip(),
                    floor_text(fig),
                    "" if fig["ratio"] is None else f"{fig['ratio']:.2f}x",
                    Figure.from_dict(fig).target_text(),
                    verdict_of(fig["met"]),
                    load if first else "",
                )
            )
    return render(rows)


def floor_text(fig: dict) -> str:
    if fig["floor"] is None:
        return ""
    return f"{number(fig['floor'])} {fig['unit']} ({fig['floor_label']})".replace("  ", " ")


def render(rows: list[tuple[str, ...]]) -> str:
    """Plain aligned columns (a terminal and a commit message both show it)."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for n, row in enumerate(rows):
        out.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
