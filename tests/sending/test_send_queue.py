"""A send with "when": "queue", the pacing of sends, a cancelled email's card, and the
warning of a sequence whose follow-up comes sooner than the cooldown (docs/api.md §20)."""

from __future__ import annotations

from datetime import datetime, timedelta

from service.worker.scheduler import Scheduler
from tests.support.api import API, assert_error, create_opp, create_template, send, settings
from tests.support.state import set_site


def card(client, i: int) -> int:
    return create_opp(client, f"https://s{i}.example.org/")["id"]


def test_a_queued_send_waits_for_room_a_send_now_is_refused(app, client, clock, site_key):
    set_site(app, site_key.site_id, daily_limit=1)
    first, second, third = card(client, 1), card(client, 2), card(client, 3)
    assert send(client, first, to="a@s1.example.org", when="queue").status_code == 201
    r = send(client, second, to="b@s2.example.org", when="queue")
    assert r.status_code == 202, r.json
    assert r.json["send_state"] == "scheduled"
    assert datetime.fromisoformat(r.json["scheduled_for"]) == clock.now() + timedelta(days=1)
    assert client.get(f"{API}/opportunities/{second}").json["status"] == "queued"
    assert_error(send(client, third, to="c@s3.example.org"), 429, "Daily limit")
    r = send(client, third, to="c@s3.example.org", when="queue")
    assert r.status_code == 202, r.json
    assert datetime.fromisoformat(r.json["scheduled_for"]) == clock.now() + timedelta(days=2)


def test_when_queue_is_one_choice_among_the_times(client, clock):
    opp = card(client, 1)
    later = (clock.now() + timedelta(hours=2)).isoformat()
    err = assert_error(send(client, opp, when="queue", send_at=later), 422)
    assert "when" in err["errors"]
    assert_error(send(client, opp, when="soon"), 422)


def test_the_hourly_limit_refuses_a_send_now(app, client, site_key):
    set_site(app, site_key.site_id, hourly_limit=1)
    assert send(client, card(client, 1), to="a@s1.example.org").status_code == 201
    r = send(client, card(client, 2), to="b@s2.example.org")
    body = assert_error(r, 429, "Hourly limit of 1")
    assert body["limit"] == "hourly_cap"


def test_scheduled_emails_due_together_keep_the_spacing(app, client, clock, site_key):
    set_site(app, site_key.site_id, min_spacing_seconds=90)
    at = (clock.now() + timedelta(hours=1)).isoformat()
    for i in (1, 2):
        r = send(client, card(client, i), to=f"x@s{i}.example.org", send_at=at)
        assert r.status_code == 202, r.json
    runner = Scheduler(app, owner="spacing", kind="scheduled-sends")
    clock.advance(hours=1)
    assert runner.run_pass() == {"sent": 1, "postponed": 1}
    clock.advance(seconds=89)
    assert runner.run_pass().get("sent", 0) == 0
    clock.advance(seconds=1)
    assert runner.run_pass() == {"sent": 1}


def test_cancelling_the_last_scheduled_email_puts_the_card_back_in_new(client, clock):
    opp = card(client, 1)
    at = [(clock.now() + timedelta(hours=h)).isoformat() for h in (1, 2)]
    one, two = (send(client, opp, to="x@s1.example.org", send_at=t).json for t in at)
    assert client.get(f"{API}/opportunities/{opp}").json["status"] == "queued"
    assert client.delete(f"{API}/emails/{one['id']}").status_code in (200, 204)
    assert client.get(f"{API}/opportunities/{opp}").json["status"] == "queued"  # one left
    assert client.delete(f"{API}/emails/{two['id']}").status_code in (200, 204)
    assert client.get(f"{API}/opportunities/{opp}").json["status"] == "new"


def test_a_follow_up_sooner_than_the_cooldown_is_named_when_saved(client):
    settings(client, cooldown_hours=24)
    t = create_template(client)["id"]
    steps = [{"template_id": t}, {"template_id": t, "delay_hours": 2}]
    r = client.post(f"{API}/sequences", json={"name": "Fast", "steps": steps})
    assert r.status_code == 201, r.json
    [warning] = r.json["warnings"]
    assert warning["field"] == "steps.1.delay_hours"
    assert "Step 2" in warning["message"] and "24 hours" in warning["message"]
    settings(client, cooldown_hours=0)
    assert client.get(f"{API}/sequences/{r.json['id']}").json["warnings"] == []


def test_the_pacing_settings_are_changed_and_checked(client):
    r = client.patch(f"{API}/site", json={"hourly_limit": 30, "min_spacing_seconds": 90})
    assert r.status_code == 200, r.json
    assert (r.json["hourly_limit"], r.json["min_spacing_seconds"]) == (30, 90)
    for bad in ({"hourly_limit": -1}, {"min_spacing_seconds": 86_401}, {"hourly_limit": 1.5}):
        err = assert_error(client.patch(f"{API}/site", json=bad), 422)
        assert set(err["errors"]) == set(bad)
    assert client.get(f"{API}/site").json["min_spacing_seconds"] == 90


def test_a_new_site_spaces_its_sends_by_a_minute(app):
    from service.domain import sites

    rt = app.extensions["outreach"]
    with rt.session_factory() as s:
        site, _, _ = sites.create_site(
            s, rt.secret_box, "New", "https://new.example", rt.clock.now()
        )
        s.commit()
        assert (site.hourly_limit, site.min_spacing_seconds) == (0, 60)
