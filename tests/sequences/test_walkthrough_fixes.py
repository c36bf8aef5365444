"""Service-side fixes from the board walkthrough: stale step errors, limit times in the
site's zone, one "sent" per email, and an empty From email flagged before mail goes out."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.support.api import create_opp, enroll, make_sequence, settings

TO = "editor@blog.example.org"


def test_a_stopped_sequence_no_longer_shows_its_postponed_step(
    client, templates3, clock, scheduler
):
    settings(client, daily_limit=1)
    opp = create_opp(client)["id"]
    seq = make_sequence(client, templates3[:2], delay_hours=1)
    assert enroll(client, opp, seq["id"]).status_code == 201
    clock.advance(hours=1)
    assert scheduler.run_pass()["postponed"] == 1
    shown = client.get(f"/api/v1/opportunities/{opp}").json["sequence"]
    assert shown["last_error"].startswith("Step 2 postponed")
    assert client.delete(f"/api/v1/opportunities/{opp}/sequence").status_code == 200
    shown = client.get(f"/api/v1/opportunities/{opp}").json["sequence"]
    assert (shown["status"], shown["last_error"]) == ("stopped", None)


def test_limit_messages_give_the_retry_time_in_the_site_zone(client, clock):
    settings(client, timezone="Asia/Kolkata", cooldown_hours=1.5)  # +05:30: minutes differ
    opp = create_opp(client)["id"]
    body = {"to": TO, "subject": "Hi", "body": "Hello"}
    assert client.post(f"/api/v1/opportunities/{opp}/emails", json=body).status_code == 201
    clock.advance(minutes=10)
    r = client.post(f"/api/v1/opportunities/{opp}/emails", json=body)
    assert r.status_code == 429, r.json
    retry_at = datetime.fromisoformat(r.json["retry_at"])
    shown = retry_at.replace(second=0, microsecond=0)
    shown += timedelta(minutes=1) if shown < retry_at else timedelta(0)
    local = shown.astimezone(ZoneInfo("Asia/Kolkata"))
    today = clock.now().astimezone(ZoneInfo("Asia/Kolkata")).date() == local.date()
    stamp = local.strftime("%H:%M" if today else "%Y-%m-%d %H:%M")
    assert r.json["message"].endswith(f"the next one can go at {stamp} Asia/Kolkata."), r.json[
        "message"
    ]
    assert abs(int(r.headers["Retry-After"]) - (retry_at - clock.now()).total_seconds()) <= 1


def test_limit_messages_stay_in_utc_without_a_zone(client, clock):
    settings(client, daily_limit=0)
    opp = create_opp(client)["id"]
    r = client.post(
        f"/api/v1/opportunities/{opp}/emails", json={"to": TO, "subject": "Hi", "body": "Hello"}
    )
    assert r.status_code == 429 and r.json["message"].endswith(" UTC."), r.json


def test_the_history_lists_sent_once_per_email(client):
    opp = create_opp(client)["id"]
    r = client.post(
        f"/api/v1/opportunities/{opp}/emails", json={"to": TO, "subject": "Hi", "body": "Hello"}
    )
    assert r.status_code == 201
    (email,) = client.get(f"/api/v1/opportunities/{opp}/emails").json
    assert [e["type"] for e in email["events"]].count("sent") == 1
    assert email["sent_at"]


def test_an_empty_from_email_is_flagged_in_the_settings(client):
    site = client.get("/api/v1/site").json
    assert site["from_email"] is None
    (warning,) = site["warnings"]
    assert warning["field"] == "from_email" and "outreach@a.example" in warning["message"]
    settings(client, from_email="hello@a.example")
    assert client.get("/api/v1/site").json["warnings"] == []
