"""Failed checks in a row (issue 22, item 12): a card counts at most one miss per retry
interval, so a person clicking "check now" twice does not lose a Won card."""

from __future__ import annotations

import pytest

from service.worker.scheduler import Scheduler
from tests.links.pages import html
from tests.support.api import API, create_opp, settings

TARGET = "https://a.example/product"
GONE = "<p>no link</p>"


@pytest.fixture
def run(app):
    return Scheduler(app, kind="link-checks").run_pass


def won_card(client, pages, body=GONE):
    pages.routes["/p"] = html(body)
    opp = create_opp(client, source_url=pages.url("/p"), target_url=TARGET)
    r = client.post(f"{API}/opportunities/{opp['id']}/move", json={"status": "won"})
    assert r.status_code == 200, r.json
    return opp


def check(client, opp):
    r = client.post(f"{API}/opportunities/{opp['id']}/link-check")
    assert r.status_code == 200, r.json
    return r.json["status"]


def get(client, opp):
    card = client.get(f"{API}/opportunities/{opp['id']}").json
    return card["status"], card["lost_link"]


def test_two_manual_checks_seconds_apart_are_one_miss(client, clock, pages):
    opp = won_card(client, pages)
    assert check(client, opp) == "missing"
    clock.advance(seconds=5)
    assert check(client, opp) == "missing"
    assert get(client, opp) == ("won", False)  # one miss, however often it is looked at
    clock.advance(minutes=59, seconds=55)  # link_retry_hours (1) after the first miss
    assert check(client, opp) == "missing"
    assert get(client, opp) == ("new", True)


def test_a_click_every_half_hour_still_counts_a_miss_per_retry_interval(client, clock, pages):
    opp = won_card(client, pages)
    check(client, opp)
    clock.advance(minutes=30)
    check(client, opp)  # not counted: but the next one is measured from the first miss
    assert get(client, opp) == ("won", False)
    clock.advance(minutes=30)
    check(client, opp)
    assert get(client, opp) == ("new", True)


def test_a_click_just_after_a_scheduled_miss_does_not_lose_the_card(client, clock, pages, run):
    opp = won_card(client, pages)
    clock.advance(hours=168)
    assert run() == {"missing": 1}
    clock.advance(seconds=10)
    check(client, opp)
    assert get(client, opp) == ("won", False)
    clock.advance(minutes=59)
    assert run() == {}  # the retry waits from the last check
    clock.advance(minutes=1)  # an hour after the click
    assert run() == {"missing": 1}
    assert get(client, opp) == ("new", True)


def test_a_live_check_ends_the_run_and_the_retry_interval_is_the_sites(client, clock, pages):
    settings(client, link_retry_hours=0.5, link_lost_after=3)
    opp = won_card(client, pages)
    check(client, opp)
    clock.advance(minutes=30)
    check(client, opp)
    pages.routes["/p"] = html(f'<a href="{TARGET}">tool</a>')
    assert check(client, opp) == "live"  # the run of two misses ends here
    pages.routes["/p"] = html(GONE)
    for _ in range(2):
        clock.advance(minutes=30)
        check(client, opp)
    assert get(client, opp) == ("won", False)
    clock.advance(minutes=29)
    check(client, opp)
    assert get(client, opp) == ("won", False)
    clock.advance(minutes=1)
    check(client, opp)
    assert get(client, opp) == ("new", True)
