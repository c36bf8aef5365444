"""The sending queue's slot arithmetic (service/domain/sending/queue.py), without a
database: every rule holds, each slot is the earliest that keeps them."""

from __future__ import annotations

import random
from bisect import insort
from datetime import UTC, datetime, timedelta

from service.domain.sending.queue import DAY, HOUR, Rules, earliest

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


def rules(daily=100, hourly=0, spacing=timedelta(0), opening=lambda at: at) -> Rules:
    return Rules(daily=daily, hourly=hourly, spacing=spacing, opening=opening)


def hand_out(n: int, r: Rules, planned=None, start=T0) -> list[datetime]:
    planned = list(planned or [])
    slots = []
    for _ in range(n):
        at = earliest(planned, start, r)
        insort(planned, at)
        slots.append(at)
    return slots


def most_in_any(times: list[datetime], span: timedelta) -> int:
    times = sorted(times)
    return max(sum(1 for u in times if t <= u < t + span) for t in times)


def test_a_free_site_sends_now():
    assert earliest([], T0, rules(spacing=MIN)) == T0


def test_slots_are_spaced_capped_per_day_and_in_order():
    slots = hand_out(240, rules(daily=100, spacing=MIN))
    assert slots == sorted(slots)
    assert all(b - a >= MIN for a, b in zip(slots, slots[1:], strict=False))
    assert slots[99] == T0 + 99 * MIN and slots[100] == T0 + DAY  # slot 1 left the window
    assert [sum(1 for s in slots if T0 + d * DAY <= s < T0 + (d + 1) * DAY) for d in range(3)] == [
        100,
        100,
        40,
    ]
    assert most_in_any(slots, DAY) == 100


def test_the_hourly_limit_spreads_a_day():
    slots = hand_out(100, rules(daily=100, hourly=40, spacing=MIN))
    assert most_in_any(slots, HOUR) == 40
    assert slots[40] == T0 + HOUR and slots[-1] < T0 + DAY


def test_recent_sends_hold_their_slots():
    sent = [T0 - 23 * HOUR + i * MIN for i in range(3)]  # three sends of yesterday
    slots = hand_out(2, rules(daily=3, spacing=MIN), planned=sent)
    assert slots == [T0 + HOUR, T0 + HOUR + MIN]  # when the first two leave the 24 hours


def test_a_gap_before_a_later_slot_is_used_and_spacing_holds_both_ways():
    later = [T0 + 10 * MIN]
    assert earliest(later, T0, rules(spacing=MIN)) == T0
    assert earliest(later, T0 + 9.5 * MIN, rules(spacing=MIN)) == T0 + 11 * MIN


def test_a_full_window_ahead_is_not_overbooked():
    ahead = [T0 + HOUR + i * MIN for i in range(5)]  # a full hour already queued, later
    at = earliest(ahead, T0 + 30 * MIN, rules(hourly=5))
    assert most_in_any([*ahead, at], HOUR) <= 5 and at == T0 + HOUR + HOUR


def test_slots_wait_for_the_sending_window():
    def nine_to_five(at):
        opens = at.replace(hour=9, minute=0, second=0, microsecond=0)
        if at < opens:
            return opens
        if at.hour >= 17:
            return opens + DAY
        return at

    slots = hand_out(3, rules(spacing=4 * HOUR, opening=nine_to_five), start=T0)
    assert slots == [T0 + HOUR, T0 + 5 * HOUR, T0 + DAY + HOUR]


def test_jittered_spacing_never_shortens_it():
    rng = random.Random(7)
    planned: list[datetime] = []
    for _ in range(50):
        stretch = 1 + rng.uniform(0, 0.2)
        at = earliest(planned, T0, rules(spacing=MIN * stretch))
        insort(planned, at)
    assert all(b - a >= MIN for a, b in zip(planned, planned[1:], strict=False))


def test_a_zero_daily_cap_leaves_the_refusal_to_the_send_path():
    assert earliest([], T0, rules(daily=0)) == T0
