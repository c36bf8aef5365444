"""The recipient-domain cap: a rolling 24 hours per recipient domain, exact under races."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from service.models import Email
from tests.support.api import API, assert_error, create_opp, parallel_sends, send, settings
from tests.support.state import rows, set_site


def test_the_cap_counts_one_domain_over_24_hours(client, clock, fake_sg):
    settings(
        client, domain_daily_limit=2, cooldown_hours=0
    )  # many emails on one card: the per-prospect cooldown (its own tests) would hold them
    assert client.get(f"{API}/site").json["domain_daily_limit"] == 2
    opp = create_opp(client)["id"]
    assert send(client, opp, to="a@capped.example").status_code == 201
    clock.advance(hours=1)
    assert send(client, opp, to="b@Capped.example").status_code == 201
    body = assert_error(send(client, opp, to="c@capped.example"), 429, "capped.example")
    assert body["limit"] == "domain_cap"
    assert body["retry_at"].startswith((clock.now() + timedelta(hours=23)).strftime("%Y-%m-%dT%H"))
    # Another domain, and a subdomain (its own recipient domain), are not affected.
    assert send(client, opp, to="c@other.example").status_code == 201
    assert send(client, opp, to="c@mail.capped.example").status_code == 201
    assert send(client, opp, to="c@notcapped.example").status_code == 201
    clock.advance(hours=23, seconds=1)
    assert send(client, opp, to="c@capped.example").status_code == 201
    assert_error(client.patch(f"{API}/site", json={"domain_daily_limit": -1}), 422)


def test_off_by_default(client):
    assert client.get(f"{API}/site").json["domain_daily_limit"] == 0
    settings(
        client, cooldown_hours=0
    )  # many emails on one card: the per-prospect cooldown (its own tests) would hold them
    opp = create_opp(client)["id"]
    for i in range(6):
        assert send(client, opp, to=f"x{i}@many.example").status_code == 201


def test_fifty_parallel_sends_to_one_domain_with_a_cap_of_five(
    client, app, live, site_key, fake_sg
):
    set_site(
        app, site_key.site_id, domain_daily_limit=5, cooldown_hours=0
    )  # many emails on one card: the per-prospect cooldown (its own tests) would hold them
    opps = [create_opp(client, source_url=f"https://d{i}.example/p")["id"] for i in range(5)]
    jobs = [(opps[i % 5], f"person{i}@one-domain.example") for i in range(50)]
    results = parallel_sends(live.url, site_key, jobs)
    assert Counter(r.status_code for r in results) == {201: 5, 429: 45}
    assert {r.json()["limit"] for r in results if r.status_code == 429} == {"domain_cap"}
    assert len(fake_sg.messages) == 5
    assert Counter(e.send_state for e in rows(app, Email)) == {"sent": 5}
