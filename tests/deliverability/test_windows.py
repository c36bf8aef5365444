"""The sending window: next opening across daylight-saving changes, spread, scheduler waits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from service.domain.deliverability.windows import next_opening, next_send_time
from service.models import Enrollment, Site
from tests.support import api
from tests.support.api import API, assert_error, create_opp, send, settings
from tests.support.state import fetch

EVERY_DAY = [1, 2, 3, 4, 5, 6, 7]


def site(zone, **window) -> Site:
    full = {"enabled": True, "days": EVERY_DAY, "start": "09:00", "end": "17:00", **window}
    return Site(timezone=zone, send_window=full)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    "zone,evening_before,opening",
    [
        # Paris springs forward on Sunday 29 March 2026: 09:00 is 07:00 UTC, not 08:00.
        ("Europe/Paris", utc(2026, 3, 28, 20), utc(2026, 3, 29, 7)),
        ("Europe/Paris", utc(2026, 3, 27, 20), utc(2026, 3, 28, 8)),
        # ... and falls back on Sunday 25 October: 09:00 is 08:00 UTC again.
        ("Europe/Paris", utc(2026, 10, 24, 20), utc(2026, 10, 25, 8)),
        ("Europe/Paris", utc(2026, 10, 23, 20), utc(2026, 10, 24, 7)),
        # New York springs forward on Sunday 8 March 2026 (09:00 EDT = 13:00 UTC) ...
        ("America/New_York", utc(2026, 3, 7, 23), utc(2026, 3, 8, 13)),
        ("America/New_York", utc(2026, 3, 6, 23), utc(2026, 3, 7, 14)),
        # ... is still on EDT through October, and falls back on Sunday 1 November.
        ("America/New_York", utc(2026, 10, 24, 23), utc(2026, 10, 25, 13)),
        ("America/New_York", utc(2026, 10, 31, 23), utc(2026, 11, 1, 14)),
    ],
)
def test_the_opening_follows_the_wall_clock_across_dst(zone, evening_before, opening):
    s = site(zone)
    assert next_opening(s, evening_before)[0] == opening
    assert next_opening(s, evening_before)[1] == opening + timedelta(hours=8)
    assert next_send_time(s, opening + timedelta(hours=1)) == opening + timedelta(hours=1)
    spread = next_send_time(s, evening_before, spread_key=7)
    assert opening <= spread < opening + timedelta(minutes=30)


def test_times_the_change_skips_or_repeats():
    paris = site("Europe/Paris", start="02:30", end="04:00")
    # 02:30 does not exist on 29 March: it resolves an hour later on the wall (03:30 CEST).
    assert next_opening(paris, utc(2026, 3, 28, 22))[0] == utc(2026, 3, 29, 1, 30)
    # 02:30 happens twice on 25 October: the first one (CEST) opens the window.
    assert next_opening(paris, utc(2026, 10, 24, 22))[0] == utc(2026, 10, 25, 0, 30)


def test_days_spread_and_disabled_windows():
    weekdays = site("UTC", days=[1, 2, 3, 4, 5])
    friday_night = utc(2026, 3, 6, 18)  # a Friday
    monday = utc(2026, 3, 9, 9)
    spread = {next_send_time(weekdays, friday_night, key) for key in range(200)}
    assert min(spread) >= monday and max(spread) < monday + timedelta(minutes=30)
    assert len(spread) > 100  # spread out, not one burst
    short = site("UTC", start="09:00", end="09:10")
    assert next_send_time(short, utc(2026, 3, 6, 8), 123) < utc(2026, 3, 6, 9, 10)
    off = Site(timezone="Europe/Paris", send_window={"enabled": False})
    assert next_send_time(off, friday_night) == friday_night


def test_window_settings_are_validated_in_plain_words(client):
    site_json = client.get(f"{API}/site").json
    assert site_json["send_window"] == {
        "enabled": False,
        "days": [1, 2, 3, 4, 5],
        "start": "09:00",
        "end": "17:00",
    }
    assert site_json["timezone"] == "UTC"
    for bad in ({"start": "9am"}, {"days": []}, {"days": [0]}, {"start": "18:00"}):
        assert_error(client.patch(f"{API}/site", json={"send_window": bad}), 422)
    assert_error(client.patch(f"{API}/site", json={"timezone": "Mars/Olympus"}), 422)
    r = client.patch(f"{API}/site", json={"send_window": {"enabled": True, "days": [5, 1, 1]}})
    assert_error(r, 422, "each once")
    r = client.patch(
        f"{API}/site", json={"timezone": "Europe/Paris", "send_window": {"enabled": True}}
    )
    assert r.status_code == 200 and r.json["send_window"]["enabled"] is True
    assert r.json["send_window"]["days"] == [1, 2, 3, 4, 5]


def test_due_steps_wait_for_the_window_manual_sends_go_at_once(
    client, app, clock, scheduler, fake_sg, session
):
    settings(client, cooldown_hours=0)
    templates = [api.create_template(client, f"T{i}")["id"] for i in (1, 2)]
    opp = create_opp(client)["id"]
    eid = api.enroll(client, opp, api.make_sequence(client, templates)["id"]).json["id"]
    due = clock.now() + timedelta(hours=72)
    closed_day = due.isoweekday()
    days = [d for d in EVERY_DAY if d != closed_day]
    settings(client, send_window={"enabled": True, "days": days, "start": "09:00", "end": "17:00"})
    clock.advance(hours=72)
    assert scheduler.run_pass().get("sent", 0) == 0
    waiting = fetch(session, Enrollment, eid)
    opens = datetime.combine(due.date() + timedelta(days=1), datetime.min.time(), UTC)
    opens += timedelta(hours=9)
    assert opens <= waiting.next_step_at < opens + timedelta(minutes=30)
    assert "sending window" in waiting.last_error
    assert send(client, opp).status_code == 201  # a person's "send now" ignores the window
    clock.advance(seconds=(waiting.next_step_at - clock.now()).total_seconds())
    assert scheduler.run_pass()["sent"] == 1
    assert len(fake_sg.messages) == 3


def test_the_site_shows_its_sending_state(client, clock):
    before = client.get(f"{API}/site").json["sending_state"]
    assert before == {"sent_last_24h": 0, "next_window_opening": None}
    assert send(client, create_opp(client)["id"]).status_code == 201
    today = clock.now().isoweekday()
    other = [d for d in EVERY_DAY if d != today]
    r = client.patch(
        f"{API}/site",
        json={"send_window": {"enabled": True, "days": other, "start": "00:00", "end": "23:59"}},
    )
    tomorrow = datetime.combine(clock.now().date() + timedelta(days=1), datetime.min.time(), UTC)
    assert r.json["sending_state"]["sent_last_24h"] == 1
    assert r.json["sending_state"]["next_window_opening"].startswith(
        tomorrow.strftime("%Y-%m-%dT00:00")
    )


def test_send_at_the_next_window_opening(client, clock, fake_sg):
    settings(client, cooldown_hours=0)  # several emails on one card
    opp = create_opp(client)["id"]
    ask = {"subject": "Hi", "body": "See {{url}}", "to": "ed@blog.example", "at_next_window": True}
    url = f"{API}/opportunities/{opp}/emails"
    assert client.post(url, json=ask).status_code == 201  # no window: "next opening" is now
    closed_today = [d for d in EVERY_DAY if d != clock.now().isoweekday()]
    window = {"enabled": True, "days": closed_today, "start": "09:00", "end": "17:00"}
    settings(client, send_window=window)
    r = client.post(url, json=ask)
    assert r.status_code == 202 and r.json["status"] == "scheduled", r.json
    opens = datetime.combine(clock.now().date() + timedelta(days=1), datetime.min.time(), UTC)
    at = datetime.fromisoformat(r.json["scheduled_for"].replace("Z", "+00:00"))
    assert opens + timedelta(hours=9) <= at < opens + timedelta(hours=9, minutes=30)
    both = {**ask, "send_at": (clock.now() + timedelta(hours=1)).isoformat()}
    assert_error(client.post(url, json=both), 422)
    assert len(fake_sg.messages) == 1
