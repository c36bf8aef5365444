"""The link-checks job kind in one process: when checks fall due, and what they change."""

from __future__ import annotations

import pytest

from service.domain import job_kinds
from service.models import AuditEntry, LinkCheck, Opportunity
from service.worker import scheduler
from service.worker.scheduler import Scheduler
from tests.links.pages import html
from tests.support.api import API, create_opp, settings
from tests.support.state import rows

TARGET = "https://a.example/product"
LIVE = f'<a href="{TARGET}">tool</a>'
GONE = "<p>no link</p>"


@pytest.fixture
def run(app):
    scheduler = Scheduler(app, kind="link-checks")
    return scheduler.run_pass


def card(client, pages, status, path="/p", body=LIVE):
    pages.routes[path] = html(body)
    opp = create_opp(client, source_url=pages.url(path), target_url=TARGET)
    r = client.post(f"{API}/opportunities/{opp['id']}/move", json={"status": status})
    assert r.status_code == 200, r.json
    return opp


def get(client, opp_id):
    return client.get(f"{API}/opportunities/{opp_id}").json


def test_a_reached_card_is_checked_one_interval_after_it_arrived_and_wins(
    app, client, clock, pages, run
):
    opp = card(client, pages, "reached")
    clock.advance(hours=23, minutes=59)
    assert run() == {}
    clock.advance(minutes=1)
    assert run() == {"live": 1}
    won = get(client, opp["id"])
    assert won["status"] == "won" and won["link_status"] == "live"
    move = rows(app, AuditEntry, AuditEntry.action == "opportunity.move")[-1]
    assert move.user_id == 0 and move.changes["status"] == ["reached", "won"]
    assert run() == {}  # won now: next check in link_check_won_hours


def test_a_reached_card_without_the_link_waits_a_whole_interval_again(client, clock, pages, run):
    opp = card(client, pages, "reached", body=GONE)
    clock.advance(hours=24)
    assert run() == {"missing": 1}
    clock.advance(hours=23)
    assert run() == {}
    clock.advance(hours=1)
    pages.routes["/p"] = html(LIVE)
    assert run() == {"live": 1} and get(client, opp["id"])["status"] == "won"


def test_a_won_card_is_lost_after_two_failed_checks_an_hour_apart(client, clock, pages, run):
    opp = card(client, pages, "won", body=GONE)
    clock.advance(hours=168)
    assert run() == {"missing": 1}
    assert get(client, opp["id"])["status"] == "won"
    clock.advance(minutes=59)
    assert run() == {}
    clock.advance(minutes=1)
    pages.routes["/p"] = html("gone", status=404)
    assert run() == {"unreachable": 1}
    lost = get(client, opp["id"])
    assert (lost["status"], lost["lost_link"]) == ("new", True)
    clock.advance(hours=1000)
    assert run() == {}  # in New: no longer checked


def test_zero_turns_checks_off(client, clock, pages, run):
    card(client, pages, "reached")
    card(client, pages, "won", path="/w")
    client.post(f"{API}/backlinks", json={"backlinks": [{"source_url": pages.url("/b")}]})
    settings(client, link_check_reached_hours=0, link_check_won_hours=0)
    clock.advance(hours=10_000)
    assert run() == {}


def test_intervals_may_be_fractions_of_an_hour(client, clock, pages, run):
    card(client, pages, "reached")
    settings(client, link_check_reached_hours=0.25)
    clock.advance(minutes=14)
    assert run() == {}
    clock.advance(minutes=1)
    assert run() == {"live": 1}


def watch(client, pages, path="/b", body=LIVE):
    pages.routes[path] = html(body)
    r = client.post(
        f"{API}/backlinks",
        json={"backlinks": [{"source_url": pages.url(path), "target_url": TARGET}]},
    )
    assert r.json["created"] == 1


def test_a_lost_backlink_becomes_one_lost_link_card(app, client, clock, pages, run):
    watch(client, pages)
    assert run() == {"live": 1}  # at once
    pages.routes["/b"] = html(GONE)
    clock.advance(hours=168)
    assert run() == {"missing": 1}
    clock.advance(hours=1)
    assert run() == {"missing": 1}
    cards = rows(app, Opportunity)
    assert len(cards) == 1
    lost = get(client, cards[0].id)
    assert (lost["status"], lost["lost_link"], lost["origin"]) == ("new", True, "link_check")
    assert lost["link_last_live_at"] is not None and lost["source_url"] == pages.url("/b")
    link = client.get(f"{API}/backlinks").json["items"][0]
    assert link["lost_at"] and link["opportunity_id"] == cards[0].id
    clock.advance(hours=168)
    assert run() == {"missing": 1}  # still lost: the same loss, no second card
    assert len(rows(app, Opportunity)) == 1
    assert len(rows(app, AuditEntry, AuditEntry.action == "opportunity.create")) == 1


