"""docs/api.md §18, docs/insights.md: the verdict's maths against scipy on fixed counts."""

from __future__ import annotations

import math

import pytest
from scipy import integrate, stats

from service.domain.experiments.stats import credible_interval, probabilities_best, verdict
from tests.support.cpu import cpu_seconds

CASES = [  # [(human replies, sends)] per variant
    [(0, 0), (0, 0)],
    [(5, 100), (12, 100)],
    [(10, 100), (10, 100)],
    [(3, 40), (9, 41)],
    [(50, 1000), (70, 1000)],
    [(0, 10), (1, 10)],
    [(1, 200), (30, 200)],
    [(7, 120), (9, 130), (15, 110)],
    [(200, 10000), (240, 10000)],
    [(4, 50), (6, 50), (5, 50), (9, 50)],
    [(2, 20), (8, 60), (1, 5), (12, 90), (3, 30)],
    [(0, 100), (0, 3)],
]


def reference(counts):
    """P(variant i is best) by scipy: ∫ f_i Π_{j≠i} F_j with adaptive quadrature."""
    dists = [stats.beta(1 + r, 1 + n - r) for r, n in counts]
    out = []
    for i, d in enumerate(dists):
        others = [o for j, o in enumerate(dists) if j != i]
        low, high = d.ppf(1e-12), d.ppf(1 - 1e-12)
        value, _ = integrate.quad(
            lambda x, d=d, others=others: d.pdf(x) * float(math.prod(o.cdf(x) for o in others)),
            low,
            high,
            limit=500,
            epsabs=1e-12,
        )
        out.append(value)
    return out


@pytest.mark.parametrize("counts", CASES)
def test_probability_to_beat_matches_scipy(counts):
    ours = probabilities_best(counts)
    assert ours == pytest.approx(reference(counts), abs=2e-4)
    assert sum(ours) == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize(("replies", "sends"), [(0, 0), (5, 100), (30, 200), (400, 10000), (9, 9)])
def test_credible_interval_matches_scipy(replies, sends):
    d = stats.beta(1 + replies, 1 + sends - replies)
    assert credible_interval(replies, sends) == pytest.approx(
        (d.ppf(0.025), d.ppf(0.975)), abs=2e-4
    )


def test_the_same_counts_always_give_the_same_numbers():
    assert all(probabilities_best(c) == probabilities_best(c) for c in CASES)


def test_decided_needs_the_confidence_and_every_variants_min_sends():
    clear = [(2, 100), (20, 100)]
    assert verdict(clear, 100).decided and verdict(clear, 100).leader == 1
    assert verdict(clear, 100).sends_to_decide == 0
    floor = verdict(clear, 150)  # sure enough, but too few sends
    assert not floor.decided and floor.confidence > 0.99 and floor.sends_to_decide == 50
    close = verdict([(10, 100), (13, 100)], 100)
    assert not close.decided and 0.5 < close.confidence < 0.95
    assert close.sends_to_decide > 0
    assert verdict([(10, 100), (10, 100)], 100).sends_to_decide is None  # never, at equal rates


def test_nothing_sent_has_no_leader():
    v = verdict([(0, 0), (0, 0)], 100)
    assert (v.leader, v.decided, v.sends_to_decide) == (None, False, 100)


def test_sends_to_decide_is_projected_at_the_observed_rates():
    v = verdict([(10, 100), (13, 100)], 100)
    projected = [(10 * (1 + v.sends_to_decide / 100), 100 + v.sends_to_decide)]
    projected.append((13 * (1 + v.sends_to_decide / 100), 100 + v.sends_to_decide))
    assert max(probabilities_best(projected)) >= 0.95
    fewer = v.sends_to_decide - 1
    almost = [(10 * (1 + fewer / 100), 100 + fewer), (13 * (1 + fewer / 100), 100 + fewer)]
    assert max(probabilities_best(almost)) < 0.95


def test_a_verdict_is_quick():
    # CPU, not wall time: a full CI run under load measured 2.25 s of wall for it.
    _, spent = cpu_seconds(verdict, [(7, 120), (9, 130), (15, 110), (4, 100), (11, 105)], 100)
    assert spent < 2.0
