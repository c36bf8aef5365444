"""The verdict of an A/B test on human reply rates: a Beta-Binomial model with a uniform
prior. Each variant's reply rate has the posterior Beta(1 + replies, 1 + sends - replies);
the probability that variant i is the best is the integral of its density times the
others' distribution functions, P_i = ∫ f_i(x) Π_{j≠i} F_j(x) dx, integrated numerically
on a fixed grid (deterministic: the same counts always give the same numbers, no Monte
Carlo noise). Checked against scipy in tests/experiments/test_stats.py."""

from __future__ import annotations

import math
from dataclasses import dataclass

DECIDE_AT = 0.95  # docs/api.md §18: decided at 95 % and every variant's min_sends
POINTS_PER_VARIANT = 600  # grid points around each posterior's mass
SPREAD = 12.0  # standard deviations each side of the mean the grid covers
PROJECTION_CAP = 1_000_000  # more sends per variant than this: "cannot tell"


@dataclass(frozen=True)
class Posterior:
    a: float
    b: float

    @classmethod
    def of(cls, replies: float, sends: float) -> Posterior:
        return cls(1.0 + replies, 1.0 + sends - replies)

    @property
    def mean(self) -> float:
        return self.a / (self.a + self.b)

    @property
    def sd(self) -> float:
        n = self.a + self.b
        return math.sqrt(self.a * self.b / (n * n * (n + 1.0)))

    def pdf(self, x: float) -> float:
        if x <= 0.0 or x >= 1.0:  # the ends: finite only where the exponent is 0
            edge = self.a if x <= 0.0 else self.b
            return math.exp(-_log_beta(self.a, self.b)) if edge == 1.0 else 0.0
        log = (self.a - 1.0) * math.log(x) + (self.b - 1.0) * math.log1p(-x)
        return math.exp(log - _log_beta(self.a, self.b))


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def _grid(posteriors: list[Posterior]) -> list[float]:
    """0, 1 and a dense stretch around each posterior's mass, merged."""
    points = {0.0, 1.0}
    for p in posteriors:
        low = max(0.0, p.mean - SPREAD * p.sd)
        high = min(1.0, p.mean + SPREAD * p.sd)
        step = (high - low) / POINTS_PER_VARIANT
        points.update(low + i * step for i in range(POINTS_PER_VARIANT + 1))
    return sorted(points)


def _cdf(xs: list[float], density: list[float]) -> list[float]:
    """The distribution function on the grid (cumulative trapezoids, scaled to end at 1)."""
    total, out = 0.0, [0.0]
    for i in range(1, len(xs)):
        total += (density[i] + density[i - 1]) * (xs[i] - xs[i - 1]) / 2.0
        out.append(total)
    return [v / total for v in out] if total > 0 else out


def probabilities_best(counts: list[tuple[float, float]]) -> list[float]:
    """P(variant i has the highest reply rate) for [(replies, sends)] per variant."""
    posteriors = [Posterior.of(r, n) for r, n in counts]
    xs = _grid(posteriors)
    densities = [[p.pdf(x) for x in xs] for p in posteriors]
    cdfs = [_cdf(xs, d) for d in densities]
    result = []
    for i, density in enumerate(densities):
        values = [
            density[k] * math.prod(cdfs[j][k] for j in range(len(cdfs)) if j != i)
            for k in range(len(xs))
        ]
        result.append(
            sum((values[k] + values[k - 1]) * (xs[k] - xs[k - 1]) / 2 for k in range(1, len(xs)))
        )
    total = sum(result)
    return [v / total for v in result] if total > 0 else [1.0 / len(counts)] * len(counts)


def credible_interval(replies: int, sends: int, mass: float = 0.95) -> tuple[float, float]:
    """The equal-tailed credible interval of one variant's reply rate."""
    posterior = Posterior.of(replies, sends)
    xs = _grid([posterior])
    cdf = _cdf(xs, [posterior.pdf(x) for x in xs])
    tail = (1.0 - mass) / 2.0
    return _quantile(xs, cdf, tail), _quantile(xs, cdf, 1.0 - tail)


def _quantile(xs: list[float], cdf: list[float], q: float) -> float:
    for k in range(1, len(xs)):
        if cdf[k] >= q:
            span = cdf[k] - cdf[k - 1]
            share = (q - cdf[k - 1]) / span if span > 0 else 0.0
            return xs[k - 1] + share * (xs[k] - xs[k - 1])
    return 1.0


@dataclass(frozen=True)
class Verdict:
    leader: int | None
    confidence: float
    decided: bool
    sends_to_decide: int | None


def verdict(counts: list[tuple[int, int]], min_sends: int) -> Verdict:
    """Leader, confidence and whether it is decided, for [(human replies, sends)]."""
    if not any(n for _, n in counts):
        return Verdict(None, 0.0, False, max(min_sends, 0))
    chances = probabilities_best(counts)
    leader = max(range(len(chances)), key=lambda i: (chances[i], -i))
    enough = min(n for _, n in counts) >= min_sends
    decided = enough and chances[leader] >= DECIDE_AT
    more = 0 if decided else sends_to_decide(counts, min_sends)
    return Verdict(leader, chances[leader], decided, more)


def _decides(counts: list[tuple[int, int]], rates: list[float], extra: int, floor: int) -> bool:
    projected = [(r + extra * rate, n + extra) for (r, n), rate in zip(counts, rates, strict=True)]
    if min(n for _, n in projected) < floor:
        return False
    return max(probabilities_best(projected)) >= DECIDE_AT


def sends_to_decide(counts: list[tuple[int, int]], min_sends: int) -> int | None:
    """More sends per variant until it would be decided if every variant kept its observed
    reply rate (None: at these rates it never would, e.g. equal rates)."""
    rates = [r / n if n else 0.0 for r, n in counts]
    floor = max(0, min_sends - min(n for _, n in counts))
    high = max(floor, 1)
    while not _decides(counts, rates, high, min_sends):
        if high >= PROJECTION_CAP:
            return None
        high *= 2
    low = floor - 1  # fewer than the floor never decides
    while high - low > 1:
        middle = (low + high) // 2
        if _decides(counts, rates, middle, min_sends):
            high = middle
        else:
            low = middle
    return high