def test_a_backlink_lost_again_flags_and_moves_its_existing_card(app, client, clock, pages, run):
    watch(client, pages, body=GONE)
    run()
    clock.advance(hours=1)
    run()
    (lost,) = rows(app, Opportunity)
    r = client.patch(f"{API}/opportunities/{lost.id}", json={"lost_link": False, "status": "won"})
    assert r.status_code == 200
    pages.routes["/b"] = html(LIVE)
    clock.advance(hours=168)
    assert run() == {"live": 2}  # the loss is over (the Won card is checked as well)
    pages.routes["/b"] = html(GONE)
    for _ in range(2):
        clock.advance(hours=168)
        run()
    assert len(rows(app, Opportunity)) == 1
    again = get(client, lost.id)
    assert (again["status"], again["lost_link"]) == ("new", True)


def test_a_crashed_claim_is_checked_once_when_its_lease_ends(app, client, clock, pages, run):
    opp = card(client, pages, "won")
    clock.advance(hours=168)
    other = Scheduler(app, kind="link-checks", owner="crashed")
    assert other._claim(10) == [("card", opp["id"])]  # leased, then the process died
    assert run() == {}
    clock.advance(minutes=5, seconds=1)  # its lease ran out
    assert run() == {"live": 1}
    assert len(rows(app, LinkCheck)) == 1
    assert pages.tracker.requests and len(pages.tracker.requests) == 1


def test_a_backing_off_host_defers_its_checks(app, client, clock, pages, run):
    settings(client, link_lost_after=5)
    watch(client, pages, body=GONE)
    pages.routes["/b"] = html("down", status=503)
    assert run() == {"unreachable": 1}
    clock.advance(hours=1)
    assert run() == {"unreachable": 1}  # two failures in a row: the host pauses
    clock.advance(hours=1)
    assert run() == {"deferred": 1}
    assert len(pages.tracker.requests) == 2
    assert run() == {}  # still leased until the pause ends


def test_each_site_is_scheduled_by_its_own_settings(client, other_client, clock, pages, run):
    ours = card(client, pages, "reached")
    theirs = card(other_client, pages, "reached", path="/b-page")
    settings(other_client, link_check_reached_hours=0)
    clock.advance(hours=24)
    assert run() == {"live": 1}
    assert get(client, ours["id"])["status"] == "won"
    assert get(other_client, theirs["id"])["status"] == "reached"
    assert get(other_client, theirs["id"])["link_status"] == "unchecked"


def test_a_scheduled_check_shows_in_the_next_board_delta(client, clock, pages, run):
    opp = card(client, pages, "won", body=GONE)
    settings(client, link_lost_after=5)
    cursor = client.get(f"{API}/board").json["cursor"]
    clock.advance(hours=168)
    assert run() == {"missing": 1}
    delta = client.get(f"{API}/board", query={"since": cursor}).json
    assert [c["link_status"] for c in delta["cards"] if c["id"] == opp["id"]] == ["missing"]


def test_link_check_passes_come_a_sixtieth_of_the_shortest_interval_apart(app, monkeypatch):
    """Checks fall due hours apart: a scheduler ticking every 0.2 s (for prompt sends)
    runs a link-check pass, whose claim reads every site's cards, every 15 s at the floor
    of a quarter hour; a lowered floor (the browser tests check every second) ticks."""
    app.config["SCHEDULER_INTERVAL"] = 0.2
    kinds = job_kinds.job_kinds(app.extensions["outreach"])
    assert scheduler._interval(app, kinds["link-checks"]) == 15.0
    assert scheduler._interval(app, kinds["sequence-steps"]) == 0.2
    monkeypatch.setenv("OUTREACH_LINKCHECK_MIN_HOURS", "0.0001")
    kinds = job_kinds.job_kinds(app.extensions["outreach"])
    assert scheduler._interval(app, kinds["link-checks"]) == 0.2
