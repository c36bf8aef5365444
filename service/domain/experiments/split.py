"""Which variant the n-th enrolment of an A/B-tested step gets: a weighted round robin,
never a coin flip, so every full cycle of turns is split exactly by the weights (1:1 over
20 turns is 10/10; 3:1 over 40 is 30/10) and any prefix is as close to them as it can be."""

from __future__ import annotations


def variant_for_turn(weights: list[int], turn: int) -> int:
    """The variant index of turn `turn` (0-based): smooth weighted round robin (the one
    nginx uses), which spreads a heavier variant's turns out instead of bunching them."""
    total = sum(weights)
    current = [0] * len(weights)
    chosen = 0
    for _ in range(turn % total + 1):
        for index, weight in enumerate(weights):
            current[index] += weight
        chosen = max(range(len(weights)), key=lambda i: (current[i], -i))
        current[chosen] -= total
    return chosen


def signature(variants: list[dict]) -> str:
    """What the turns of a counter count for: an edit of the variants restarts the split."""
    return ",".join(f"{v['template_id']}:{v['weight']}" for v in variants)[:200]
