"""Board deltas carry what the scheduler changes on a card: steps, postponements, the end."""

from __future__ import annotations

from tests.support.api import create_opp, enroll, make_sequence, settings


def _board(client, **query):
    r = client.get("/api/v1/board", query=query or None)
    assert r.status_code == 200, r.json
    return r.json


def test_each_scheduled_step_shows_in_the_next_delta(client, started, clock, scheduler):
    bystander = create_opp(client, "https://quiet.example.org/")["id"]
    cursor = _board(client)["cursor"]
    clock.advance(hours=72)
    assert scheduler.run_pass()["sent"] == 1
    body = _board(client, since=cursor)
    (card,) = body["cards"]
    assert card["id"] == started["opp"] != bystander
    assert card["sequence"]["current_step"] == 2 and card["emails_sent"] == 2
    clock.advance(hours=72)
    assert scheduler.run_pass()["sent"] == 1
    (card,) = _board(client, since=body["cursor"])["cards"]
    assert card["sequence"]["status"] == "completed" and card["emails_sent"] == 3


def test_a_postponed_step_shows_why_in_the_next_delta(client, templates3, clock, scheduler):
    settings(client, daily_limit=1)
    opp = create_opp(client)["id"]
    seq = make_sequence(client, templates3[:2], delay_hours=1)
    assert enroll(client, opp, seq["id"]).status_code == 201
    cursor = _board(client)["cursor"]
    clock.advance(hours=1)
    assert scheduler.run_pass()["sent"] == 0
    (card,) = _board(client, since=cursor)["cards"]
    assert card["sequence"]["last_error"] and card["sequence"]["status"] == "active"
